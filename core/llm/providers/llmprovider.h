#pragma once
// LlmProvider: one configured LLM endpoint that makes a single attempt per call (no retries,
// no rate limiting, no cache: LlmClient and LlmScheduler do that). Implementations live on the
// thread that created them (the engine thread) and are used from coroutines on that thread.

#include "core/llm/cancellation.h"
#include "core/llm/chattypes.h"
#include "core/llm/llmerror.h"
#include "core/llm/providers/providerconfig.h"

#include <QCoro/QCoroTask>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace crucible {

struct ChatResult
{
    std::optional<ChatResponse> response; // set on success
    LlmError error;                       // set on failure (kind != None)
    QString partialText;                  // what arrived before a mid-stream failure
    qint64 latencyMs = 0;                 // from send to the last byte
    // How this attempt asked for structured output (None for a text request).
    StructuredMode structuredMode = StructuredMode::None;
    // Set on failure when the server rejected structuredMode (e.g. "tools: Extra inputs are
    // not permitted"): the provider uses this weaker mode from now on, for the rest of the
    // session, so the same call can be sent again at once.
    std::optional<StructuredMode> fallback;

    bool ok() const { return response.has_value() && !error.isError(); }
};

struct ModelsResult
{
    QStringList models; // sorted, unique
    LlmError error;
    qint64 latencyMs = 0;

    bool ok() const { return !error.isError(); }
};

struct ChatCallOptions
{
    // Called on the provider's thread for every streamed text delta (only when
    // request.stream is true).
    std::function<void(const QString &delta)> onDelta;
    CancelToken cancel;
};

class LlmProvider
{
public:
    virtual ~LlmProvider();

    virtual const ProviderConfig &config() const = 0;
    // Label for the UI: display name, with "(Simulated)" for the simulated provider.
    virtual QString label() const;
    bool isSimulated() const { return config().type == ProviderType::Simulated; }

    // One attempt. Never throws; errors come back in ChatResult::error. The request's empty
    // model means config().defaultModel.
    virtual QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) = 0;
    virtual QCoro::Task<ModelsResult> listModels(CancelToken cancel) = 0;
};

// Creates the provider for `config`. `apiKey` may be empty (local servers): then no auth
// header is sent. Throws ValidationError when the config cannot produce a request URL.
std::unique_ptr<LlmProvider> makeProvider(const ProviderConfig &config, const QString &apiKey);

} // namespace crucible
