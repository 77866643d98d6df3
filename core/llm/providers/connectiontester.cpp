#include "core/llm/providers/connectiontester.h"

#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/openaiprovider.h"

#include <QStringBuilder>

#include <algorithm>
#include <memory>

namespace crucible {

namespace {

using Verdict = ConnectionTestResult::Verdict;

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// One line from an error: its message, and the server's own words for HTTP errors.
QString lineFor(const LlmError &error)
{
    QString line = capitalized(error.message);
    if (!error.providerMessage.isEmpty() && !line.contains(error.providerMessage))
        line += QStringLiteral(" (server said: ") % error.providerMessage % QLatin1Char(')');
    return line;
}

Verdict verdictFor(const LlmError &error)
{
    switch (error.kind) {
    case LlmError::Kind::None:
        return Verdict::Ok;
    case LlmError::Kind::Configuration:
        return Verdict::Configuration;
    case LlmError::Kind::Dns:
        return Verdict::Dns;
    case LlmError::Kind::Tls:
        return Verdict::Tls;
    case LlmError::Kind::Timeout:
        return Verdict::Timeout;
    case LlmError::Kind::Cancelled:
        return Verdict::Cancelled;
    case LlmError::Kind::Protocol:
        return Verdict::Protocol;
    case LlmError::Kind::Http:
        if (error.httpStatus == 401 || error.httpStatus == 403)
            return Verdict::Auth;
        if (error.httpStatus == 404)
            return Verdict::NotFound;
        return Verdict::Http;
    default:
        return Verdict::Connection;
    }
}

// Whether `model` is among `listed`, allowing Ollama's implicit ":latest" tag either way.
bool isListed(const QString &model, const QStringList &listed)
{
    const QString latest = QStringLiteral(":latest");
    for (const QString &m : listed) {
        if (m == model || m == model + latest || m + latest == model)
            return true;
    }
    return false;
}

QString modelWarningFor(const QString &model, const QStringList &listed)
{
    if (model.isEmpty() || isListed(model, listed))
        return {};
    if (listed.isEmpty())
        return QStringLiteral("the server lists no models, so the default model \u201C%1\u201D "
                              "is not available: pull or load it on the server")
            .arg(model);
    QStringList sample = listed.mid(0, 5);
    // Names close to the one configured first: a typo is the usual cause.
    std::stable_sort(sample.begin(), sample.end(), [&model](const QString &a, const QString &b) {
        return a.startsWith(model.left(3), Qt::CaseInsensitive) &&
               !b.startsWith(model.left(3), Qt::CaseInsensitive);
    });
    QString names = sample.join(QStringLiteral(", "));
    if (listed.size() > sample.size())
        names += QStringLiteral(", … (%1 in all)").arg(listed.size());
    return QStringLiteral("the default model \u201C%1\u201D is not listed by the server (it "
                          "lists %2): check the name, or pull or load the model on the server")
        .arg(model, names);
}

void fail(ConnectionTestResult &result, const LlmError &error)
{
    result.verdict = verdictFor(error);
    result.error = error;
    result.httpStatus = error.httpStatus;
    result.message = lineFor(error);
}

template <typename Provider>
QCoro::Task<ConnectionTestResult> testWith(ProviderConfig config, QString apiKey,
                                           CancelToken cancel)
{
    const auto transport = std::make_shared<HttpTransport>(1);
    Provider provider(config, apiKey, transport);
    ConnectionTestResult result;

    HttpRequestSpec spec = provider.modelsRequest(cancel);
    result.url = spec.url;
    const QUrl modelsUrl = spec.url;
    const HttpResponse response = co_await transport->send(std::move(spec));
    result.latencyMs = response.latencyMs;
    result.httpStatus = response.status;

    if (!response.completed()) {
        fail(result, response.toError(config.id));
        if (response.networkError == QNetworkReply::ConnectionRefusedError &&
            result.verdict == Verdict::Connection)
            result.verdict = Verdict::Refused;
        co_return result;
    }
    if (response.success()) {
        const ModelsResult models = provider.modelsResult(response);
        if (!models.ok()) {
            fail(result, models.error);
            co_return result;
        }
        result.models = models.models;
        QString sample = QStringList(models.models.mid(0, 3)).join(QStringLiteral(", "));
        if (models.models.size() > 3)
            sample += QStringLiteral(", …");
        result.message = QStringLiteral("Connected to ") %
                         result.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) %
                         QStringLiteral(" in ") % QString::number(result.latencyMs) %
                         QStringLiteral(" ms: ") % QString::number(models.models.size()) %
                         (models.models.isEmpty()
                              ? QStringLiteral(" models (load or pull a model on the server)")
                              : QStringLiteral(" models (") % sample % QLatin1Char(')'));
        result.modelWarning = modelWarningFor(provider.modelFor(ChatRequest{}), models.models);
        if (!result.modelWarning.isEmpty())
            result.message += QStringLiteral("; but ") % result.modelWarning;
        co_return result;
    }
    if (response.status != 404) {
        fail(result, provider.errorFor(response, {}));
        co_return result;
    }

