#include "core/llm/structured/structuredcaller.h"

#include "core/llm/structured/jsonextractor.h"
#include "core/llm/structured/jsonschemavalidator.h"

#include <algorithm>

namespace crucible {

namespace {

constexpr int kDefaultMaxTokens = 4096;

LlmError failure(const LlmCallSpec &spec, LlmError::Kind kind, const QString &message)
{
    LlmError e;
    e.kind = kind;
    e.provider = spec.providerId;
    e.model = spec.request.model;
    e.message = message;
    return e;
}

} // namespace

StructuredCaller::StructuredCaller(LlmClient &client, const PromptTemplates &templates)
    : m_client(client)
    , m_templates(templates)
{
}

QCoro::Task<StructuredOutcome> StructuredCaller::call(StructuredCallSpec spec)
{
    StructuredOutcome out;
    const JsonSchemaValidator validator(spec.schema);
    if (!validator.schemaProblems().empty()) {
        out.error = failure(
            spec.call, LlmError::Kind::Configuration,
            QStringLiteral("the JSON Schema of %1 has problems: %2")
                .arg(spec.schemaName, QString::fromStdString(validator.schemaProblems().front())));
        co_return out;
    }
    const auto expect =
        spec.schema.value("type", std::string()) == "array"
            ? JsonExtractor::Expect::Array
            : (spec.schema.value("type", std::string()) == "object" ? JsonExtractor::Expect::Object
                                                                    : JsonExtractor::Expect::Any);

    LlmCallSpec call = spec.call;
    call.request.format = ResponseFormat::JsonSchema;
    call.request.schema = spec.schema;
    call.request.schemaName = spec.schemaName;
    const std::vector<ChatMessage> original = call.request.messages;
    const QString schemaText = QString::fromStdString(spec.schema.dump(2));
    double cost = 0;
    bool unpriced = false;

    for (;;) {
        LlmCallOutcome result = co_await m_client.call(call);
        if (!result.callId.isEmpty())
            out.callIds << result.callId;
        out.structuredMode = result.result.structuredMode;
        out.tokensIn += result.tokensIn;
        out.tokensOut += result.tokensOut;
        if (result.costUsd)
            cost += *result.costUsd;
        else if (result.attempts > 0)
            unpriced = true;
        if (!result.ok()) {
            out.error = result.error();
            break;
        }
        const ChatResponse &response = *result.result.response;
        out.lastText = response.text;
        out.cacheHit = result.cacheHit;

        if (response.truncated()) {
            const int had = call.request.maxTokens.value_or(kDefaultMaxTokens);
            m_client.markInvalid(result.callId,
                                 QStringLiteral("answer cut off at max_tokens %1").arg(had));
            out.lastErrors = {QStringLiteral("the answer was cut off at %1 tokens").arg(had)};
            if (out.truncationRetries >= spec.maxTruncationRetries ||
                had >= spec.maxTokensCeiling) {
                out.error = failure(
                    call, LlmError::Kind::Truncated,
                    QStringLiteral("the answer was cut off at the length limit (%1 tokens) %2 "
                                   "time(s). Raise max_tokens in the provider settings, or ask "
                                   "for less per call.")
                        .arg(had)
                        .arg(out.truncationRetries + 1));
                break;
            }
            ++out.truncationRetries;
            call.request.maxTokens = std::min(spec.maxTokensCeiling, had * 2);
            continue;
        }

        const auto extracted = JsonExtractor(expect).extract(response.text.toStdString());
        QStringList problems;
        if (!extracted.ok()) {
            problems << QString::fromStdString(extracted.message);
        } else {
            for (const auto &e : validator.validate(extracted.value, 20))
                problems << QString::fromStdString(e.toString());
        }
        if (problems.isEmpty()) {
            out.value = extracted.value;
            out.lastErrors.clear();
            break;
        }
        out.lastErrors = problems;
        m_client.markInvalid(result.callId, problems.join(QStringLiteral("; ")));
        if (out.repairs >= spec.maxRepairs) {
            out.error = failure(call, LlmError::Kind::InvalidOutput,
                                QStringLiteral("the answer did not match the %1 schema after %2 "
                                               "correction(s): %3")
                                    .arg(spec.schemaName)
                                    .arg(out.repairs)
                                    .arg(problems.first()));
            break;
        }
        ++out.repairs;
        nlohmann::json errors = nlohmann::json::array();
        for (const auto &p : problems)
            errors.push_back(p);
        const RenderedPrompt repair =
            m_templates.render(QStringLiteral("llm.repair"), {{"errors", errors},
                                                              {"previous_answer", response.text},
                                                              {"schema", schemaText},
                                                              {"attempt", out.repairs},
                                                              {"max_attempts", spec.maxRepairs}});
        if (!repair.ok()) {
            out.error = failure(call, LlmError::Kind::Configuration, repair.error);
            break;
        }
        call.request.messages = original;
        call.request.messages.push_back({ChatMessage::Role::Assistant, response.text});
        call.request.messages.push_back({ChatMessage::Role::User, repair.text});
        call.templateId = repair.id;
        call.templateVersion = repair.version;
    }
    if (!unpriced)
        out.costUsd = cost;
    co_return out;
}

} // namespace crucible
