#pragma once
// ScriptedProvider: an LlmProvider for tests that answers from a queue of scripted results,
// each after a delay on the event loop, and counts calls and concurrency. Same-thread only.

#include "core/llm/providers/llmprovider.h"

#include <deque>

namespace crucible::test {

class ScriptedProvider final : public LlmProvider
{
public:
    struct Step
    {
        int delayMs = 0;
        ChatResult result;
    };

    explicit ScriptedProvider(ProviderConfig config);

    // Queued answers, used in order; when the queue is empty every call succeeds with the
    // prompt echoed back ("echo: <last user message>") and 10 in / 5 out tokens.
    void push(Step step);
    void pushOk(const QString &text, int delayMs = 0, qint64 tokensIn = 10, qint64 tokensOut = 5);
    void pushError(LlmError::Kind kind, int httpStatus = 0, int delayMs = 0,
                   std::optional<qint64> retryAfterMs = std::nullopt);
    void setDefaultDelay(int ms) { m_defaultDelayMs = ms; }

    int calls() const { return m_calls; }
    int maxInFlight() const { return m_maxInFlight; }
    const std::vector<ChatRequest> &requests() const { return m_requests; }

    const ProviderConfig &config() const override { return m_config; }
    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override;
    QCoro::Task<ModelsResult> listModels(CancelToken cancel) override;

private:
    ProviderConfig m_config;
    std::deque<Step> m_steps;
    std::vector<ChatRequest> m_requests;
    int m_defaultDelayMs = 0;
    int m_calls = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
};

} // namespace crucible::test
