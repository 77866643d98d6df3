#pragma once
// ConnectionTester: "Test connection" for the settings UI and `crucible-cli llm ping`. Lists the
// models (or, if the server has no model list, asks for one token), warns when the default model
// is not among them, and says in one line what is wrong and what to do. Stateless; call from a
// coroutine on a thread with an event loop.

#include "core/llm/cancellation.h"
#include "core/llm/llmerror.h"
#include "core/llm/providers/providerconfig.h"

#include <QCoro/QCoroTask>
#include <QStringList>
#include <QUrl>

namespace crucible {

struct ConnectionTestResult
{
    enum class Verdict {
        Ok,
        Configuration, // the settings cannot produce a request URL
        Dns,           // host name not found
        Refused,       // nothing listening at host:port
        Tls,           // TLS handshake or certificate
        Auth,          // 401 / 403
        NotFound,      // 404: wrong base URL or path
        Timeout,       // no answer within the test's timeout
        Http,          // another error status
        Connection,    // connection reset or dropped
        Protocol,      // answered, but not in the expected wire format
        Cancelled,
    };

    Verdict verdict = Verdict::Ok;
    QString message; // one line: what happened, where, and what to do
    QUrl url;        // the URL tried last
    qint64 latencyMs = 0;
    int httpStatus = 0;
    QStringList models;    // when the model list answered
    bool usedChat = false; // the model list gave 404, so a 1-token chat was tried
    LlmError error;        // details when not Ok (server message, request id)
    // Set when the server answered but does not list the config's default model (a typo, a
    // model not pulled or loaded): the connection works, calls to that model will not. Also
    // appended to `message`.
    QString modelWarning;

    bool ok() const { return verdict == Verdict::Ok; }
};

QString connectionVerdictName(ConnectionTestResult::Verdict verdict); // "ok", "dns", "refused"...

class ConnectionTester final
{
public:
    static constexpr int DefaultTimeoutMs = 10'000;

    // `timeoutMs` bounds each request (connect, idle and total). `apiKey` may be empty.
    static QCoro::Task<ConnectionTestResult> test(ProviderConfig config, QString apiKey,
                                                  int timeoutMs = DefaultTimeoutMs,
                                                  CancelToken cancel = {});
};

} // namespace crucible
