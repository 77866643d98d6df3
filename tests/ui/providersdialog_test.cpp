// Settings → Providers: the list model, the live request URL, saving (file without keys, keys in
// the secret store), Test connection and Fetch models against the loopback LLM server.
#include "core/llm/providers/providerpresets.h"
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "tests/support/llmtestserver.h"
#include "ui/models/providerlistmodel.h"
#include "ui/settings/apikeyfield.h"
#include "ui/settings/connectiontestpanel.h"
#include "ui/settings/providereditor.h"
#include "ui/settings/providersdialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::LlmTestServer;

namespace {

constexpr int kWaitMs = 10'000;

QString readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

class ProvidersDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("providers.json"));
        m_store = std::make_shared<MemorySecretStore>();
    }

    std::unique_ptr<ProvidersDialog> makeDialog()
    {
        auto dialog = std::make_unique<ProvidersDialog>(m_path, m_store);
        dialog->show();
        return dialog;
    }

    // A Custom OpenAI-compatible provider pointing at the loopback server, selected.
    static void addLoopbackProvider(ProvidersDialog &dialog, const LlmTestServer &server)
    {
        dialog.addProvider(ProviderPreset::Custom);
        ProviderEditor *editor = dialog.editor();
        typeInto(editor->nameEdit(), QStringLiteral("Loopback"));
        typeInto(editor->baseUrlEdit(), server.baseUrl().toString());
    }

    static bool saveAndWait(ProvidersDialog &dialog)
    {
        QSignalSpy finished(&dialog, &ProvidersDialog::saveFinished);
        dialog.apply();
        if (finished.isEmpty() && !finished.wait(kWaitMs))
            return false;
        return finished.first().first().toBool();
    }

    static ConnectionTestResult testAndWait(ProviderEditor *editor)
    {
        ConnectionTestPanel *panel = editor->testPanel();
        QSignalSpy finished(panel, &ConnectionTestPanel::finished);
        QTest::mouseClick(panel->testButton(), Qt::LeftButton);
        EXPECT_TRUE(panel->isRunning());
        EXPECT_FALSE(panel->testButton()->isEnabled());
        EXPECT_TRUE(finished.wait(kWaitMs));
        EXPECT_FALSE(panel->isRunning());
        return panel->lastResult().value_or(ConnectionTestResult{});
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<MemorySecretStore> m_store;
};

} // namespace

