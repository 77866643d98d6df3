#include "core/engine/llmengine.h"

#include "core/llm/moneyformat.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/chainedsecretstore.h"
#include "core/store/workspace.h"
#include "core/store/workspaceerror.h"

namespace crucible {

LlmEngine::LlmEngine(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<crucible::LlmProviderInfo>();
    qRegisterMetaType<QList<crucible::LlmProviderInfo>>();
    m_secrets = m_options.secrets;
    QString warning;
    PriceTable prices =
        m_options.loadPrices ? PriceTable::withUserOverrides(&warning) : m_options.prices;
    m_client = std::make_unique<LlmClient>(std::move(prices), this);
    connect(m_client.get(), &LlmClient::statsChanged, this, &LlmEngine::statsChanged);
    connect(m_client.get(), &LlmClient::callRecorded, this, &LlmEngine::callRecorded);
    connect(m_client.get(), &LlmClient::ledgerFailed, this, &LlmEngine::errorOccurred);
    if (!warning.isEmpty())
        QMetaObject::invokeMethod(
            this, [this, warning] { emit errorOccurred(warning); }, Qt::QueuedConnection);
}

LlmEngine::~LlmEngine()
{
    m_client->cancelAll();
    m_client->setLedger(nullptr);
}

QCoro::Task<> LlmEngine::shutdown()
{
    m_shuttingDown = true;
    ++m_providerGeneration; // a reload in flight changes nothing any more
    m_client->cancelAll();
    co_await m_tasks.drain();
}

void LlmEngine::adopt(QCoro::Task<> task)
{
    m_tasks.start(std::move(task));
}

void LlmEngine::openWorkspace(const QString &path)
{
    m_client->setLedger(nullptr);
    m_workspace.reset();
    if (path.isEmpty())
        return;
    try {
        m_workspace = Workspace::open(path, Workspace::Mode::ReadWrite);
        m_client->setLedger(m_workspace.get());
    } catch (const WorkspaceError &e) {
        emit errorOccurred(QStringLiteral("LLM calls will not be recorded: %1").arg(e.message()));
    }
}

void LlmEngine::reloadProviders()
{
    if (!m_shuttingDown)
        m_tasks.start(loadProviders());
}

QCoro::Task<> LlmEngine::loadProviders()
{
    const quint64 generation = ++m_providerGeneration;
    if (!m_secrets) {
        m_secrets = m_options.sessionKeys
                        ? std::shared_ptr<SecretStore>(
                              ChainedSecretStore::createDefault(m_options.sessionKeys))
                        : std::shared_ptr<SecretStore>(ChainedSecretStore::createDefault());
    }
    ProviderRegistry registry(m_options.providersFile.isEmpty()
                                  ? ProviderRegistry::defaultFilePath()
                                  : m_options.providersFile);
    const auto loaded = registry.load();
    QStringList problems = loaded.errors + loaded.warnings;
    std::vector<ProviderConfig> configs;
    for (const auto &c : registry.providers())
        if (c.enabled)
            configs.push_back(c);
    QString defaultId = configs.empty() ? QString() : configs.front().id;
    if (!registry.find(QStringLiteral("simulated")))
        configs.push_back(ProviderFactory::simulatedDefault());
    if (defaultId.isEmpty())
        defaultId = QStringLiteral("simulated");

    std::vector<std::shared_ptr<LlmProvider>> providers;
    for (const auto &c : configs) {
        ProviderSetup setup = co_await ProviderFactory::create(c, m_secrets.get());
        if (setup.ok())
            providers.push_back(setup.provider);
        else
            problems << setup.error;
    }
    if (generation != m_providerGeneration)
        co_return; // a newer reload superseded this one
    for (const QString &id : m_client->providerIds())
        m_client->removeProvider(id);
    QList<LlmProviderInfo> infos;
    for (const auto &p : providers) {
        m_client->addProvider(p);
        infos.append(
            {p->config().id, p->label(), p->config().defaultModel, p->isSimulated(), p->config()});
    }
    if (!m_client->provider(defaultId) && !infos.isEmpty())
        defaultId = infos.front().id;
    emit providersChanged(infos, defaultId, problems);
}

void LlmEngine::submitChat(quint64 ticket, const QString &providerId, const QString &prompt,
                           const QString &system, int samples, bool useCache)
{
    for (int i = 0; i < std::max(1, samples); ++i) {
        LlmCallSpec spec;
        spec.providerId = providerId;
        spec.request = ChatRequest::simple(prompt, system);
        spec.request.sampleIndex = i;
        spec.request.stream = i == 0;
        spec.useCache = useCache;
        spec.jobId = QStringLiteral("playground");
        if (m_shuttingDown)
            emit chatFinished(ticket, i, false, QString(),
                              QStringLiteral("Not sent: the engine is shutting down."));
        else
            m_tasks.start(runChat(ticket, std::move(spec), i));
    }
}

QCoro::Task<> LlmEngine::runChat(quint64 ticket, LlmCallSpec spec, int sample)
{
    if (sample == 0)
        spec.onDelta = [this, ticket](const QString &delta) { emit chatDelta(ticket, delta); };
    const LlmCallOutcome out = co_await m_client->call(spec);
    QString summary;
    if (out.ok()) {
        const auto &r = *out.result.response;
        summary = QStringLiteral("%1 · %2 in / %3 out tokens · %4 · %5 ms")
                      .arg(r.model)
                      .arg(r.usage.inputTokens)
                      .arg(r.usage.outputTokens)
                      .arg(formatCallCost(out.costUsd, out.cacheHit))
                      .arg(out.result.latencyMs);
    } else {
        summary = out.error().describe();
    }
    emit chatFinished(ticket, sample, out.ok(), out.text(), summary);
}

void LlmEngine::cancelAll()
{
    m_client->cancelAll();
}

} // namespace crucible
