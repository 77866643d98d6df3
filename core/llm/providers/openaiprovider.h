#pragma once
// OpenAiProvider: LlmProvider for OpenAI-compatible Chat Completions servers (OpenAI, Azure,
// OpenRouter, Ollama, llama.cpp, vLLM, LM Studio): JSON and SSE streaming, one attempt per call.
// Lives on the thread that created it and must outlive the calls it makes.

#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/llmprovider.h"
#include "core/llm/providers/structuredwire.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace crucible {

class OpenAiProvider final : public LlmProvider
{
public:
    // `apiKey` may be empty (local servers): then no Authorization header is sent. Without a
    // `transport` the provider makes its own, sized for config.concurrency.
    OpenAiProvider(ProviderConfig config, QString apiKey,
                   std::shared_ptr<HttpTransport> transport = {});
    ~OpenAiProvider() override;

    const ProviderConfig &config() const override { return m_config; }
    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override;
    QCoro::Task<ModelsResult> listModels(CancelToken cancel) override;

    // The model a request goes to: its own, else the config's default (Azure: the deployment).
    QString modelFor(const ChatRequest &request) const;
    // How a request is sent now: None for text; for JSON, json_schema unless the setting or a
    // rejection earlier in the session says json_object or prompt.
    StructuredMode structuredModeFor(const ChatRequest &request) const;
    // The JSON body chat() posts (config defaults applied, unset options left out):
    // response_format json_schema / json_object, or the schema in the system message (prompt and
    // json_object modes).
    nlohmann::json requestBody(const ChatRequest &request) const;
    nlohmann::json requestBody(const ChatRequest &request, StructuredMode mode) const;
    // GET models with the auth headers; ConnectionTester sends it itself to see the raw reply.
    HttpRequestSpec modelsRequest(CancelToken cancel = {}) const;
    ModelsResult modelsResult(const HttpResponse &response) const;
    // The error for a completed non-2xx response, with the server's message and code.
    LlmError errorFor(const HttpResponse &response, const QString &model) const;

private:
    RawHeaders headers() const;

    ProviderConfig m_config;
    QString m_apiKey;
    StructuredModes m_modes; // falls back when the server rejects response_format
    // Declared last, destroyed first: calls still in flight are aborted while the rest of the
    // provider is intact.
    std::shared_ptr<HttpTransport> m_transport;
};

} // namespace crucible
