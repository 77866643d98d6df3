#pragma once
// Helpers shared by the HTTP chat providers: lenient reads from a server's JSON, a short excerpt
// of a body for error messages, and the checks and request shape every chat call starts with.
// Free functions; thread-safe.

#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/providerconfig.h"

#include <QByteArray>
#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace crucible::wire {

// object[key] as a string, "" when it is missing or not a string (servers differ).
QString str(const nlohmann::json &object, const char *key);
// object[key] as an integer, 0 when it is missing or not a number.
qint64 integer(const nlohmann::json &object, const char *key);
// Parses without throwing: a discarded value when the text is not JSON.
nlohmann::json parseJson(const QByteArray &bytes);
nlohmann::json parseJson(const std::string &text);
// The first 300 bytes of a body on one line, for an error message.
QString excerpt(const QByteArray &bytes);

// The configuration errors that stop a chat call before anything is sent: no model, or a base
// URL that gives no request URL. Sets `url` to the chat URL otherwise.
std::optional<LlmError> chatPreflight(const ProviderConfig &config, const QString &model,
                                      NormalizedUrl &url);
// A POST of `body` to `url` with the config's timeouts, `cancel`, and the Accept header for a
// streamed (SSE) or a JSON answer.
HttpRequestSpec chatRequest(const ProviderConfig &config, const QUrl &url, RawHeaders headers,
                            QByteArray body, const CancelToken &cancel, bool stream);

} // namespace crucible::wire