TEST(ProvidersListModelTest, PassesModelTesterThroughEdits)
{
    ProviderListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setProviders({ProviderConfig::fromPreset(ProviderPreset::OpenAi),
                        ProviderConfig::fromPreset(ProviderPreset::Ollama)});
    EXPECT_EQ(model.rowCount(), 2);

    const int row = model.append(ProviderConfig::fromPreset(ProviderPreset::Simulated));
    EXPECT_EQ(row, 2);
    EXPECT_TRUE(model.data(model.index(row), Qt::DisplayRole)
                    .toString()
                    .contains(QStringLiteral("Simulated"), Qt::CaseInsensitive));
    EXPECT_TRUE(model.data(model.index(row), ProviderListModel::SimulatedRole).toBool());

    QSignalSpy toggled(&model, &ProviderListModel::enabledToggled);
    EXPECT_TRUE(model.setData(model.index(1), Qt::Unchecked, Qt::CheckStateRole));
    EXPECT_EQ(toggled.count(), 1);
    EXPECT_FALSE(model.config(1).enabled);
    EXPECT_EQ(model.data(model.index(1), Qt::CheckStateRole).toInt(), Qt::Unchecked);

    ProviderConfig renamed = model.config(0);
    renamed.displayName = QStringLiteral("Work account");
    model.setConfig(0, renamed);
    EXPECT_EQ(model.data(model.index(0)).toString(), QStringLiteral("Work account"));

    EXPECT_EQ(model.uniqueId(QStringLiteral("openai")), QStringLiteral("openai-2"));
    EXPECT_EQ(model.uniqueId(QStringLiteral("vllm")), QStringLiteral("vllm"));
    model.removeAt(0);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.rowOf(QStringLiteral("ollama")), 0);
    model.setProviders({});
    EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(ProvidersDialogTest, ResolvedUrlFollowsTheBaseUrlAsTyped)
{
    auto dialog = makeDialog();
    dialog->addProvider(ProviderPreset::Custom);
    ProviderEditor *editor = dialog->editor();

    typeInto(editor->baseUrlEdit(), QStringLiteral("localhost:11434"));
    EXPECT_EQ(editor->resolvedUrlLabel()->text(),
              QStringLiteral("http://localhost:11434/v1/chat/completions"));
    EXPECT_TRUE(editor->urlNotesLabel()->text().contains(QStringLiteral("added /v1")));
    // The list follows the editor at once.
    EXPECT_EQ(dialog->model()->config(0).baseUrl, QStringLiteral("localhost:11434"));

    typeInto(editor->baseUrlEdit(), QStringLiteral("https://api.example.com/v1/chat/completions"));
    EXPECT_EQ(editor->resolvedUrlLabel()->text(),
              QStringLiteral("https://api.example.com/v1/chat/completions"));

    typeInto(editor->baseUrlEdit(), QStringLiteral("ftp://example.com"));
    EXPECT_TRUE(editor->urlNotesLabel()->text().contains(QStringLiteral("http://")))
        << editor->urlNotesLabel()->text().toStdString();
    EXPECT_TRUE(editor->urlNotesLabel()->styleSheet().contains(QStringLiteral("#c62828")));

    // Azure: the deployment fields appear and shape the URL.
    editor->presetCombo()->setCurrentIndex(
        editor->presetCombo()->findData(ProviderPresets::key(ProviderPreset::AzureOpenAi)));
    EXPECT_TRUE(editor->isRowVisible(editor->azureDeploymentEdit()));
    typeInto(editor->baseUrlEdit(), QStringLiteral("myres"));
    typeInto(editor->azureDeploymentEdit(), QStringLiteral("gpt4o"));
    EXPECT_EQ(editor->resolvedUrlLabel()->text(),
              QStringLiteral("https://myres.openai.azure.com/openai/deployments/gpt4o/"
                             "chat/completions?api-version=") +
                  defaultAzureApiVersion());
    editor->presetCombo()->setCurrentIndex(
        editor->presetCombo()->findData(ProviderPresets::key(ProviderPreset::Ollama)));
    EXPECT_FALSE(editor->isRowVisible(editor->azureDeploymentEdit()));
}

TEST_F(ProvidersDialogTest, SimulatedProviderIsLabelledAndHasNoNetworkFields)
{
    auto dialog = makeDialog();
    dialog->addProvider(ProviderPreset::Simulated);
    ProviderEditor *editor = dialog->editor();
    EXPECT_TRUE(editor->typeCombo()->currentText().contains(QStringLiteral("offline, no network")));
    EXPECT_FALSE(editor->isRowVisible(editor->baseUrlEdit()));
    EXPECT_FALSE(editor->isRowVisible(editor->keyField()));
    EXPECT_TRUE(dialog->model()
                    ->data(dialog->model()->index(0))
                    .toString()
                    .contains(QStringLiteral("Simulated")));
    EXPECT_TRUE(saveAndWait(*dialog));
}

