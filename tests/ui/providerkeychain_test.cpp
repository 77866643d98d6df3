// Saving the first provider with the real keychain in the chain, as the application does: the
// dialog on the GUI thread and the engine (which re-reads the key on its own thread) share one
// session store. Where no Secret Service runs (CI, a fresh headless HOME) every keychain job
// fails within milliseconds; the key must then end in session memory, and nothing may crash
// when the dialog closes while keychain jobs are still under way.
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/chainedsecretstore.h"
#include "core/llm/secrets/keychainsecretstore.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "ui/llm/llmenginehost.h"
#include "ui/settings/apikeyfield.h"
#include "ui/settings/providereditor.h"
#include "ui/settings/providersdialog.h"

#include <QCoro/QCoroTask>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

using namespace crucible;

namespace {

constexpr int kWaitMs = 20'000;

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

bool listsProvider(const QList<QVariant> &signalArgs, const QString &id)
{
    const auto infos = signalArgs.first().value<QList<LlmProviderInfo>>();
    return std::any_of(infos.begin(), infos.end(),
                       [&id](const LlmProviderInfo &info) { return info.id == id; });
}

// Waits for the engine to announce a provider list that contains `id`.
bool waitForEngineProvider(QSignalSpy &spy, const QString &id)
{
    for (;;) {
        for (const QList<QVariant> &args : spy)
            if (listsProvider(args, id))
                return true;
        spy.clear();
        if (!spy.wait(kWaitMs))
            return false;
    }
}

SecretResult readNow(SecretStore &store, const SecretLookup &lookup)
{
    return QCoro::waitFor(store.read(lookup));
}

} // namespace

TEST(ProviderKeychainTest, FirstProviderWithKeySurvivesClosingTheDialog)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString providersFile = dir.filePath(QStringLiteral("providers.json"));
    const QString secret = QStringLiteral("sk-first-provider-0123456789");

    auto session = std::make_shared<MemorySecretStore>();
    LlmEngine::Options options;
    options.providersFile = providersFile;
    options.sessionKeys = session; // the real chain: keychain → environment → session
    options.loadPrices = false;
    LlmEngineHost host(options);
    QSignalSpy engineProviders(host.engine(), &LlmEngine::providersChanged);
    host.reloadProviders();
    ASSERT_TRUE(waitForEngineProvider(engineProviders, QStringLiteral("simulated")));

    // Settings → LLM Providers, as MainWindow opens it.
    QPointer<ProvidersDialog> dialog = new ProvidersDialog(providersFile, host.secrets());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &ProvidersDialog::providersChanged, &host,
                     &LlmEngineHost::reloadProviders);
    dialog->open();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(dialog));

    // Add → Custom (OpenAI-compatible) → Base URL and key → OK.
    dialog->addProvider(ProviderPreset::Custom);
    ProviderEditor *editor = dialog->editor();
    typeInto(editor->baseUrlEdit(), QStringLiteral("http://127.0.0.1:9/v1"));
    typeInto(editor->keyField()->lineEdit(), secret);
    QSignalSpy saved(dialog.data(), &ProvidersDialog::saveFinished);
    QTest::mouseClick(dialog->buttonBox()->button(QDialogButtonBox::Ok), Qt::LeftButton);

    // The save runs on after OK; the dialog closes (and is deleted) when it succeeded.
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), kWaitMs);
    ASSERT_EQ(saved.count(), 1);
    EXPECT_TRUE(saved.first().first().toBool());

    // The engine re-reads the key on its thread while the GUI thread goes on.
    ASSERT_TRUE(waitForEngineProvider(engineProviders, QStringLiteral("custom")));

    const SecretLookup lookup{accountForProvider(QStringLiteral("custom")), QString()};
    // Not lost: a later read in this session finds it.
    const SecretResult fromGui = readNow(*host.secrets(), lookup);
    EXPECT_TRUE(fromGui.found()) << fromGui.describe().toStdString();
    EXPECT_EQ(fromGui.value, secret);
    if (fromGui.source == KeySource::Keychain) {
        // A machine with a working Secret Service: do not leave the test key in it.
        const SecretWriteResult removed = QCoro::waitFor(host.secrets()->remove(lookup));
        EXPECT_TRUE(removed.ok) << removed.message.toStdString();
    } else {
        // No keychain (CI, a fresh headless HOME): the key is in the session fallback store.
        EXPECT_TRUE(fromGui.keychainUnavailable);
        EXPECT_EQ(fromGui.source, KeySource::Session);
        EXPECT_EQ(session->value(lookup.account).value_or(QString()), secret);
    }

    // A second reload re-reads every key on the engine thread again, after the dialog is gone.
    engineProviders.clear();
    host.reloadProviders();
    ASSERT_TRUE(waitForEngineProvider(engineProviders, QStringLiteral("custom")));

    QFile file(providersFile);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    EXPECT_TRUE(text.contains("127.0.0.1:9"));
    EXPECT_FALSE(text.contains(secret.toUtf8()));
}

// Keychain calls from two threads at once (the GUI's chain and the engine's), with the callers
// giving up early: every call completes, none crashes, and the keychain's own jobs finish on
// their own time. Reads and removals of entries that do not exist: nothing is left behind.
TEST(ProviderKeychainTest, KeychainCallsFromTwoThreadsWithCallersGoneEarly)
{
    KeychainSecretStore gui(QStringLiteral("CrucibleTests"));
    std::atomic<int> engineDone{0};
    constexpr int kCalls = 20;

    QThread engine;
    engine.start();
    QObject engineContext;
    engineContext.moveToThread(&engine);
    QMetaObject::invokeMethod(
        &engineContext,
        [&engineDone] {
            auto store = std::make_shared<KeychainSecretStore>(QStringLiteral("CrucibleTests"));
            for (int i = 0; i < kCalls; ++i) {
                auto task = [](std::shared_ptr<KeychainSecretStore> s, int n,
                               std::atomic<int> *done) -> QCoro::Task<> {
                    const SecretLookup lookup{QStringLiteral("provider/t%1/api-key").arg(n), {}};
                    if (n % 2 == 0) {
                        const SecretWriteResult w = co_await s->remove(lookup);
                        Q_UNUSED(w);
                    } else {
                        const SecretResult r = co_await s->read(lookup);
                        Q_UNUSED(r);
                    }
                    ++*done;
                }(store, i, &engineDone);
                Q_UNUSED(task); // runs on by itself
            }
        },
        Qt::QueuedConnection);

    // Meanwhile the GUI thread starts calls it never awaits (a dialog that closed).
    for (int i = 0; i < kCalls; ++i) {
        auto abandoned = gui.read({QStringLiteral("provider/g%1/api-key").arg(i), {}});
        Q_UNUSED(abandoned);
    }
    const SecretWriteResult removed =
        QCoro::waitFor(gui.remove({QStringLiteral("provider/g/api-key"), {}}));
    EXPECT_FALSE(removed.message.isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(engineDone.load(), kCalls, kWaitMs);
    engine.quit();
    ASSERT_TRUE(engine.wait(kWaitMs));
    // One more round on the GUI thread after the other thread is gone.
    const SecretResult after = QCoro::waitFor(gui.read({QStringLiteral("provider/z/api-key"), {}}));
    EXPECT_FALSE(after.found() && after.source != KeySource::Keychain);
}
