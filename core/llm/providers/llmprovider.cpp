#include "core/llm/providers/llmprovider.h"

namespace crucible {

LlmProvider::~LlmProvider() = default;

QString LlmProvider::label() const
{
    const auto &c = config();
    QString name = c.displayName.isEmpty() ? c.id : c.displayName;
    if (c.type == ProviderType::Simulated && !name.contains(QStringLiteral("Simulated")))
        name += QStringLiteral(" (Simulated)");
    return name;
}

} // namespace crucible
