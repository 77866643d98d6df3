#include "core/llm/providers/providerfactory.h"

#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/simulatedprovider.h"

namespace crucible {

std::unique_ptr<LlmProvider> makeProvider(const ProviderConfig &config, const QString &apiKey)
{
    switch (config.type) {
    case ProviderType::Simulated:
        return std::make_unique<SimulatedProvider>(config);
    case ProviderType::Anthropic:
        return std::make_unique<AnthropicProvider>(config, apiKey);
    case ProviderType::OpenAiCompatible:
        break;
    }
    return std::make_unique<OpenAiProvider>(config, apiKey);
}

ProviderConfig ProviderFactory::simulatedDefault()
{
    ProviderConfig c =
        ProviderConfig::fromPreset(ProviderPreset::Simulated, QStringLiteral("simulated"));
    c.displayName = QStringLiteral("Simulated");
    c.concurrency = std::max(c.concurrency, 8);
    return c;
}

QCoro::Task<ProviderSetup> ProviderFactory::create(ProviderConfig config, SecretStore *secrets)
{
    ProviderSetup setup;
    const QString name = config.displayName.isEmpty() ? config.id : config.displayName;
    if (const auto issues = config.validate(); !issues.empty()) {
        setup.error = QStringLiteral("provider \"%1\" is not set up correctly: %2. Fix it in "
                                     "Settings → Providers.")
                          .arg(name, issues.front().toString());
        co_return setup;
    }
    if (config.type != ProviderType::Simulated && secrets) {
        SecretResult key = co_await secrets->read(config.secretLookup());
        setup.key = key;
    }
    if (config.type != ProviderType::Simulated && config.keyRequired() && !setup.key.found()) {
        const QString var = config.effectiveKeyEnvVar();
        setup.error =
            QStringLiteral("provider \"%1\" needs an API key and none was found%2. Store it in "
                           "Settings → Providers%3.")
                .arg(name,
                     setup.key.keychainUnavailable
                         ? QStringLiteral(" (the system keychain is unavailable: %1)")
                               .arg(setup.key.keychainError)
                         : QString(),
                     var.isEmpty()
                         ? QString()
                         : QStringLiteral(" or set the environment variable %1").arg(var));
        co_return setup;
    }
    setup.apiKey = setup.key.value;
    setup.key.value.clear();
    setup.provider = std::shared_ptr<LlmProvider>(makeProvider(config, setup.apiKey));
    co_return setup;
}

} // namespace crucible
