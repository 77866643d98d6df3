#pragma once
// The SecretStore the application uses: asks its stores in order (by default keychain, then
// environment, then session memory), reports where a key came from, and falls back to session
// memory when the keychain is unavailable. Same threading contract as the stores it holds.

#include "core/llm/secrets/secretstore.h"

#include <memory>
#include <vector>

namespace crucible {

class ChainedSecretStore final : public SecretStore
{
public:
    // `stores` in lookup order. Writes go to the first writable store that accepts them; a
    // keychain failure is reported and the next writable store (session memory) takes the key.
    explicit ChainedSecretStore(std::vector<std::shared_ptr<SecretStore>> stores);

    // Keychain (service "Crucible") → environment → session memory.
    static std::unique_ptr<ChainedSecretStore> createDefault();
    // Same, with a session store shared with other chains (e.g. the GUI's and the engine
    // thread's), so that a key kept "for this session only" is seen by both.
    static std::unique_ptr<ChainedSecretStore>
    createDefault(std::shared_ptr<SecretStore> sharedSession);

    // The chain reports the source of each result; it has no single kind of its own.
    KeySource kind() const override { return KeySource::None; }
    bool isWritable() const override;

    // Every key found or written is registered with SecretRedactor::global().
    QCoro::Task<SecretResult> read(SecretLookup lookup) override;
    QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) override;
    // Removes the key from every writable store; an environment variable stays (and is named).
    QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) override;

    const std::vector<std::shared_ptr<SecretStore>> &stores() const { return m_stores; }

private:
    QString describeLookedIn(const SecretLookup &lookup) const;

    std::vector<std::shared_ptr<SecretStore>> m_stores;
};

} // namespace crucible
