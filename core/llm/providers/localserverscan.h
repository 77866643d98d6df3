#pragma once
// LocalServerScan: finds OpenAI-compatible servers on this machine (Ollama, llama.cpp, LM Studio,
// vLLM) by asking every candidate loopback port for GET /v1/models at once, with a short
// timeout. Stateless; call from a coroutine on the thread that runs the event loop.

#include "core/llm/cancellation.h"
#include "core/llm/providers/providerconfig.h"

#include <QCoro/QCoroTask>
#include <QStringList>
#include <QUrl>

#include <vector>

namespace crucible {

struct LocalServerTarget
{
    ProviderPreset preset;
    quint16 port;
};

struct LocalServer
{
    ProviderPreset preset;
    QString label;      // the preset's label, e.g. "LM Studio"
    QUrl baseUrl;       // what a config would use, e.g. http://127.0.0.1:1234/v1
    QStringList models; // sorted, unique; may be empty (a server with no model loaded)
    qint64 latencyMs = 0;
};

class LocalServerScan final
{
public:
    static constexpr int DefaultTimeoutMs = 800;

    // The local presets' default ports, in probe order (Ollama 11434, llama.cpp 8080,
    // LM Studio 1234, vLLM 8000).
    static std::vector<LocalServerTarget> defaultTargets();

    // The targets that answered with a model list, in target order. Only 127.0.0.1 is probed.
    static QCoro::Task<std::vector<LocalServer>>
    scan(std::vector<LocalServerTarget> targets = defaultTargets(),
         int timeoutMs = DefaultTimeoutMs, CancelToken cancel = {});
};

} // namespace crucible
