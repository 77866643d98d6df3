#include "core/llm/providers/providerwire.h"

#include <QStringBuilder>

namespace crucible::wire {

using nlohmann::json;

QString str(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

qint64 integer(const json &object, const char *key)
{
    if (!object.is_object())
        return 0;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<qint64>() : 0;
}

json parseJson(const QByteArray &bytes)
{
    return json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
}

json parseJson(const std::string &text)
{
    return json::parse(text, nullptr, false);
}

QString excerpt(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(300)).simplified();
    if (bytes.size() > 300)
        text += QStringLiteral("…");
    return text;
}

std::optional<LlmError> chatPreflight(const ProviderConfig &config, const QString &model,
                                      NormalizedUrl &url)
{
    const QString name = config.displayName.isEmpty() ? config.id : config.displayName;
    if (model.isEmpty()) {
        return LlmError::configuration(
            name, QStringLiteral("no model to ask: choose a default model for provider '") % name %
                      QStringLiteral("' in its settings"));
    }
    url = resolveUrl(config, Endpoint::Chat);
    if (!url.ok()) {
        LlmError e = LlmError::configuration(
            name, QStringLiteral("the base URL of provider '") % name % QStringLiteral("' ") %
                      url.error % QStringLiteral(": fix it in the provider settings"));
        e.model = model;
        return e;
    }
    return std::nullopt;
}

HttpRequestSpec chatRequest(const ProviderConfig &config, const QUrl &url, RawHeaders headers,
                            QByteArray body, const CancelToken &cancel, bool stream)
{
    HttpRequestSpec spec;
    spec.method = QByteArrayLiteral("POST");
    spec.url = url;
    spec.headers = std::move(headers);
    spec.body = std::move(body);
    spec.connectTimeoutMs = config.connectTimeoutMs;
    spec.idleTimeoutMs = config.streamIdleTimeoutMs;
    spec.totalTimeoutMs = config.totalTimeoutMs;
    spec.cancel = cancel;
    spec.headers.emplace_back(QByteArrayLiteral("Accept"),
                              stream ? QByteArrayLiteral("text/event-stream")
                                     : QByteArrayLiteral("application/json"));
    return spec;
}

} // namespace crucible::wire
