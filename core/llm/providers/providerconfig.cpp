#include "core/llm/providers/providerconfig.h"

#include "core/llm/providers/providerpresets.h"
#include "core/model/jsonsupport.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <cmath>

namespace crucible {

using nlohmann::json;

namespace {

const QString HttpsPrefix = QStringLiteral("https://");

bool matches(const QString &pattern, const QString &text)
{
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    return re.match(text).hasMatch();
}

bool hasVersionSegment(const QString &path)
{
    static const QRegularExpression version(QStringLiteral("^v\\d+[a-z0-9]*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
    return std::any_of(segments.begin(), segments.end(),
                       [](const QString &s) { return version.match(s).hasMatch(); });
}

// Header names that would carry a credential; those belong in the key store, not in a file.
bool looksLikeCredentialHeader(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("auth|key|token|secret|cookie|password"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(name).hasMatch();
}

QString appendPath(QString base, const QString &suffix)
{
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + suffix;
}

// Scheme + host + port of the Azure resource; bare names expand to NAME.openai.azure.com.
NormalizedUrl azureResourceUrl(const QString &input)
{
    NormalizedUrl out;
    QString text = input.trimmed();
    if (text.isEmpty()) {
        out.error = QStringLiteral("Azure OpenAI needs the resource URL "
                                   "(https://NAME.openai.azure.com) or the resource name");
        return out;
    }
    if (!text.contains(u'.') && !text.contains(u'/') && !text.contains(u':')) {
        out.notes
            << QStringLiteral("expanded resource name to https://%1.openai.azure.com").arg(text);
        text = HttpsPrefix + text + QStringLiteral(".openai.azure.com");
    } else if (!text.contains(QStringLiteral("://"))) {
        text = HttpsPrefix + text;
        out.notes << QStringLiteral("assumed https://");
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        out.error = QStringLiteral("is not a valid URL (%1)").arg(url.errorString());
        return out;
    }
    if (!url.userInfo().isEmpty()) {
        out.error = QStringLiteral("must not contain a user name or password; put the key in "
                                   "the API key field");
        return out;
    }
    if (!url.path().isEmpty() && url.path() != QStringLiteral("/"))
        out.notes << QStringLiteral("ignored the path %1 (Crucible builds the Azure paths)")
                         .arg(url.path());
    QUrl root;
    root.setScheme(url.scheme().toLower());
    root.setHost(url.host());
    root.setPort(url.port());
    out.url = root;
    return out;
}

std::optional<double> optionalNumber(const json &obj, const char *field, const QString &path)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number())
        throw ValidationError(path.isEmpty() ? QString::fromUtf8(field)
                                             : path + u'.' + QString::fromUtf8(field),
                              jsonio::describe(*it), QStringLiteral("must be a number or null"));
    return it->get<double>();
}

QString prefixed(const QString &path, const QString &field)
{
    return path.isEmpty() ? field : path + u'.' + field;
}

} // namespace

QString providerTypeKey(ProviderType type)
{
    switch (type) {
    case ProviderType::OpenAiCompatible:
        return QStringLiteral("openai_compatible");
    case ProviderType::Anthropic:
        return QStringLiteral("anthropic");
    case ProviderType::Simulated:
        break;
    }
    return QStringLiteral("simulated");
}

std::optional<ProviderType> providerTypeFromKey(const QString &key)
{
    for (const auto type :
         {ProviderType::OpenAiCompatible, ProviderType::Anthropic, ProviderType::Simulated}) {
        if (providerTypeKey(type) == key.trimmed().toLower())
            return type;
    }
    return std::nullopt;
}

bool isLocalHost(const QString &hostInput)
{
    QString host = hostInput.trimmed().toLower();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        return false;
    if (host == QStringLiteral("localhost") || host.endsWith(QStringLiteral(".localhost")) ||
        host.endsWith(QStringLiteral(".local")) || host.endsWith(QStringLiteral(".lan")) ||
        host.endsWith(QStringLiteral(".internal")) || host.endsWith(QStringLiteral(".home.arpa")))
        return true;
    QHostAddress address;
    if (address.setAddress(host)) {
        if (address.isLoopback() || address.isLinkLocal() || address.isUniqueLocalUnicast() ||
            address.isSiteLocal() || address == QHostAddress::AnyIPv4 ||
            address == QHostAddress::AnyIPv6)
            return true;
        // RFC 1918 private ranges (QHostAddress::isPrivateUse is Qt 6.6+).
        for (const char *subnet : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}) {
            if (address.isInSubnet(QHostAddress::parseSubnet(QString::fromUtf8(subnet))))
                return true;
        }
        return false;
    }
    return !host.contains(u'.'); // single-label names ("gpu-box") resolve on the LAN
}

NormalizedUrl normalizeBaseUrl(const QString &input)
{
    NormalizedUrl out;
    QString text = input.trimmed();
    if (text.isEmpty()) {
        out.error = QStringLiteral("is empty; enter the server address, e.g. "
                                   "http://localhost:11434 or https://api.openai.com");
        return out;
    }
    bool verbatim = false;
    if (text.endsWith(u'#')) {
        verbatim = true;
        text.chop(1);
        out.notes << QStringLiteral("path used as typed (ends with #)");
    }
    if (!text.contains(QStringLiteral("://"))) {
        // The host is what precedes the first '/' and the port.
        QString host = text.section(u'/', 0, 0);
        if (host.startsWith(u'['))
            host = host.section(u']', 0, 0) + u']';
        else
            host = host.section(u':', 0, 0);
        const QString scheme =
            isLocalHost(host) ? QStringLiteral("http://") : QStringLiteral("https://");
        text = scheme + text;
        out.notes << QStringLiteral("assumed ") + scheme;
    }
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        out.error = QStringLiteral("is not a valid URL (%1)")
                        .arg(url.isValid() ? QStringLiteral("no host name") : url.errorString());
        return out;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != QStringLiteral("http") && scheme != QStringLiteral("https")) {
        out.error = QStringLiteral("must start with http:// or https://, not %1://").arg(scheme);
        return out;
    }
    if (!url.userInfo().isEmpty()) {
        out.error = QStringLiteral("must not contain a user name or password; put the key in "
                                   "the API key field");
        return out;
    }
    url.setScheme(scheme);
    url.setFragment({});
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (!verbatim) {
        static const char *const endpointSuffixes[] = {"/chat/completions", "/completions",
                                                       "/messages",         "/models",
                                                       "/responses",        "/embeddings"};
        for (const char *suffix : endpointSuffixes) {
            const QString s = QString::fromUtf8(suffix);
            if (path.endsWith(s, Qt::CaseInsensitive)) {
                path.chop(s.size());
                out.notes << QStringLiteral("removed %1 (added per request)").arg(s);
                break;
            }
        }
        while (path.endsWith(u'/'))
            path.chop(1);
        if (!hasVersionSegment(path)) {
            path += QStringLiteral("/v1");
            out.notes << QStringLiteral("added /v1");
        }
    }
    url.setPath(path);
    out.url = url;
    return out;
}

