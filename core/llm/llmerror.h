#pragma once
// LlmError: why an LLM call failed, with what a person needs to act on it (provider, HTTP
// status, the server's own message, request id) and whether a retry can help. Plain value.

#include <QString>

#include <optional>

namespace crucible {

struct LlmError
{
    enum class Kind {
        None,
        Configuration, // no key, invalid URL, unknown provider: fix the settings
        Dns,           // host name not found
        Connection,    // refused, reset, dropped before or during the response
        Tls,           // TLS handshake / certificate
        Timeout,       // connect, stream-idle or total timeout
        Http,          // the server answered with an error status
        Protocol,      // the answer could not be understood (bad JSON, bad SSE, stream error event)
        Cancelled,     // cancelled by the user or the job
        Budget,        // refused before sending: a token or USD budget would be exceeded
        InvalidOutput, // answer never matched the schema within the repair attempts
        Truncated,     // the answer hit max_tokens and could not be completed
    };

    Kind kind = Kind::None;
    QString provider; // provider id (or display name)
    QString model;
    int httpStatus = 0;
    QString message;         // human summary: what happened and what to do
    QString providerMessage; // the server's own error message, verbatim
    QString providerCode;    // the server's error type/code ("rate_limit_error", ...)
    QString requestId;
    std::optional<qint64> retryAfterMs; // from retry-after-ms / retry-after
    bool midStream = false;             // failed after part of the answer arrived

    bool isError() const { return kind != Kind::None; }
    // Transient: 408, 409, 429, 5xx (and 529), timeouts, connection and DNS hiccups, stream
    // error events. Never: auth, 4xx validation, configuration, budget, cancel.
    bool retryable() const;
    // One line for logs, the CLI and the inspector:
    // "openai (gpt-4o): HTTP 429 rate_limit_error: Rate limit reached … [request req_123]".
    QString describe() const;

    static LlmError cancelled(const QString &provider = {});
    static LlmError configuration(const QString &provider, const QString &message);
};

QString llmErrorKindName(LlmError::Kind kind); // "http", "timeout", ...

} // namespace crucible
