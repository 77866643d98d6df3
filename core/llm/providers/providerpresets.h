#pragma once
// ProviderPresets: the built-in table of provider defaults (URL, key variable, model, limits)
// and the loopback URLs of local servers to probe. Immutable static data, safe from any thread.

#include "core/llm/providers/providerconfig.h"

#include <QUrl>

#include <optional>
#include <vector>

namespace crucible {

struct ProviderPresetInfo
{
    ProviderPreset preset;
    QString key;   // JSON name, e.g. "lmstudio"
    QString label; // e.g. "LM Studio"
    ProviderType type;
    QString defaultBaseUrl; // empty for Azure (per resource), Custom and Simulated
    QString keyEnvVar;      // conventional variable, empty for local servers
    QString defaultModel;
    bool keyRequired;
    bool local; // a server on this machine (auto-detect candidate)
    int concurrency;
    QString keyPageUrl; // where to create a key
    QString probePath;  // GET path that identifies a local server
};

class ProviderPresets final
{
public:
    static const std::vector<ProviderPresetInfo> &all();
    static const ProviderPresetInfo &info(ProviderPreset preset);
    static std::optional<ProviderPreset> fromKey(const QString &key);
    static QString key(ProviderPreset preset) { return info(preset).key; }
};

// Azure's GA data-plane API version used when a config leaves it empty.
QString defaultAzureApiVersion();

struct LoopbackCandidate
{
    ProviderPreset preset;
    QUrl baseUrl;  // what a config would use, e.g. http://127.0.0.1:11434/v1
    QUrl probeUrl; // e.g. http://127.0.0.1:11434/api/version
};

// Local-server presets in probe order (Ollama, llama.cpp, LM Studio, vLLM). Port 8080 is shared
// by llama.cpp and LocalAI, so a scan must identify servers by the endpoints they answer.
std::vector<LoopbackCandidate> loopbackCandidates();

} // namespace crucible
