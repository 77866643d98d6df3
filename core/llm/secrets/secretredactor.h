#pragma once
// Masks API keys and credentials in text bound for logs, the request inspector and exports:
// Authorization/x-api-key/api-key values, key query parameters, sk-… tokens and known key values.
// Thread-safe: the registry of known values is guarded by a mutex.

#include <QByteArray>
#include <QByteArrayView>
#include <QMutex>
#include <QStringList>

namespace crucible {

class SecretRedactor final
{
public:
    // Process-wide registry; the secret chain registers every key it hands out.
    static SecretRedactor &global();

    // Values shorter than 8 characters are ignored: masking them would garble ordinary text.
    void addKnownSecret(const QString &secret);
    void forgetKnownSecret(const QString &secret);
    QStringList knownSecrets() const;

    // Masks the patterns and this registry's known values (plus `extraSecrets`).
    QString redact(const QString &text, const QStringList &extraSecrets = {}) const;

private:
    mutable QMutex m_mutex;
    QStringList m_known;
};

// Convenience: SecretRedactor::global().redact(...). The mask is "***".
QString redact(const QString &text, const QStringList &extraSecrets = {});
QByteArray redact(const QByteArray &text, const QStringList &extraSecrets = {});

// Header-level helpers for request logs: names compare case-insensitively.
bool isSensitiveHeader(QByteArrayView name);
// "Bearer sk-abc" -> "Bearer ***"; other sensitive values -> "***"; others redacted as text.
QByteArray redactHeaderValue(QByteArrayView name, const QByteArray &value);

// Short form for display next to a stored key: "sk-pr…wxyz"; "***" for short values.
QString maskSecret(const QString &secret);

} // namespace crucible
