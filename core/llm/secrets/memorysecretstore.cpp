#include "core/llm/secrets/memorysecretstore.h"

#include <QMutexLocker>

namespace crucible {

std::optional<QString> MemorySecretStore::value(const QString &account) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_secrets.constFind(account);
    if (it == m_secrets.constEnd())
        return std::nullopt;
    return *it;
}

void MemorySecretStore::setValue(const QString &account, const QString &secret)
{
    const QMutexLocker lock(&m_mutex);
    if (secret.isEmpty())
        m_secrets.remove(account);
    else
        m_secrets.insert(account, secret);
}

void MemorySecretStore::clear()
{
    const QMutexLocker lock(&m_mutex);
    m_secrets.clear();
}

QCoro::Task<SecretResult> MemorySecretStore::read(SecretLookup lookup)
{
    SecretResult result;
    if (const auto secret = value(lookup.account)) {
        result.value = *secret;
        result.source = KeySource::Session;
        result.sourceLabel = sessionSourceLabel();
    } else {
        result.sourceLabel = noneSourceLabel();
    }
    co_return result;
}

QCoro::Task<SecretWriteResult> MemorySecretStore::write(SecretLookup lookup, QString secret)
{
    SecretWriteResult result;
    if (secret.isEmpty()) {
        result.message = QStringLiteral("Refused to store an empty key; remove the key instead.");
        co_return result;
    }
    setValue(lookup.account, secret);
    result.ok = true;
    result.storedIn = KeySource::Session;
    result.message = QStringLiteral("Key kept for this session only; it is lost when Crucible "
                                    "quits.");
    co_return result;
}

QCoro::Task<SecretWriteResult> MemorySecretStore::remove(SecretLookup lookup)
{
    setValue(lookup.account, {});
    SecretWriteResult result;
    result.ok = true;
    result.message = QStringLiteral("Session key removed.");
    co_return result;
}

} // namespace crucible
