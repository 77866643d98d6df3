#include "core/llm/secrets/secretstore.h"

namespace crucible {

SecretStore::~SecretStore() = default;

QString keySourceName(KeySource source)
{
    switch (source) {
    case KeySource::Keychain:
        return QStringLiteral("keychain");
    case KeySource::Environment:
        return QStringLiteral("environment");
    case KeySource::Session:
        return QStringLiteral("session");
    case KeySource::None:
        break;
    }
    return QStringLiteral("none");
}

QString accountForProvider(const QString &providerId)
{
    return QStringLiteral("provider/") + providerId + QStringLiteral("/api-key");
}

QString keychainSourceLabel()
{
    return QStringLiteral("from the system keychain");
}

QString environmentSourceLabel(const QString &name)
{
    return QStringLiteral("from environment variable ") + name;
}

QString sessionSourceLabel()
{
    return QStringLiteral("from this session only (not saved)");
}

QString noneSourceLabel()
{
    return QStringLiteral("no API key set");
}

QString SecretResult::describe() const
{
    QString text = sourceLabel.isEmpty() ? noneSourceLabel() : sourceLabel;
    if (keychainUnavailable)
        text +=
            QStringLiteral(" (system keychain unavailable: ") + keychainError + QStringLiteral(")");
    return text;
}

} // namespace crucible
