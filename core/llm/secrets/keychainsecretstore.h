#pragma once
// SecretStore over the system keychain (QtKeychain: Secret Service, KWallet, macOS Keychain,
// Windows Credential Store). Usable from any thread with an event loop: the QtKeychain jobs
// themselves all run on the main thread (see KeychainRequest), and a caller may go away while
// one is under way.

#include "core/llm/secrets/secretstore.h"

#include <chrono>

namespace crucible {

class KeychainSecretStore final : public SecretStore
{
public:
    // A keychain may wait for the user to unlock it, hence the generous default timeout; when it
    // passes, the keychain counts as unavailable for that call.
    explicit KeychainSecretStore(QString service = QStringLiteral("Crucible"),
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

    KeySource kind() const override { return KeySource::Keychain; }
    bool isWritable() const override { return true; }
    QString service() const { return m_service; }

    // A read that fails with anything but NoError/EntryNotFound (no Secret Service on D-Bus,
    // access denied, timeout) sets keychainUnavailable; it is not thrown.
    QCoro::Task<SecretResult> read(SecretLookup lookup) override;
    QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) override;
    QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) override;

private:
    QString m_service;
    std::chrono::milliseconds m_timeout;
};

} // namespace crucible
