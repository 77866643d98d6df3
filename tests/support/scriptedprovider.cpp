#include "tests/support/scriptedprovider.h"

#include "core/llm/llmscheduler.h"

#include <algorithm>

namespace crucible::test {

ScriptedProvider::ScriptedProvider(ProviderConfig config)
    : m_config(std::move(config))
{
}

void ScriptedProvider::push(Step step)
{
    m_steps.push_back(std::move(step));
}

void ScriptedProvider::pushOk(const QString &text, int delayMs, qint64 tokensIn, qint64 tokensOut)
{
    ChatResponse r;
    r.text = text;
    r.usage.inputTokens = tokensIn;
    r.usage.outputTokens = tokensOut;
    r.usage.reported = true;
    r.httpStatus = 200;
    ChatResult result;
    result.response = r;
    push({delayMs, result});
}

void ScriptedProvider::pushError(LlmError::Kind kind, int httpStatus, int delayMs,
                                 std::optional<qint64> retryAfterMs)
{
    ChatResult result;
    result.error.kind = kind;
    result.error.httpStatus = httpStatus;
    result.error.provider = m_config.id;
    result.error.message = QStringLiteral("scripted %1 error").arg(llmErrorKindName(kind));
    result.error.retryAfterMs = retryAfterMs;
    result.error.requestId =
        QStringLiteral("req_scripted_%1").arg(m_calls + static_cast<int>(m_steps.size()) + 1);
    push({delayMs, result});
}

QCoro::Task<ChatResult> ScriptedProvider::chat(ChatRequest request, ChatCallOptions options)
{
    ++m_calls;
    m_requests.push_back(request);
    ++m_inFlight;
    m_maxInFlight = std::max(m_maxInFlight, m_inFlight);
    Step step;
    if (!m_steps.empty()) {
        step = m_steps.front();
        m_steps.pop_front();
    } else {
        ChatResponse r;
        r.text = QStringLiteral("echo: ") +
                 (request.messages.empty() ? QString() : request.messages.back().content);
        r.model = request.model;
        r.usage.inputTokens = 10;
        r.usage.outputTokens = 5;
        r.usage.reported = true;
        r.httpStatus = 200;
        step.delayMs = m_defaultDelayMs;
        step.result.response = r;
    }
    const bool finished = co_await sleepUnlessCancelled(step.delayMs, options.cancel);
    --m_inFlight;
    if (!finished) {
        ChatResult cancelled;
        cancelled.error = LlmError::cancelled(m_config.id);
        co_return cancelled;
    }
    if (step.result.response && options.onDelta)
        options.onDelta(step.result.response->text);
    step.result.latencyMs = step.delayMs;
    co_return step.result;
}

QCoro::Task<ModelsResult> ScriptedProvider::listModels(CancelToken cancel)
{
    Q_UNUSED(cancel);
    ModelsResult r;
    r.models = {QStringLiteral("scripted-a"), QStringLiteral("scripted-b")};
    co_return r;
}

} // namespace crucible::test