NormalizedUrl resolveUrl(const ProviderConfig &config, Endpoint endpoint)
{
    if (config.type == ProviderType::Simulated) {
        NormalizedUrl out;
        out.error = QStringLiteral("the simulated provider makes no network requests");
        return out;
    }
    if (config.preset == ProviderPreset::AzureOpenAi) {
        NormalizedUrl out = azureResourceUrl(config.baseUrl);
        if (!out.error.isEmpty())
            return out;
        const QString version = config.azureApiVersion.trimmed().isEmpty()
                                    ? defaultAzureApiVersion()
                                    : config.azureApiVersion.trimmed();
        if (endpoint == Endpoint::Chat) {
            const QString deployment = config.azureDeployment.trimmed();
            if (deployment.isEmpty()) {
                out.url = QUrl();
                out.error = QStringLiteral("Azure OpenAI needs a deployment name");
                return out;
            }
            out.url.setPath(QStringLiteral("/openai/deployments/") + deployment +
                            QStringLiteral("/chat/completions"));
        } else {
            out.url.setPath(QStringLiteral("/openai/models"));
        }
        out.url.setQuery(QStringLiteral("api-version=") + version);
        return out;
    }
    NormalizedUrl out = normalizeBaseUrl(config.baseUrl);
    if (!out.ok())
        return out;
    QString suffix;
    if (endpoint == Endpoint::Models)
        suffix = QStringLiteral("/models");
    else if (config.type == ProviderType::Anthropic)
        suffix = QStringLiteral("/messages");
    else
        suffix = QStringLiteral("/chat/completions");
    out.url.setPath(appendPath(out.url.path(), suffix));
    return out;
}