    // Some servers have no model list: a 404 there proves little, so ask for one token.
    const LlmError modelsError = provider.errorFor(response, {});
    const QUrl chatUrl = resolvedUrl(config, Endpoint::Chat);
    ChatRequest ping = ChatRequest::simple(QStringLiteral("ping"));
    ping.maxTokens = 1;
    if (provider.modelFor(ping).isEmpty()) {
        fail(result, modelsError);
        result.message += QStringLiteral("; no default model is set, so no chat was tried");
        co_return result;
    }
    result.usedChat = true;
    ChatCallOptions options;
    options.cancel = cancel;
    const ChatResult chat = co_await provider.chat(ping, options);
    result.url = chatUrl;
    result.latencyMs = chat.latencyMs;
    if (!chat.ok()) {
        fail(result, chat.error);
        co_return result;
    }
    result.httpStatus = chat.response->httpStatus;
    result.message =
        QStringLiteral("Connected to ") % chatUrl.toString(QUrl::RemoveUserInfo) %
        QStringLiteral(" in ") % QString::number(chat.latencyMs) % QStringLiteral(" ms (model ") %
        provider.modelFor(ping) % QStringLiteral(" answered; the server has no model list at ") %
        modelsUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) % QLatin1Char(')');
    co_return result;
}

} // namespace

QString connectionVerdictName(ConnectionTestResult::Verdict verdict)
{
    switch (verdict) {
    case Verdict::Ok:
        return QStringLiteral("ok");
    case Verdict::Configuration:
        return QStringLiteral("configuration");
    case Verdict::Dns:
        return QStringLiteral("dns");
    case Verdict::Refused:
        return QStringLiteral("refused");
    case Verdict::Tls:
        return QStringLiteral("tls");
    case Verdict::Auth:
        return QStringLiteral("auth");
    case Verdict::NotFound:
        return QStringLiteral("not_found");
    case Verdict::Timeout:
        return QStringLiteral("timeout");
    case Verdict::Http:
        return QStringLiteral("http");
    case Verdict::Connection:
        return QStringLiteral("connection");
    case Verdict::Protocol:
        return QStringLiteral("protocol");
    case Verdict::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QCoro::Task<ConnectionTestResult> ConnectionTester::test(ProviderConfig config, QString apiKey,
                                                         int timeoutMs, CancelToken cancel)
{
    ConnectionTestResult result;
    if (config.type == ProviderType::Simulated) {
        result.message = QStringLiteral("The simulated provider needs no connection");
        co_return result;
    }
    const NormalizedUrl url = resolveUrl(config, Endpoint::Models);
    if (!url.ok()) {
        result.verdict = Verdict::Configuration;
        const QString name = config.displayName.isEmpty() ? config.id : config.displayName;
        result.error = LlmError::configuration(name, url.error);
        result.message = QStringLiteral("The base URL of provider '") % name %
                         QStringLiteral("' ") % url.error %
                         QStringLiteral(": fix it in the provider settings");
        co_return result;
    }
    const int limit = std::max(1, timeoutMs);
    config.connectTimeoutMs = std::min(std::max(1, config.connectTimeoutMs), limit);
    config.streamIdleTimeoutMs = limit;
    config.totalTimeoutMs = limit;
    if (config.type == ProviderType::Anthropic) {
        ConnectionTestResult tested =
            co_await testWith<AnthropicProvider>(std::move(config), std::move(apiKey), cancel);
        co_return tested;
    }
    ConnectionTestResult tested =
        co_await testWith<OpenAiProvider>(std::move(config), std::move(apiKey), cancel);
    co_return tested;
}

} // namespace crucible
