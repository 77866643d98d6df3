#pragma once
// In-memory SecretStore: keys typed for this session only, and the test double for the keychain.
// Thread-safe (a mutex guards the map); nothing is ever written to disk.

#include "core/llm/secrets/secretstore.h"

#include <QHash>
#include <QMutex>

#include <optional>

namespace crucible {

class MemorySecretStore final : public SecretStore
{
public:
    KeySource kind() const override { return KeySource::Session; }
    bool isWritable() const override { return true; }

    QCoro::Task<SecretResult> read(SecretLookup lookup) override;
    QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) override;
    QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) override;

    // Synchronous access for tests and for code that already runs off the event loop.
    std::optional<QString> value(const QString &account) const;
    void setValue(const QString &account, const QString &secret);
    void clear();

private:
    mutable QMutex m_mutex;
    QHash<QString, QString> m_secrets; // account -> secret
};

} // namespace crucible
