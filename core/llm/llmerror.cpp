#include "core/llm/llmerror.h"

#include <QStringBuilder>

namespace crucible {

QString llmErrorKindName(LlmError::Kind kind)
{
    switch (kind) {
    case LlmError::Kind::None:
        return QStringLiteral("none");
    case LlmError::Kind::Configuration:
        return QStringLiteral("configuration");
    case LlmError::Kind::Dns:
        return QStringLiteral("dns");
    case LlmError::Kind::Connection:
        return QStringLiteral("connection");
    case LlmError::Kind::Tls:
        return QStringLiteral("tls");
    case LlmError::Kind::Timeout:
        return QStringLiteral("timeout");
    case LlmError::Kind::Http:
        return QStringLiteral("http");
    case LlmError::Kind::Protocol:
        return QStringLiteral("protocol");
    case LlmError::Kind::Cancelled:
        return QStringLiteral("cancelled");
    case LlmError::Kind::Budget:
        return QStringLiteral("budget");
    case LlmError::Kind::InvalidOutput:
        return QStringLiteral("invalid_output");
    case LlmError::Kind::Truncated:
        return QStringLiteral("truncated");
    }
    return QStringLiteral("unknown");
}

bool LlmError::retryable() const
{
    switch (kind) {
    case Kind::Dns:
    case Kind::Connection:
    case Kind::Timeout:
    case Kind::Protocol:
        return true;
    case Kind::Http:
        return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500;
    default:
        return false;
    }
}

QString LlmError::describe() const
{
    QString where = provider.isEmpty() ? QStringLiteral("LLM") : provider;
    if (!model.isEmpty())
        where += QStringLiteral(" (") % model % QLatin1Char(')');
    QString text = where % QStringLiteral(": ");
    if (httpStatus > 0)
        text += QStringLiteral("HTTP ") % QString::number(httpStatus) % QLatin1Char(' ');
    if (!providerCode.isEmpty())
        text += providerCode % QStringLiteral(": ");
    text += message.isEmpty() ? llmErrorKindName(kind) : message;
    if (!providerMessage.isEmpty() && !message.contains(providerMessage))
        text += QStringLiteral(" — server said: ") % providerMessage;
    if (!requestId.isEmpty())
        text += QStringLiteral(" [request ") % requestId % QLatin1Char(']');
    return text;
}

LlmError LlmError::cancelled(const QString &provider)
{
    LlmError e;
    e.kind = Kind::Cancelled;
    e.provider = provider;
    e.message = QStringLiteral("cancelled");
    return e;
}

LlmError LlmError::configuration(const QString &provider, const QString &message)
{
    LlmError e;
    e.kind = Kind::Configuration;
    e.provider = provider;
    e.message = message;
    return e;
}

} // namespace crucible