QUrl resolvedUrl(const ProviderConfig &config, Endpoint endpoint)
{
    const NormalizedUrl resolved = resolveUrl(config, endpoint);
    return resolved.ok() ? resolved.url : QUrl();
}

ProviderConfig ProviderConfig::fromPreset(ProviderPreset preset, const QString &id)
{
    const ProviderPresetInfo &info = ProviderPresets::info(preset);
    ProviderConfig c;
    c.id = id.isEmpty() ? info.key : id;
    c.displayName = info.label;
    c.type = info.type;
    c.preset = preset;
    c.baseUrl = info.defaultBaseUrl;
    c.defaultModel = info.defaultModel;
    c.concurrency = info.concurrency;
    if (preset == ProviderPreset::AzureOpenAi)
        c.azureApiVersion = defaultAzureApiVersion();
    if (info.local && preset != ProviderPreset::Simulated) {
        // Local servers may spend minutes loading a model before the first byte.
        c.connectTimeoutMs = 5'000;
        c.streamIdleTimeoutMs = 300'000;
        c.totalTimeoutMs = 900'000;
    }
    if (preset == ProviderPreset::OpenRouter)
        c.extraHeaders.push_back({QStringLiteral("X-Title"), QStringLiteral("Crucible")});
    return c;
}

QString ProviderConfig::effectiveKeyEnvVar() const
{
    if (!keyEnvVar.trimmed().isEmpty())
        return keyEnvVar.trimmed();
    return ProviderPresets::info(preset).keyEnvVar;
}

SecretLookup ProviderConfig::secretLookup() const
{
    return SecretLookup{accountForProvider(id), effectiveKeyEnvVar()};
}

bool ProviderConfig::keyRequired() const
{
    return ProviderPresets::info(preset).keyRequired;
}

bool ProviderConfig::pricedByConfig() const
{
    switch (preset) {
    case ProviderPreset::Ollama:
    case ProviderPreset::LlamaCpp:
    case ProviderPreset::LmStudio:
    case ProviderPreset::Vllm:
    case ProviderPreset::Custom:
        return type != ProviderType::Simulated;
    case ProviderPreset::OpenAi:
    case ProviderPreset::OpenRouter:
    case ProviderPreset::AzureOpenAi:
    case ProviderPreset::Anthropic:
    case ProviderPreset::Simulated:
        break;
    }
    return false;
}

