#pragma once
// Read-only SecretStore over environment variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, or the
// variable named in the provider config). Thread-safe; writes are refused, never exported.

#include "core/llm/secrets/secretstore.h"

#include <functional>

namespace crucible {

class EnvSecretStore final : public SecretStore
{
public:
    // Returns the variable's value, or an empty string when it is unset.
    using Getter = std::function<QString(const QString &name)>;

    // The default getter reads the process environment; tests may pass their own.
    explicit EnvSecretStore(Getter getter = {});

    KeySource kind() const override { return KeySource::Environment; }
    bool isWritable() const override { return false; }

    QCoro::Task<SecretResult> read(SecretLookup lookup) override;
    QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) override;
    QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) override;

    // Synchronous read; an empty or whitespace-only value counts as unset.
    SecretResult readNow(const QString &envVar) const;

private:
    Getter m_getter;
};

} // namespace crucible
