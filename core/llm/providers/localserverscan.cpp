#include "core/llm/providers/localserverscan.h"

#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/providerpresets.h"

#include <memory>

namespace crucible {

std::vector<LocalServerTarget> LocalServerScan::defaultTargets()
{
    std::vector<LocalServerTarget> out;
    for (const LoopbackCandidate &candidate : loopbackCandidates())
        out.push_back({candidate.preset, quint16(candidate.baseUrl.port())});
    return out;
}

QCoro::Task<std::vector<LocalServer>> LocalServerScan::scan(std::vector<LocalServerTarget> targets,
                                                            int timeoutMs, CancelToken cancel)
{
    // One transport for all probes, with room for every probe at once.
    const auto transport = std::make_shared<HttpTransport>(int(targets.size()));
    std::vector<std::unique_ptr<OpenAiProvider>> providers;
    std::vector<QCoro::Task<ModelsResult>> probes;
    for (const LocalServerTarget &target : targets) {
        ProviderConfig config = ProviderConfig::fromPreset(target.preset);
        config.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(target.port);
        config.connectTimeoutMs = timeoutMs;
        config.streamIdleTimeoutMs = timeoutMs;
        config.totalTimeoutMs = timeoutMs;
        providers.push_back(std::make_unique<OpenAiProvider>(config, QString(), transport));
        // QCoro tasks start at once: every probe is in flight before the first is awaited.
        probes.push_back(providers.back()->listModels(cancel));
    }
    std::vector<LocalServer> found;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const ModelsResult result = co_await std::move(probes[i]);
        if (!result.ok())
            continue;
        const ProviderConfig &config = providers[i]->config();
        LocalServer server;
        server.preset = targets[i].preset;
        server.label = ProviderPresets::info(targets[i].preset).label;
        server.baseUrl = QUrl(config.baseUrl);
        server.models = result.models;
        server.latencyMs = result.latencyMs;
        found.push_back(std::move(server));
    }
    co_return found;
}

} // namespace crucible