std::vector<ValidationIssue> ProviderConfig::validate() const
{
    std::vector<ValidationIssue> issues;
    auto add = [&issues](const char *field, const QString &value, const QString &rule) {
        issues.push_back({QString::fromUtf8(field), value, rule});
    };
    if (!matches(QStringLiteral("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), id))
        add("id", id,
            QStringLiteral("must be 1-64 letters, digits, '.', '_' or '-', starting with a letter "
                           "or digit"));
    if (displayName.trimmed().isEmpty())
        add("display_name", displayName, QStringLiteral("must not be empty"));

    const ProviderPresetInfo &info = ProviderPresets::info(preset);
    const bool typeOk =
        preset == ProviderPreset::Custom ? type != ProviderType::Simulated : type == info.type;
    if (!typeOk)
        add("type", providerTypeKey(type),
            QStringLiteral("does not fit preset %1 (expected %2)")
                .arg(info.key, preset == ProviderPreset::Custom
                                   ? QStringLiteral("openai_compatible or anthropic")
                                   : providerTypeKey(info.type)));

    if (type != ProviderType::Simulated) {
        if (preset == ProviderPreset::AzureOpenAi) {
            const NormalizedUrl resource = azureResourceUrl(baseUrl);
            if (!resource.error.isEmpty())
                add("base_url", baseUrl, resource.error);
            if (azureDeployment.trimmed().isEmpty())
                add("azure_deployment", azureDeployment,
                    QStringLiteral("must name the Azure deployment (Azure portal → Deployments)"));
            else if (!matches(QStringLiteral("[A-Za-z0-9._-]+"), azureDeployment.trimmed()))
                add("azure_deployment", azureDeployment,
                    QStringLiteral("may only contain letters, digits, '.', '_' and '-'"));
            if (!azureApiVersion.trimmed().isEmpty() &&
                !matches(QStringLiteral("\\d{4}-\\d{2}-\\d{2}(-preview)?"),
                         azureApiVersion.trimmed()))
                add("azure_api_version", azureApiVersion,
                    QStringLiteral("must look like 2024-10-21 or 2025-01-01-preview"));
        } else {
            const NormalizedUrl url = normalizeBaseUrl(baseUrl);
            if (!url.ok())
                add("base_url", baseUrl, url.error);
        }
    }
    if (!keyEnvVar.trimmed().isEmpty() &&
        !matches(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*"), keyEnvVar.trimmed()))
        add("key_env_var", keyEnvVar,
            QStringLiteral("must be the NAME of an environment variable (letters, digits, '_'), "
                           "not the key itself"));
    if (concurrency < 1 || concurrency > 256)
        add("concurrency", QString::number(concurrency), QStringLiteral("must be 1-256"));
    if (requestsPerMinute < 0)
        add("requests_per_minute", QString::number(requestsPerMinute),
            QStringLiteral("must be 0 (no limit) or more"));
    if (tokensPerMinute < 0)
        add("tokens_per_minute", QString::number(tokensPerMinute),
            QStringLiteral("must be 0 (no limit) or more"));
    if (connectTimeoutMs < 1)
        add("connect_timeout_ms", QString::number(connectTimeoutMs),
            QStringLiteral("must be at least 1 ms"));
    if (streamIdleTimeoutMs < 0)
        add("stream_idle_timeout_ms", QString::number(streamIdleTimeoutMs),
            QStringLiteral("must be 0 (off) or more"));
    if (totalTimeoutMs < 0)
        add("total_timeout_ms", QString::number(totalTimeoutMs),
            QStringLiteral("must be 0 (off) or more"));
    if (maxRetries < 0 || maxRetries > 10)
        add("max_retries", QString::number(maxRetries), QStringLiteral("must be 0-10"));
    if (temperature && (!std::isfinite(*temperature) || *temperature < 0 || *temperature > 2))
        add("temperature", QString::number(*temperature), QStringLiteral("must be 0-2"));
    if (maxTokens && *maxTokens < 1)
        add("max_tokens", QString::number(*maxTokens), QStringLiteral("must be at least 1"));
    if (structuredOutput && type != ProviderType::Simulated) {
        const StructuredMode mode = *structuredOutput;
        if (mode == StructuredMode::None)
            add("structured_output", structuredOutputKey(structuredOutput),
                QStringLiteral("must be auto, tool, json_schema, json_object or prompt"));
        else if (mode == StructuredMode::Tool && type != ProviderType::Anthropic)
            add("structured_output", structuredOutputKey(structuredOutput),
                QStringLiteral("needs the Anthropic provider type; OpenAI-compatible servers "
                               "take json_schema, json_object, prompt or auto"));
        else if ((mode == StructuredMode::JsonSchema || mode == StructuredMode::JsonObject) &&
                 type != ProviderType::OpenAiCompatible)
            add("structured_output", structuredOutputKey(structuredOutput),
                QStringLiteral("needs the OpenAI-compatible provider type; Anthropic takes "
                               "tool, prompt or auto"));
    }
    const auto checkPrice = [&add](const char *field, const std::optional<double> &price) {
        if (price && (!std::isfinite(*price) || *price < 0))
            add(field, QString::number(*price),
                QStringLiteral("must be 0 (free) or more USD per 1M tokens, or empty (unpriced)"));
        else if (price && *price > 10'000)
            add(field, QString::number(*price),
                QStringLiteral("is USD per 1M tokens; %1 looks like a typo").arg(*price));
    };
    checkPrice("input_usd_per_million", inputUsdPerMillion);
    checkPrice("output_usd_per_million", outputUsdPerMillion);
    QStringList seenHeaders;
    for (const HttpHeader &h : extraHeaders) {
        const QString field = QStringLiteral("extra_headers.") + h.name;
        if (seenHeaders.contains(h.name, Qt::CaseInsensitive))
            issues.push_back({field, h.name, QStringLiteral("appears twice")});
        seenHeaders << h.name;
        if (!matches(QStringLiteral("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), h.name))
            issues.push_back({field, h.name, QStringLiteral("is not a valid HTTP header name")});
        else if (looksLikeCredentialHeader(h.name))
            issues.push_back(
                {field,
                 {},
                 QStringLiteral("must not carry credentials: providers.json is not a secret "
                                "store; put the key in the API key field")});
        if (h.value.contains(u'\r') || h.value.contains(u'\n'))
            issues.push_back({field, {}, QStringLiteral("must not contain line breaks")});
    }
    return issues;
}

QString structuredOutputKey(const std::optional<StructuredMode> &mode)
{
    return mode ? structuredModeName(*mode) : QStringLiteral("auto");
}

json ProviderConfig::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"display_name", displayName.toStdString()},
              {"type", providerTypeKey(type).toStdString()},
              {"preset", ProviderPresets::key(preset).toStdString()},
              {"base_url", baseUrl.toStdString()},
              {"key_env_var", keyEnvVar.toStdString()},
              {"default_model", defaultModel.toStdString()},
              {"enabled", enabled},
              {"concurrency", concurrency},
              {"requests_per_minute", requestsPerMinute},
              {"tokens_per_minute", tokensPerMinute},
              {"connect_timeout_ms", connectTimeoutMs},
              {"stream_idle_timeout_ms", streamIdleTimeoutMs},
              {"total_timeout_ms", totalTimeoutMs},
              {"max_retries", maxRetries}};
    if (preset == ProviderPreset::AzureOpenAi || !azureDeployment.isEmpty() ||
        !azureApiVersion.isEmpty()) {
        j["azure_deployment"] = azureDeployment.toStdString();
        j["azure_api_version"] = azureApiVersion.toStdString();
    }
    j["temperature"] = temperature ? json(*temperature) : json(nullptr);
    j["max_tokens"] = maxTokens ? json(*maxTokens) : json(nullptr);
    if (structuredOutput)
        j["structured_output"] = structuredOutputKey(structuredOutput).toStdString();
    if (pricedByConfig() || inputUsdPerMillion || outputUsdPerMillion) {
        j["input_usd_per_million"] = inputUsdPerMillion ? json(*inputUsdPerMillion) : json(nullptr);
        j["output_usd_per_million"] =
            outputUsdPerMillion ? json(*outputUsdPerMillion) : json(nullptr);
    }
    json headers = json::object();
    for (const HttpHeader &h : extraHeaders)
        headers[h.name.toStdString()] = h.value.toStdString();
    j["extra_headers"] = std::move(headers);
    return j;
}

ProviderConfig ProviderConfig::fromJson(const json &j, const QString &path)
{
    jsonio::requireObject(j, path);
    ProviderPreset preset = ProviderPreset::Custom;
    const QString presetKey = jsonio::optionalString(j, "preset", path);
    if (!presetKey.isEmpty()) {
        const auto parsed = ProviderPresets::fromKey(presetKey);
        if (!parsed) {
            QStringList keys;
            for (const auto &info : ProviderPresets::all())
                keys << info.key;
            throw ValidationError(prefixed(path, QStringLiteral("preset")), presetKey,
                                  QStringLiteral("must be one of ") + keys.join(u'|'));
        }
        preset = *parsed;
    }
    ProviderConfig c = fromPreset(preset);
    c.id = jsonio::requiredString(j, "id", path);
    c.displayName = jsonio::optionalString(j, "display_name", path, c.displayName);
    const QString typeKey = jsonio::optionalString(j, "type", path);
    if (!typeKey.isEmpty()) {
        const auto type = providerTypeFromKey(typeKey);
        if (!type)
            throw ValidationError(prefixed(path, QStringLiteral("type")), typeKey,
                                  QStringLiteral("must be one of openai_compatible|anthropic|"
                                                 "simulated"));
        c.type = *type;
    }
    c.baseUrl = jsonio::optionalString(j, "base_url", path, c.baseUrl);
    c.azureDeployment = jsonio::optionalString(j, "azure_deployment", path, c.azureDeployment);
    c.azureApiVersion = jsonio::optionalString(j, "azure_api_version", path, c.azureApiVersion);
    c.keyEnvVar = jsonio::optionalString(j, "key_env_var", path, c.keyEnvVar);
    c.defaultModel = jsonio::optionalString(j, "default_model", path, c.defaultModel);
    c.enabled = jsonio::optionalBool(j, "enabled", path, c.enabled);
    c.concurrency = jsonio::optionalInt(j, "concurrency", path, c.concurrency);
    c.requestsPerMinute = jsonio::optionalInt(j, "requests_per_minute", path, c.requestsPerMinute);
    c.tokensPerMinute = jsonio::optionalInt(j, "tokens_per_minute", path, c.tokensPerMinute);
    c.connectTimeoutMs = jsonio::optionalInt(j, "connect_timeout_ms", path, c.connectTimeoutMs);
    c.streamIdleTimeoutMs =
        jsonio::optionalInt(j, "stream_idle_timeout_ms", path, c.streamIdleTimeoutMs);
    c.totalTimeoutMs = jsonio::optionalInt(j, "total_timeout_ms", path, c.totalTimeoutMs);
    c.maxRetries = jsonio::optionalInt(j, "max_retries", path, c.maxRetries);
    if (j.contains("temperature"))
        c.temperature = optionalNumber(j, "temperature", path);
    if (j.contains("max_tokens")) {
        const auto it = j.find("max_tokens");
        if (it->is_null())
            c.maxTokens.reset();
        else
            c.maxTokens = jsonio::optionalInt(j, "max_tokens", path, 0);
    }
    if (const auto it = j.find("structured_output"); it != j.end() && !it->is_null()) {
        const QString key = jsonio::optionalString(j, "structured_output", path);
        if (key.isEmpty() || key == QStringLiteral("auto")) {
            c.structuredOutput.reset();
        } else if (const auto mode = structuredModeFromName(key)) {
            c.structuredOutput = mode;
        } else {
            throw ValidationError(prefixed(path, QStringLiteral("structured_output")), key,
                                  QStringLiteral("must be one of auto|tool|json_schema|"
                                                 "json_object|prompt"));
        }
    }
    if (j.contains("input_usd_per_million"))
        c.inputUsdPerMillion = optionalNumber(j, "input_usd_per_million", path);
    if (j.contains("output_usd_per_million"))
        c.outputUsdPerMillion = optionalNumber(j, "output_usd_per_million", path);
    if (const auto it = j.find("extra_headers"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throw ValidationError(prefixed(path, QStringLiteral("extra_headers")),
                                  jsonio::describe(*it),
                                  QStringLiteral("must be an object of header name → value"));
        c.extraHeaders.clear();
        for (const auto &[name, value] : it->items()) {
            const QString field =
                prefixed(path, QStringLiteral("extra_headers.") + QString::fromStdString(name));
            if (!value.is_string())
                throw ValidationError(field, jsonio::describe(value),
                                      QStringLiteral("must be a string"));
            c.extraHeaders.push_back(
                {QString::fromStdString(name), QString::fromStdString(value.get<std::string>())});
        }
    }
    std::vector<ValidationIssue> issues = c.validate();
    for (ValidationIssue &issue : issues)
        issue.field = prefixed(path, issue.field);
    throwIfInvalid(std::move(issues));
    return c;
}

} // namespace crucible
