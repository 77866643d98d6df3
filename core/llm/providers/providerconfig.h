#pragma once
// ProviderConfig: one configured LLM connection (a plain value, JSON round trip, never holds the
// key), plus base-URL normalisation and the final request URL shown live in the settings UI.

#include "core/llm/chattypes.h"
#include "core/llm/secrets/secretstore.h"
#include "core/model/validationerror.h"

#include <QString>
#include <QStringList>
#include <QUrl>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

// The wire format spoken by the provider.
enum class ProviderType { OpenAiCompatible, Anthropic, Simulated };

// Where the defaults came from; see ProviderPresets for the table.
enum class ProviderPreset {
    OpenAi,
    Ollama,
    LlamaCpp,
    LmStudio,
    Vllm,
    OpenRouter,
    AzureOpenAi,
    Custom,
    Anthropic,
    Simulated
};

enum class Endpoint { Chat, Models };

QString providerTypeKey(ProviderType type); // "openai_compatible", "anthropic", "simulated"
std::optional<ProviderType> providerTypeFromKey(const QString &key);

struct HttpHeader
{
    QString name;
    QString value;

    bool operator==(const HttpHeader &) const = default;
};

struct ProviderConfig
{
    QString id; // stable, [A-Za-z0-9._-], names the keychain entry
    QString displayName;
    ProviderType type = ProviderType::OpenAiCompatible;
    ProviderPreset preset = ProviderPreset::Custom;
    // As typed: host only, with or without scheme and /v1. Azure: the resource URL
    // (https://NAME.openai.azure.com) or just NAME.
    QString baseUrl;
    QString azureDeployment;
    QString azureApiVersion;
    QString keyEnvVar; // name of an environment variable holding the key; never the key itself
    QString defaultModel;
    bool enabled = true;

    int concurrency = 4;
    int requestsPerMinute = 0; // 0 = no limit
    int tokensPerMinute = 0;   // 0 = no limit
    int connectTimeoutMs = 10'000;
    int streamIdleTimeoutMs = 120'000; // 0 = off
    int totalTimeoutMs = 600'000;      // 0 = off
    int maxRetries = 2;
    std::optional<double> temperature; // unset = not sent (some servers reject unknown fields)
    std::optional<int> maxTokens;
    // How a schema-shaped answer is asked for ("structured_output" in providers.json). Unset =
    // auto: the strongest mode the server accepts (Anthropic: forced tool, then prompt;
    // OpenAI-compatible: json_schema, then json_object, then prompt), falling back for the rest
    // of the session when the server rejects one. Set: exactly that mode, no fallback. Tool
    // needs the Anthropic type, JsonSchema/JsonObject the OpenAI-compatible one.
    std::optional<StructuredMode> structuredOutput;
    // What calls to a local or custom server cost, USD per 1M tokens; unset = unpriced. Only
    // used when pricedByConfig(): cloud presets are priced from the PriceTable by model name.
    std::optional<double> inputUsdPerMillion;
    std::optional<double> outputUsdPerMillion;
    // E.g. OpenRouter's HTTP-Referer; no credentials. Stored as a JSON object, so they load
    // back ordered by name.
    std::vector<HttpHeader> extraHeaders;

    // A config filled with the preset's defaults; the id defaults to the preset key.
    static ProviderConfig fromPreset(ProviderPreset preset, const QString &id = {});

    // keyEnvVar if set, else the preset's conventional variable (OPENAI_API_KEY, …), else empty.
    QString effectiveKeyEnvVar() const;
    SecretLookup secretLookup() const;
    bool keyRequired() const; // cloud presets need a key; local servers and Custom do not
    // True for local servers (Ollama, llama.cpp, LM Studio, vLLM) and Custom: their price comes
    // from this config, never from a cloud vendor's table entry that shares the model name.
    bool pricedByConfig() const;

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    // Missing fields take the preset's defaults. Throws ValidationError naming the field, with
    // `path` (e.g. "providers[2]") as prefix. Key-like fields in the input are ignored.
    static ProviderConfig fromJson(const nlohmann::json &json, const QString &path = {});

    bool operator==(const ProviderConfig &) const = default;
};

// A URL with what was changed to get it, or why there is none.
struct NormalizedUrl
{
    QUrl url;
    QString error;     // set when url is invalid
    QStringList notes; // e.g. "added /v1", "assumed https://"

    bool ok() const { return error.isEmpty() && url.isValid(); }
};

// Accepts "localhost:11434", "api.openai.com", "https://host/v1/", a pasted ".../chat/completions"
// URL; adds http:// for local hosts and https:// otherwise, and /v1 when the path has no version
// segment. A trailing '#' means "use exactly this path".
NormalizedUrl normalizeBaseUrl(const QString &input);

// The URL a request to `endpoint` goes to, with notes or the reason there is none.
NormalizedUrl resolveUrl(const ProviderConfig &config, Endpoint endpoint);
// Same, URL only: invalid QUrl when the config cannot produce one (and for Simulated).
QUrl resolvedUrl(const ProviderConfig &config, Endpoint endpoint);

// "auto" for unset, else structuredModeName(); what providers.json and the CLI show.
QString structuredOutputKey(const std::optional<StructuredMode> &mode);

// True for loopback, link-local, private-LAN and single-label host names.
bool isLocalHost(const QString &host);

} // namespace crucible
