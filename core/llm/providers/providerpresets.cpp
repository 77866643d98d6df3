#include "core/llm/providers/providerpresets.h"

#include <algorithm>

namespace crucible {

namespace {

ProviderPresetInfo makeInfo(ProviderPreset preset, const char *key, const char *label,
                            ProviderType type, const char *baseUrl, const char *keyEnvVar,
                            const char *model, bool keyRequired, bool local, int concurrency,
                            const char *keyPage, const char *probePath)
{
    return ProviderPresetInfo{preset,
                              QString::fromUtf8(key),
                              QString::fromUtf8(label),
                              type,
                              QString::fromUtf8(baseUrl),
                              QString::fromUtf8(keyEnvVar),
                              QString::fromUtf8(model),
                              keyRequired,
                              local,
                              concurrency,
                              QString::fromUtf8(keyPage),
                              QString::fromUtf8(probePath)};
}

std::vector<ProviderPresetInfo> buildTable()
{
    using P = ProviderPreset;
    using T = ProviderType;
    std::vector<ProviderPresetInfo> t;
    // Cloud APIs: a key is required; concurrency stays modest until rate limits are known.
    t.push_back(makeInfo(P::OpenAi, "openai", "OpenAI", T::OpenAiCompatible,
                         "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4.1-mini", true, false,
                         8, "https://platform.openai.com/api-keys", ""));
    t.push_back(makeInfo(P::Anthropic, "anthropic", "Anthropic", T::Anthropic,
                         "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY", "claude-sonnet-4-5",
                         true, false, 8, "https://console.anthropic.com/settings/keys", ""));
    t.push_back(makeInfo(P::OpenRouter, "openrouter", "OpenRouter", T::OpenAiCompatible,
                         "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
                         "openai/gpt-4.1-mini", true, false, 8, "https://openrouter.ai/keys", ""));
    t.push_back(makeInfo(P::AzureOpenAi, "azure_openai", "Azure OpenAI", T::OpenAiCompatible, "",
                         "AZURE_OPENAI_API_KEY", "", true, false, 8, "https://portal.azure.com/",
                         ""));
    // Local servers: no key by default (one may be configured), few parallel slots.
    t.push_back(makeInfo(P::Ollama, "ollama", "Ollama", T::OpenAiCompatible,
                         "http://127.0.0.1:11434/v1", "", "", false, true, 2, "", "/api/version"));
    t.push_back(makeInfo(P::LlamaCpp, "llamacpp", "llama.cpp server", T::OpenAiCompatible,
                         "http://127.0.0.1:8080/v1", "", "", false, true, 2, "", "/health"));
    t.push_back(makeInfo(P::LmStudio, "lmstudio", "LM Studio", T::OpenAiCompatible,
                         "http://127.0.0.1:1234/v1", "", "", false, true, 2, "", "/v1/models"));
    t.push_back(makeInfo(P::Vllm, "vllm", "vLLM", T::OpenAiCompatible, "http://127.0.0.1:8000/v1",
                         "", "", false, true, 16, "", "/v1/models"));
    t.push_back(makeInfo(P::Custom, "custom", "Custom (OpenAI-compatible)", T::OpenAiCompatible, "",
                         "", "", false, false, 4, "", ""));
    t.push_back(makeInfo(P::Simulated, "simulated", "Simulated (offline, no network)", T::Simulated,
                         "", "", "simulated", false, true, 8, "", ""));
    return t;
}

} // namespace

const std::vector<ProviderPresetInfo> &ProviderPresets::all()
{
    static const std::vector<ProviderPresetInfo> table = buildTable();
    return table;
}

const ProviderPresetInfo &ProviderPresets::info(ProviderPreset preset)
{
    const auto &table = all();
    const auto it = std::find_if(table.begin(), table.end(),
                                 [preset](const auto &info) { return info.preset == preset; });
    Q_ASSERT(it != table.end());
    return it != table.end() ? *it : table.back();
}

std::optional<ProviderPreset> ProviderPresets::fromKey(const QString &key)
{
    for (const auto &info : all()) {
        if (info.key.compare(key.trimmed(), Qt::CaseInsensitive) == 0)
            return info.preset;
    }
    return std::nullopt;
}

QString defaultAzureApiVersion()
{
    return QStringLiteral("2024-10-21");
}

std::vector<LoopbackCandidate> loopbackCandidates()
{
    std::vector<LoopbackCandidate> out;
    for (const auto &info : ProviderPresets::all()) {
        if (!info.local || info.defaultBaseUrl.isEmpty())
            continue;
        const QUrl base(info.defaultBaseUrl);
        QUrl probe = base;
        probe.setPath(info.probePath);
        out.push_back({info.preset, base, probe});
    }
    return out;
}

} // namespace crucible
