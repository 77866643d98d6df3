#pragma once
// LlmBudget: a token and/or USD ceiling shared by the calls of a job (or a session). A call
// reserves its worst case before it is sent and settles the real figure afterwards, so that
// concurrent calls cannot overshoot together. Single-threaded (the engine thread).

#include <QString>

#include <optional>

namespace crucible {

class LlmBudget final
{
public:
    std::optional<qint64> maxTokens;
    std::optional<double> maxUsd;

    // Reserves `tokens` and `usd` (nullopt: the cost cannot be estimated, the model is
    // unpriced). Returns an empty string when granted, otherwise the reason, saying what was
    // spent, what the call could cost and what to do.
    QString reserve(qint64 tokens, std::optional<double> usd);
    // Replaces a reservation by what the call really used.
    void settle(qint64 reservedTokens, std::optional<double> reservedUsd, qint64 usedTokens,
                double usedUsd);

    qint64 spentTokens() const { return m_spentTokens; }
    double spentUsd() const { return m_spentUsd; }
    qint64 reservedTokens() const { return m_reservedTokens; }
    double reservedUsd() const { return m_reservedUsd; }
    bool exhausted() const; // nothing more can be spent

private:
    qint64 m_spentTokens = 0;
    double m_spentUsd = 0;
    qint64 m_reservedTokens = 0;
    double m_reservedUsd = 0;
};

} // namespace crucible
