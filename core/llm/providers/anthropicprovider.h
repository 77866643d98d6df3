#pragma once
// AnthropicProvider: LlmProvider for the Anthropic Messages API (api.anthropic.com and
// compatible gateways): JSON and SSE streaming, one attempt per call.
// Lives on the thread that created it and must outlive the calls it makes.

#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/llmprovider.h"
#include "core/llm/providers/structuredwire.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace crucible {

class AnthropicProvider final : public LlmProvider
{
public:
    // `apiKey` may be empty (local servers): then no x-api-key header is sent. Without a
    // `transport` the provider makes its own, sized for config.concurrency.
    AnthropicProvider(ProviderConfig config, QString apiKey,
                      std::shared_ptr<HttpTransport> transport = {});
    ~AnthropicProvider() override;

    const ProviderConfig &config() const override { return m_config; }
    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override;
    QCoro::Task<ModelsResult> listModels(CancelToken cancel) override;

    // The model a request goes to: its own, else the config's default.
    QString modelFor(const ChatRequest &request) const;
    // How a request is sent now: None for text; for JSON, a forced tool unless the setting or a
    // rejection earlier in the session says prompt.
    StructuredMode structuredModeFor(const ChatRequest &request) const;
    // The forced tool's name: the request's schema name made wire-safe, else "response".
    static QString toolNameFor(const ChatRequest &request);
    // The JSON body chat() posts: max_tokens always (request, config, else 4096). Tool mode adds
    // `tools` (one tool whose input_schema is the schema, wrapped when its root is not an
    // object) and `tool_choice` naming it; prompt mode puts the schema in the system prompt.
    nlohmann::json requestBody(const ChatRequest &request) const;
    nlohmann::json requestBody(const ChatRequest &request, StructuredMode mode) const;
    // GET models with the auth headers; ConnectionTester sends it itself to see the raw reply.
    HttpRequestSpec modelsRequest(CancelToken cancel = {}) const;
    ModelsResult modelsResult(const HttpResponse &response) const;
    // The error for a completed non-2xx response, with the server's message and code.
    LlmError errorFor(const HttpResponse &response, const QString &model) const;

private:
    RawHeaders headers() const;
    static constexpr int DefaultMaxTokens = 4096;

    ProviderConfig m_config;
    QString m_apiKey;
    StructuredModes m_modes; // falls back when the server rejects tools
    // Declared last, destroyed first: calls still in flight are aborted while the rest of the
    // provider is intact.
    std::shared_ptr<HttpTransport> m_transport;
};

} // namespace crucible
