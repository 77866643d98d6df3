#pragma once
// ProviderFactory: turns a ProviderConfig into a working LlmProvider — reads its key from the
// SecretStore (never storing it anywhere else) and picks the implementation for its type. Call
// from a coroutine on the thread the provider will live on.

#include "core/llm/providers/llmprovider.h"
#include "core/llm/secrets/secretstore.h"

#include <QCoro/QCoroTask>

#include <memory>

namespace crucible {

struct ProviderSetup
{
    std::shared_ptr<LlmProvider> provider; // null when error is set
    SecretResult key;                      // where the key came from; key.value is empty
    QString apiKey; // process memory only, for a connection test; never printed or stored
    QString error;  // what is wrong and what to do

    bool ok() const { return provider != nullptr; }
};

class ProviderFactory final
{
public:
    // The provider used when none is configured: in-process and clearly labelled "Simulated".
    static ProviderConfig simulatedDefault();

    // Reads the key (unless the type needs none) and creates the provider. A required key that
    // cannot be found is an error naming the variable and the settings page to use.
    static QCoro::Task<ProviderSetup> create(ProviderConfig config, SecretStore *secrets);
};

} // namespace crucible
