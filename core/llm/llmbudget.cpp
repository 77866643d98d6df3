#include "core/llm/llmbudget.h"

#include <algorithm>

namespace crucible {

namespace {

QString usd(double v)
{
    return QStringLiteral("$") + QString::number(v, 'f', v < 1 ? 4 : 2);
}

} // namespace

QString LlmBudget::reserve(qint64 tokens, std::optional<double> cost)
{
    if (maxTokens && m_spentTokens + m_reservedTokens + tokens > *maxTokens) {
        return QStringLiteral("token budget of %1 would be exceeded: %2 used, %3 reserved by "
                              "calls in flight, this call may use up to %4. Raise the token "
                              "budget or lower max_tokens.")
            .arg(*maxTokens)
            .arg(m_spentTokens)
            .arg(m_reservedTokens)
            .arg(tokens);
    }
    if (maxUsd) {
        if (!cost) {
            return QStringLiteral("a USD budget of %1 is set but this model has no price, so "
                                  "its cost cannot be bounded. Add the model to the price "
                                  "overrides, or use a token budget instead.")
                .arg(usd(*maxUsd));
        }
        if (m_spentUsd + m_reservedUsd + *cost > *maxUsd) {
            return QStringLiteral("USD budget of %1 would be exceeded: %2 spent, %3 reserved by "
                                  "calls in flight, this call may cost up to %4. Raise the "
                                  "budget to continue.")
                .arg(usd(*maxUsd), usd(m_spentUsd), usd(m_reservedUsd), usd(*cost));
        }
    }
    m_reservedTokens += tokens;
    m_reservedUsd += cost.value_or(0);
    return {};
}

void LlmBudget::settle(qint64 reservedTokens, std::optional<double> reservedUsd, qint64 usedTokens,
                       double usedUsd)
{
    m_reservedTokens = std::max<qint64>(0, m_reservedTokens - reservedTokens);
    m_reservedUsd = std::max(0.0, m_reservedUsd - reservedUsd.value_or(0));
    m_spentTokens += usedTokens;
    m_spentUsd += usedUsd;
}

bool LlmBudget::exhausted() const
{
    return (maxTokens && m_spentTokens >= *maxTokens) || (maxUsd && m_spentUsd >= *maxUsd);
}

} // namespace crucible
