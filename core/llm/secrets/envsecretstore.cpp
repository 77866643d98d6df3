#include "core/llm/secrets/envsecretstore.h"

namespace crucible {

EnvSecretStore::EnvSecretStore(Getter getter)
    : m_getter(std::move(getter))
{
    if (!m_getter)
        m_getter = [](const QString &name) { return qEnvironmentVariable(name.toLocal8Bit()); };
}

SecretResult EnvSecretStore::readNow(const QString &envVar) const
{
    SecretResult result;
    result.sourceLabel = noneSourceLabel();
    if (envVar.isEmpty())
        return result;
    // Keys pasted into shell profiles often carry a trailing newline or spaces.
    const QString value = m_getter(envVar).trimmed();
    if (value.isEmpty())
        return result;
    result.value = value;
    result.source = KeySource::Environment;
    result.sourceLabel = environmentSourceLabel(envVar);
    return result;
}

QCoro::Task<SecretResult> EnvSecretStore::read(SecretLookup lookup)
{
    co_return readNow(lookup.envVar);
}

QCoro::Task<SecretWriteResult> EnvSecretStore::write(SecretLookup lookup, QString secret)
{
    Q_UNUSED(secret);
    SecretWriteResult result;
    result.message = lookup.envVar.isEmpty()
                         ? QStringLiteral("Environment variables are read-only for Crucible.")
                         : QStringLiteral("Environment variable %1 is read-only for Crucible; "
                                          "change it in your shell profile.")
                               .arg(lookup.envVar);
    co_return result;
}

QCoro::Task<SecretWriteResult> EnvSecretStore::remove(SecretLookup lookup)
{
    return write(std::move(lookup), {});
}

} // namespace crucible