TEST_F(ProvidersDialogTest, SaveWritesTheFileWithoutTheKeyAndTheKeyToTheStore)
{
    const QString secret = QStringLiteral("sk-test-0123456789abcdef");
    auto dialog = makeDialog();
    QSignalSpy changed(dialog.get(), &ProvidersDialog::providersChanged);
    dialog->addProvider(ProviderPreset::Custom);
    ProviderEditor *editor = dialog->editor();
    typeInto(editor->nameEdit(), QStringLiteral("Gateway"));
    typeInto(editor->idEdit(), QStringLiteral("gateway"));
    typeInto(editor->baseUrlEdit(), QStringLiteral("gateway.example.com"));
    typeInto(editor->keyField()->lineEdit(), secret);
    EXPECT_EQ(editor->keyField()->lineEdit()->echoMode(), QLineEdit::Password);
    QTest::mouseClick(editor->keyField()->visibilityButton(), Qt::LeftButton);
    EXPECT_EQ(editor->keyField()->lineEdit()->echoMode(), QLineEdit::Normal);
    EXPECT_TRUE(editor->keyField()->sourceLabel()->text().contains(QStringLiteral("Apply")));
    EXPECT_TRUE(dialog->hasUnsavedChanges());

    ASSERT_TRUE(saveAndWait(*dialog)) << dialog->statusLabel()->text().toStdString();
    EXPECT_EQ(changed.count(), 1);
    EXPECT_FALSE(dialog->hasUnsavedChanges());

    const QString text = readAll(m_path);
    EXPECT_TRUE(text.contains(QStringLiteral("gateway.example.com")));
    EXPECT_FALSE(text.contains(secret));
    EXPECT_FALSE(text.contains(QStringLiteral("0123456789abcdef")));
    EXPECT_EQ(m_store->value(accountForProvider(QStringLiteral("gateway"))), secret);
    EXPECT_TRUE(editor->idEdit()->isReadOnly());
    EXPECT_TRUE(editor->keyField()->sourceLabel()->text().contains(QStringLiteral("session")))
        << editor->keyField()->sourceLabel()->text().toStdString();

    ProviderRegistry reloaded(m_path);
    EXPECT_TRUE(reloaded.load().ok);
    ASSERT_NE(reloaded.find(QStringLiteral("gateway")), nullptr);
    EXPECT_EQ(reloaded.find(QStringLiteral("gateway"))->displayName, QStringLiteral("Gateway"));

    // Reopened: the key comes back from the store, not from the file.
    auto again = makeDialog();
    QTRY_COMPARE_WITH_TIMEOUT(again->editor()->keyField()->lineEdit()->text(), secret, kWaitMs);
    EXPECT_TRUE(again->editor()->idEdit()->isReadOnly());

    // Clearing the field removes the key on Apply.
    typeInto(again->editor()->keyField()->lineEdit(), QString());
    ASSERT_TRUE(saveAndWait(*again));
    EXPECT_FALSE(m_store->value(accountForProvider(QStringLiteral("gateway"))).has_value());
}

TEST_F(ProvidersDialogTest, InvalidFieldsBlockTheSaveAndAreShown)
{
    auto dialog = makeDialog();
    QSignalSpy changed(dialog.get(), &ProvidersDialog::providersChanged);
    dialog->addProvider(ProviderPreset::Custom); // Custom has no default URL
    typeInto(dialog->editor()->nameEdit(), QString());
    EXPECT_FALSE(saveAndWait(*dialog));
    EXPECT_EQ(changed.count(), 0);
    EXPECT_FALSE(QFile::exists(m_path));
    const QString issues = dialog->editor()->issuesLabel()->text();
    EXPECT_TRUE(dialog->editor()->issuesLabel()->isVisibleTo(dialog.get()));
    EXPECT_TRUE(issues.contains(QStringLiteral("Base URL"))) << issues.toStdString();
    EXPECT_TRUE(issues.contains(QStringLiteral("Name"))) << issues.toStdString();
    EXPECT_TRUE(dialog->statusLabel()->text().contains(QStringLiteral("Nothing was saved")));
    EXPECT_FALSE(dialog->editor()->baseUrlEdit()->styleSheet().isEmpty());
}

