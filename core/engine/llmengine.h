#pragma once
// LlmEngine: the LLM layer on the engine thread — providers (from providers.json and the
// SecretStore), scheduler, cache and ledger (its own workspace connection). Create it, move it
// to its thread, then talk to it only through queued calls (QMetaObject::invokeMethod) and its
// signals; every member runs on the engine thread. The coroutines its slots start (provider
// reloads, chats) are owned by it: await shutdown() before destroying it.

#include "core/engine/taskgroup.h"
#include "core/llm/llmclient.h"
#include "core/llm/secrets/secretstore.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <memory>

namespace crucible {

class Workspace;

struct LlmProviderInfo
{
    QString id;
    QString label; // "Simulated" is always in the label of the simulated provider
    QString model;
    bool simulated = false;
    ProviderConfig config; // no key: keys live in the SecretStore
};

class LlmEngine final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString providersFile; // empty: ProviderRegistry::defaultFilePath()
        // null: a default chain (keychain → environment → sessionKeys) made on the engine
        // thread, where the keychain jobs must live.
        std::shared_ptr<SecretStore> secrets;
        std::shared_ptr<SecretStore> sessionKeys; // shared with the GUI's chain; may be null
        PriceTable prices;                        // empty: PriceTable::withUserOverrides()
        bool loadPrices = true;
    };

    explicit LlmEngine(Options options, QObject *parent = nullptr);
    ~LlmEngine() override;

    // Engine thread only (tests on one thread may call it directly).
    LlmClient *client() const { return m_client.get(); }
    // Cancels every call and completes when the reloads and chats it started have ended. Await
    // the generation and evaluation engines' shutdown first: their jobs use this client.
    QCoro::Task<> shutdown();
    int tasksRunning() const { return m_tasks.running(); }
    // Takes a coroutine started on the engine thread that uses the client (a suggestion, a
    // test call), so that shutdown() cancels and awaits it like the engine's own.
    void adopt(QCoro::Task<> task);

public slots:
    // Records into the workspace at `path` (its own connection); empty closes the ledger.
    void openWorkspace(const QString &path);
    // (Re)reads providers.json and the keys; emits providersChanged.
    void reloadProviders();
    // Sends `prompt` `samples` times (sample index 0..n-1) through the LlmClient; answers
    // stream through chatDelta (sample 0 only) and each ends with chatFinished.
    void submitChat(quint64 ticket, const QString &providerId, const QString &prompt,
                    const QString &system, int samples, bool useCache);
    void cancelAll();

signals:
    void providersChanged(const QList<crucible::LlmProviderInfo> &providers,
                          const QString &defaultId, const QStringList &problems);
    void statsChanged(const crucible::LlmSessionStats &stats);
    void callRecorded(const crucible::LlmCall &call);
    void chatDelta(quint64 ticket, const QString &delta);
    void chatFinished(quint64 ticket, int sample, bool ok, const QString &text,
                      const QString &summary);
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> loadProviders();
    QCoro::Task<> runChat(quint64 ticket, LlmCallSpec spec, int sample);

    Options m_options;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<LlmClient> m_client;
    std::shared_ptr<SecretStore> m_secrets;
    quint64 m_providerGeneration = 0;
    TaskGroup m_tasks; // loadProviders and runChat coroutines
    bool m_shuttingDown = false;
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::LlmProviderInfo)
