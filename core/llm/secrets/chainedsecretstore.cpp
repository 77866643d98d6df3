#include "core/llm/secrets/chainedsecretstore.h"

#include "core/llm/secrets/envsecretstore.h"
#include "core/llm/secrets/keychainsecretstore.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "core/llm/secrets/secretredactor.h"

#include <algorithm>

namespace crucible {

namespace {

QString placeName(KeySource kind, const SecretLookup &lookup)
{
    switch (kind) {
    case KeySource::Keychain:
        return QStringLiteral("the system keychain");
    case KeySource::Environment:
        return lookup.envVar.isEmpty() ? QString()
                                       : QStringLiteral("environment variable ") + lookup.envVar;
    case KeySource::Session:
        return QStringLiteral("this session");
    case KeySource::None:
        break;
    }
    return {};
}

} // namespace

ChainedSecretStore::ChainedSecretStore(std::vector<std::shared_ptr<SecretStore>> stores)
    : m_stores(std::move(stores))
{
    std::erase(m_stores, nullptr);
}

std::unique_ptr<ChainedSecretStore> ChainedSecretStore::createDefault()
{
    return createDefault(std::make_shared<MemorySecretStore>());
}

std::unique_ptr<ChainedSecretStore>
ChainedSecretStore::createDefault(std::shared_ptr<SecretStore> sharedSession)
{
    std::vector<std::shared_ptr<SecretStore>> stores;
    stores.push_back(std::make_shared<KeychainSecretStore>());
    stores.push_back(std::make_shared<EnvSecretStore>());
    stores.push_back(std::move(sharedSession));
    return std::make_unique<ChainedSecretStore>(std::move(stores));
}

bool ChainedSecretStore::isWritable() const
{
    return std::any_of(m_stores.begin(), m_stores.end(),
                       [](const auto &store) { return store->isWritable(); });
}

QString ChainedSecretStore::describeLookedIn(const SecretLookup &lookup) const
{
    QStringList places;
    for (const auto &store : m_stores) {
        const QString place = placeName(store->kind(), lookup);
        if (!place.isEmpty())
            places << place;
    }
    return noneSourceLabel() + QStringLiteral(" (looked in ") + places.join(QStringLiteral(", ")) +
           u')';
}

QCoro::Task<SecretResult> ChainedSecretStore::read(SecretLookup lookup)
{
    bool keychainUnavailable = false;
    QString keychainError;
    // Everything taken from `this` is copied before the first co_await: the chain may be
    // reconfigured or destroyed while this coroutine is suspended.
    const std::vector<std::shared_ptr<SecretStore>> stores = m_stores;
    const QString lookedIn = describeLookedIn(lookup);
    for (const auto &store : stores) {
        SecretResult result = co_await store->read(lookup);
        if (result.keychainUnavailable) {
            keychainUnavailable = true;
            keychainError = result.keychainError;
        }
        if (result.found()) {
            result.keychainUnavailable = keychainUnavailable;
            result.keychainError = keychainError;
            SecretRedactor::global().addKnownSecret(result.value);
            co_return result;
        }
    }
    SecretResult none;
    none.sourceLabel = lookedIn;
    none.keychainUnavailable = keychainUnavailable;
    none.keychainError = keychainError;
    co_return none;
}

QCoro::Task<SecretWriteResult> ChainedSecretStore::write(SecretLookup lookup, QString secret)
{
    const std::vector<std::shared_ptr<SecretStore>> stores = m_stores;
    SecretWriteResult outcome;
    outcome.message = QStringLiteral("No writable key store is configured; the key was not kept.");
    std::size_t target = stores.size();
    for (std::size_t i = 0; i < stores.size(); ++i) {
        if (!stores[i]->isWritable())
            continue;
        SecretWriteResult result = co_await stores[i]->write(lookup, secret);
        if (result.keychainUnavailable) {
            outcome.keychainUnavailable = true;
            outcome.keychainError = result.keychainError;
            continue; // fall back to the next writable store
        }
        const bool keychainFailed = outcome.keychainUnavailable;
        const QString keychainError = outcome.keychainError;
        outcome = std::move(result);
        outcome.keychainUnavailable = keychainFailed;
        outcome.keychainError = keychainError;
        if (outcome.ok && keychainFailed)
            outcome.message = QStringLiteral("System keychain unavailable (") + keychainError +
                              QStringLiteral("). ") + outcome.message;
        if (outcome.ok)
            target = i;
        break;
    }
    if (target == stores.size()) {
        if (outcome.keychainUnavailable && !outcome.message.contains(outcome.keychainError))
            outcome.message = QStringLiteral("System keychain unavailable (") +
                              outcome.keychainError + QStringLiteral("); the key was not kept.");
        co_return outcome;
    }
    SecretRedactor::global().addKnownSecret(secret);

    // A stale copy further down the chain would resurface if the target became unavailable.
    for (std::size_t i = target + 1; i < stores.size(); ++i) {
        if (stores[i]->isWritable() && stores[i]->kind() == KeySource::Session) {
            const SecretWriteResult removed = co_await stores[i]->remove(lookup);
            Q_UNUSED(removed);
        }
    }
    // Read-only stores ahead of the target (environment) win over the key just written.
    for (std::size_t i = 0; i < target; ++i) {
        if (stores[i]->isWritable())
            continue;
        const SecretResult shadow = co_await stores[i]->read(lookup);
        if (shadow.found()) {
            outcome.message += QStringLiteral(" Note: the key ") + shadow.sourceLabel +
                               QStringLiteral(" takes precedence; unset it to use this one.");
            break;
        }
    }
    co_return outcome;
}

QCoro::Task<SecretWriteResult> ChainedSecretStore::remove(SecretLookup lookup)
{
    const std::vector<std::shared_ptr<SecretStore>> stores = m_stores;
    SecretWriteResult outcome;
    outcome.ok = true;
    QStringList problems;
    QString remaining;
    for (const auto &store : stores) {
        if (!store->isWritable()) {
            const SecretResult still = co_await store->read(lookup);
            if (still.found() && remaining.isEmpty())
                remaining = still.sourceLabel;
            continue;
        }
        const SecretWriteResult result = co_await store->remove(lookup);
        if (result.keychainUnavailable) {
            outcome.keychainUnavailable = true;
            outcome.keychainError = result.keychainError;
        }
        if (!result.ok) {
            outcome.ok = false;
            problems << result.message;
        }
    }
    outcome.message = outcome.ok ? QStringLiteral("Key removed.") : problems.join(u' ');
    if (!remaining.isEmpty())
        outcome.message += QStringLiteral(" A key is still available ") + remaining +
                           QStringLiteral("; unset it to stop using it.");
    co_return outcome;
}

} // namespace crucible