TEST_F(ProvidersDialogTest, TestConnectionShowsOkWithLatencyAndAuthFailure)
{
    LlmTestServer::Options options;
    options.apiKey = "right-key";
    LlmTestServer server(options);
    ASSERT_TRUE(server.isListening());

    auto dialog = makeDialog();
    addLoopbackProvider(*dialog, server);
    ProviderEditor *editor = dialog->editor();
    typeInto(editor->keyField()->lineEdit(), QStringLiteral("right-key"));

    const ConnectionTestResult ok = testAndWait(editor);
    EXPECT_EQ(ok.verdict, ConnectionTestResult::Verdict::Ok) << ok.message.toStdString();
    ConnectionTestPanel *panel = editor->testPanel();
    EXPECT_EQ(panel->titleLabel()->text(), QStringLiteral("Connected"));
    EXPECT_TRUE(panel->titleLabel()->styleSheet().contains(QStringLiteral("#1b7f3b")));
    EXPECT_TRUE(
        panel->detailsLabel()->text().contains(QStringLiteral("Latency: %1 ms").arg(ok.latencyMs)));
    EXPECT_TRUE(
        panel->detailsLabel()->text().contains(server.url(QStringLiteral("/v1/models")).toString()))
        << panel->detailsLabel()->text().toStdString();
    // The models the test found are offered at once.
    EXPECT_EQ(editor->modelCombo()->count(), 2);

    typeInto(editor->keyField()->lineEdit(), QStringLiteral("wrong-key"));
    const ConnectionTestResult auth = testAndWait(editor);
    EXPECT_EQ(auth.verdict, ConnectionTestResult::Verdict::Auth);
    EXPECT_TRUE(panel->titleLabel()->text().contains(QStringLiteral("Authentication failed")));
    EXPECT_TRUE(panel->titleLabel()->styleSheet().contains(QStringLiteral("#c62828")));
    EXPECT_TRUE(panel->detailsLabel()->text().contains(QStringLiteral("HTTP 401")));

    // Nothing listens on a port the server just gave up: "refused", told apart from auth.
    quint16 closedPort = 0;
    {
        LlmTestServer gone;
        closedPort = gone.port();
    }
    typeInto(editor->baseUrlEdit(), QStringLiteral("http://127.0.0.1:%1/v1").arg(closedPort));
    const ConnectionTestResult refused = testAndWait(editor);
    EXPECT_EQ(refused.verdict, ConnectionTestResult::Verdict::Refused)
        << refused.message.toStdString();
    EXPECT_TRUE(panel->titleLabel()->text().contains(QStringLiteral("refused")));

    // A wrong path: 404, with the base-URL hint.
    typeInto(editor->baseUrlEdit(), server.baseUrl().toString() + QStringLiteral("/nope/v1#"));
    const ConnectionTestResult notFound = testAndWait(editor);
    EXPECT_EQ(notFound.verdict, ConnectionTestResult::Verdict::NotFound);
    EXPECT_TRUE(panel->messageLabel()->text().contains(QStringLiteral("/v1")));
}

TEST_F(ProvidersDialogTest, RunningTestCanBeCancelled)
{
    LlmTestServer::Options options;
    options.latencyMs = 5'000;
    LlmTestServer server(options);
    auto dialog = makeDialog();
    addLoopbackProvider(*dialog, server);
    ConnectionTestPanel *panel = dialog->editor()->testPanel();
    // Cancelled before the server could answer (its base latency is 5 s).
    QSignalSpy finished(panel, &ConnectionTestPanel::finished);
    QTest::mouseClick(panel->testButton(), Qt::LeftButton);
    ASSERT_TRUE(panel->isRunning());
    EXPECT_TRUE(panel->cancelButton()->isVisibleTo(panel));
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(panel->isRunning());
    EXPECT_TRUE(panel->testButton()->isEnabled());
    EXPECT_EQ(panel->lastResult()->verdict, ConnectionTestResult::Verdict::Cancelled);
    EXPECT_EQ(panel->titleLabel()->text(), QStringLiteral("Test cancelled"));
}

TEST_F(ProvidersDialogTest, FetchModelsFillsTheCombo)
{
    LlmTestServer server;
    auto dialog = makeDialog();
    addLoopbackProvider(*dialog, server);
    ProviderEditor *editor = dialog->editor();
    EXPECT_EQ(editor->modelCombo()->count(), 0);

    QSignalSpy fetched(editor, &ProviderEditor::modelsFetched);
    QTest::mouseClick(editor->fetchModelsButton(), Qt::LeftButton);
    EXPECT_FALSE(editor->fetchModelsButton()->isEnabled());
    ASSERT_TRUE(fetched.wait(kWaitMs));
    EXPECT_TRUE(editor->fetchModelsButton()->isEnabled());
    ASSERT_EQ(editor->modelCombo()->count(), 2);
    EXPECT_EQ(editor->modelCombo()->itemText(0), QStringLiteral("test-model"));
    EXPECT_EQ(editor->modelCombo()->itemText(1), QStringLiteral("test-model-large"));
    // An empty default model takes the first one, and the list shows it.
    EXPECT_EQ(editor->modelCombo()->currentText(), QStringLiteral("test-model"));
    EXPECT_EQ(dialog->model()->config(0).defaultModel, QStringLiteral("test-model"));

    // A failure says where and what to do, in red.
    server.setApiKey("needed");
    QTest::mouseClick(editor->fetchModelsButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(editor->fetchModelsButton()->isEnabled(), kWaitMs);
    EXPECT_TRUE(editor->fetchStatusLabel()->text().contains(QStringLiteral("Could not list")));
    EXPECT_TRUE(editor->fetchStatusLabel()->text().contains(QString::number(server.port())));
}

TEST_F(ProvidersDialogTest, FindLocalServersOffersWhatAnswered)
{
    LlmTestServer server;
    auto dialog = makeDialog();
    dialog->setLocalScanTargets({{ProviderPreset::LmStudio, server.port()}});
    QSignalSpy scanned(dialog.get(), &ProvidersDialog::localScanFinished);
    dialog->findLocalServers();
    ASSERT_TRUE(scanned.wait(kWaitMs));
    EXPECT_EQ(scanned.first().first().toInt(), 1);
    ASSERT_EQ(dialog->localServersMenu()->actions().size(), 1);
    EXPECT_TRUE(dialog->localServersMenu()->actions().first()->text().contains(
        QStringLiteral("LM Studio")));

    dialog->localServersMenu()->actions().first()->trigger();
    ASSERT_EQ(dialog->model()->rowCount(), 1);
    const ProviderConfig &added = dialog->model()->config(0);
    EXPECT_EQ(added.preset, ProviderPreset::LmStudio);
    EXPECT_EQ(resolvedUrl(added, Endpoint::Models), server.url(QStringLiteral("/v1/models")));
    EXPECT_EQ(added.defaultModel, QStringLiteral("test-model"));
    EXPECT_EQ(dialog->editor()->modelCombo()->count(), 2);
}

TEST_F(ProvidersDialogTest, RemoveAsksFirstAndDeletesTheKeyOnApply)
{
    m_store->setValue(accountForProvider(QStringLiteral("custom")), QStringLiteral("k-123"));
    {
        auto first = makeDialog();
        first->addProvider(ProviderPreset::Custom);
        typeInto(first->editor()->baseUrlEdit(), QStringLiteral("localhost:8080"));
        first->addProvider(ProviderPreset::Simulated);
        ASSERT_TRUE(saveAndWait(*first));
    }
    auto dialog = makeDialog();
    ASSERT_EQ(dialog->model()->rowCount(), 2);
    dialog->selectProvider(QStringLiteral("custom"));

    dialog->removeCurrent();
    QMessageBox *box = dialog->pendingConfirmation();
    ASSERT_NE(box, nullptr);
    box->button(QMessageBox::Cancel)->click();
    EXPECT_EQ(dialog->model()->rowCount(), 2);

    QTRY_VERIFY(dialog->pendingConfirmation() == nullptr); // deleted on close
    dialog->listView()->setFocus();
    dialog->removeCurrent();
    box = dialog->pendingConfirmation();
    ASSERT_NE(box, nullptr);
    box->button(QMessageBox::Yes)->click();
    EXPECT_EQ(dialog->model()->rowCount(), 1);
    EXPECT_EQ(dialog->currentId(), QStringLiteral("simulated"));
    EXPECT_TRUE(m_store->value(accountForProvider(QStringLiteral("custom"))).has_value());

    ASSERT_TRUE(saveAndWait(*dialog));
    EXPECT_FALSE(readAll(m_path).contains(QStringLiteral("\"custom\"")));
    EXPECT_FALSE(m_store->value(accountForProvider(QStringLiteral("custom"))).has_value());
}

TEST_F(ProvidersDialogTest, DuplicateAndDisable)
{
    auto dialog = makeDialog();
    dialog->addProvider(ProviderPreset::Ollama);
    typeInto(dialog->editor()->keyField()->lineEdit(), QStringLiteral("ollama-key"));
    dialog->duplicateCurrent();
    ASSERT_EQ(dialog->model()->rowCount(), 2);
    EXPECT_EQ(dialog->currentId(), QStringLiteral("ollama-2"));
    EXPECT_FALSE(dialog->editor()->idEdit()->isReadOnly()); // not saved yet
    EXPECT_EQ(dialog->editor()->keyField()->lineEdit()->text(), QStringLiteral("ollama-key"));

    dialog->model()->setData(dialog->model()->index(1), Qt::Unchecked, Qt::CheckStateRole);
    ASSERT_TRUE(saveAndWait(*dialog));
    ProviderRegistry reloaded(m_path);
    reloaded.load();
    ASSERT_EQ(reloaded.providers().size(), 2u);
    EXPECT_TRUE(reloaded.providers()[0].enabled);
    EXPECT_FALSE(reloaded.providers()[1].enabled);
    EXPECT_EQ(m_store->value(accountForProvider(QStringLiteral("ollama-2"))),
              QStringLiteral("ollama-key"));
}

TEST_F(ProvidersDialogTest, OkSavesAndClosesCancelDiscards)
{
    {
        auto dialog = makeDialog();
        dialog->addProvider(ProviderPreset::Simulated);
        dialog->reject();
        EXPECT_EQ(dialog->result(), QDialog::Rejected);
    }
    EXPECT_FALSE(QFile::exists(m_path));

    auto dialog = makeDialog();
    dialog->show();
    dialog->addProvider(ProviderPreset::Simulated);
    QSignalSpy finished(dialog.get(), &QDialog::finished);
    dialog->buttonBox()->button(QDialogButtonBox::Ok)->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    EXPECT_EQ(dialog->result(), QDialog::Accepted);
    EXPECT_TRUE(readAll(m_path).contains(QStringLiteral("\"simulated\"")));
}

// Renders the dialog after a successful test; saved when CRUCIBLE_SCREENSHOT_DIR is set.
TEST_F(ProvidersDialogTest, ScreenshotAfterSuccessfulTest)
{
    LlmTestServer::Options options;
    options.apiKey = "sk-lm-studio-demo";
    options.models = {QStringLiteral("qwen2.5-7b-instruct"),
                      QStringLiteral("llama-3.1-8b-instruct"), QStringLiteral("mistral-nemo-12b")};
    LlmTestServer server(options);

    auto dialog = makeDialog();
    dialog->addProvider(ProviderPreset::OpenAi);
    dialog->addProvider(ProviderPreset::Anthropic);
    dialog->addProvider(ProviderPreset::Ollama);
    dialog->model()->setData(dialog->model()->index(2), Qt::Unchecked, Qt::CheckStateRole);
    dialog->addProvider(ProviderPreset::Simulated);
    dialog->addProvider(ProviderPreset::LmStudio);
    ProviderEditor *editor = dialog->editor();
    typeInto(editor->baseUrlEdit(), QStringLiteral("127.0.0.1:%1").arg(server.port()));
    typeInto(editor->keyField()->lineEdit(), QStringLiteral("sk-lm-studio-demo"));
    editor->modelCombo()->setEditText(QStringLiteral("qwen2.5-7b-instruct"));
    dialog->show();

    const ConnectionTestResult result = testAndWait(editor);
    ASSERT_EQ(result.verdict, ConnectionTestResult::Verdict::Ok) << result.message.toStdString();
    ASSERT_TRUE(saveAndWait(*dialog));

    const QPixmap shot = dialog->grab();
    EXPECT_FALSE(shot.isNull());
    const QString dir = qEnvironmentVariable("CRUCIBLE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        EXPECT_TRUE(shot.save(QDir(dir).filePath(QStringLiteral("settings-providers.png"))));
    }
}

TEST_F(ProvidersDialogTest, LocalServerPriceIsEditedInTheEditorAndSaved)
{
    auto dialog = makeDialog();
    dialog->addProvider(ProviderPreset::Ollama);
    ProviderEditor *editor = dialog->editor();
    EXPECT_TRUE(editor->isRowVisible(editor->inputPriceEdit()->parentWidget()));
    EXPECT_FALSE(editor->inputPriceEdit()->isHidden());
    // Unpriced until the user sets a price, and the form says so.
    EXPECT_TRUE(editor->inputPriceEdit()->text().isEmpty());
    EXPECT_EQ(editor->inputPriceEdit()->placeholderText(), QStringLiteral("unpriced"));
    EXPECT_TRUE(editor->priceNoteLabel()->text().startsWith(QStringLiteral("Unpriced")))
        << editor->priceNoteLabel()->text().toStdString();
    EXPECT_FALSE(dialog->model()->config(0).inputUsdPerMillion.has_value());

    typeInto(editor->inputPriceEdit(), QStringLiteral("0.2"));
    typeInto(editor->outputPriceEdit(), QStringLiteral("0,8"));
    EXPECT_EQ(dialog->model()->config(0).inputUsdPerMillion.value_or(-1), 0.2);
    EXPECT_EQ(dialog->model()->config(0).outputUsdPerMillion.value_or(-1), 0.8);
    ASSERT_TRUE(saveAndWait(*dialog)) << dialog->statusLabel()->text().toStdString();
    ProviderRegistry reloaded(m_path);
    ASSERT_TRUE(reloaded.load().ok);
    ASSERT_NE(reloaded.find(QStringLiteral("ollama")), nullptr);
    EXPECT_EQ(reloaded.find(QStringLiteral("ollama"))->inputUsdPerMillion.value_or(-1), 0.2);
    EXPECT_EQ(reloaded.find(QStringLiteral("ollama"))->outputUsdPerMillion.value_or(-1), 0.8);

    // Free: 0 and 0.
    typeInto(editor->inputPriceEdit(), QStringLiteral("0"));
    typeInto(editor->outputPriceEdit(), QStringLiteral("0"));
    EXPECT_TRUE(editor->priceNoteLabel()->text().contains(QStringLiteral("$0")));

    // Nonsense is refused with the field named.
    typeInto(editor->inputPriceEdit(), QStringLiteral("cheap"));
    EXPECT_FALSE(saveAndWait(*dialog));
    EXPECT_TRUE(editor->issuesLabel()->text().contains(QStringLiteral("Input price")))
        << editor->issuesLabel()->text().toStdString();

    // A cloud preset is priced from the table: no price fields, a note instead.
    dialog->addProvider(ProviderPreset::OpenAi);
    EXPECT_TRUE(editor->inputPriceEdit()->isHidden());
    EXPECT_TRUE(editor->priceNoteLabel()->text().contains(QStringLiteral("price table")));
}

TEST_F(ProvidersDialogTest, TestConnectionWarnsWhenTheModelIsNotListed)
{
    LlmTestServer server;
    auto dialog = makeDialog();
    addLoopbackProvider(*dialog, server);
    ProviderEditor *editor = dialog->editor();
    editor->modelCombo()->setEditText(QStringLiteral("llama-3-typo"));

    const ConnectionTestResult result = testAndWait(editor);
    EXPECT_TRUE(result.ok()) << "a warning, not a failure";
    ConnectionTestPanel *panel = editor->testPanel();
    EXPECT_EQ(panel->titleLabel()->text(),
              QStringLiteral("Connected, but the model is not listed"));
    EXPECT_TRUE(panel->titleLabel()->styleSheet().contains(QStringLiteral("#b26a00")));
    const QString message = panel->messageLabel()->text();
    EXPECT_TRUE(message.contains(QStringLiteral("llama-3-typo"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("test-model"))) << message.toStdString();

    editor->modelCombo()->setEditText(QStringLiteral("test-model-large"));
    const ConnectionTestResult listed = testAndWait(editor);
    EXPECT_TRUE(listed.modelWarning.isEmpty());
    EXPECT_EQ(panel->titleLabel()->text(), QStringLiteral("Connected"));
}
