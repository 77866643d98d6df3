#include "core/llm/providers/simulatedprovider.h"

#include "core/llm/structured/jsonschemavalidator.h"

#include <QCoro/QCoroTask>
#include <QTimer>
#include <gtest/gtest.h>

#include <set>

using namespace crucible;
using nlohmann::json;

namespace {

ProviderConfig simulatedConfig()
{
    return ProviderConfig::fromPreset(ProviderPreset::Simulated);
}

SimulatedProvider::Options fast(quint64 seed = 0)
{
    SimulatedProvider::Options o;
    o.latencyMs = 5;
    o.jitterMs = 3;
    o.seed = seed;
    return o;
}

ChatResult run(SimulatedProvider &provider, ChatRequest request, ChatCallOptions options = {})
{
    return QCoro::waitFor(provider.chat(std::move(request), std::move(options)));
}

ChatRequest variationRequest()
{
    ChatRequest r = ChatRequest::simple(
        QStringLiteral("Write a variation of this logistics problem: route parcel vans "
                       "through a congested city centre with delivery time windows."),
        QStringLiteral("You are a problem designer."));
    r.format = ResponseFormat::JsonSchema;
    r.schema = json::parse(R"({
      "type": "object",
      "required": ["problem_statement", "constraints", "success_criteria", "sample_data"],
      "properties": {
        "problem_statement": {"type": "string", "minLength": 30},
        "constraints": {"type": "array", "items": {"type": "string"}, "minItems": 2,
                        "maxItems": 6},
        "success_criteria": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "sample_data": {"type": ["string", "null"]}
      },
      "additionalProperties": false
    })");
    r.temperature = 0.8;
    return r;
}

} // namespace

TEST(SimulatedProvider, LabelModelAndModels)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    EXPECT_TRUE(provider.label().contains(QStringLiteral("Simulated")));
    EXPECT_TRUE(provider.isSimulated());
    ProviderConfig other;
    other.id = QStringLiteral("offline");
    other.displayName = QStringLiteral("Offline demo");
    SimulatedProvider renamed(other, fast());
    EXPECT_TRUE(renamed.label().contains(QStringLiteral("Simulated")));
    EXPECT_TRUE(renamed.isSimulated());

    const ChatResult result = run(provider, ChatRequest::simple(QStringLiteral("Hello")));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.response->model, QStringLiteral("simulated"));
    ChatRequest named = ChatRequest::simple(QStringLiteral("Hello"));
    named.model = QStringLiteral("simulated-large");
    EXPECT_EQ(run(provider, named).response->model, QStringLiteral("simulated-large"));

    const ModelsResult models = QCoro::waitFor(provider.listModels(CancelToken()));
    ASSERT_TRUE(models.ok());
    EXPECT_EQ(models.models,
              QStringList({QStringLiteral("simulated"), QStringLiteral("simulated-large")}));
}

TEST(SimulatedProvider, DeterministicAndSampleIndexChangesTheAnswer)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    const ChatRequest request = ChatRequest::simple(
        QStringLiteral("How should a bakery plan flour orders before the holidays?"));
    const ChatResult a = run(provider, request);
    const ChatResult b = run(provider, request);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a.response->text, b.response->text);
    EXPECT_EQ(a.response->requestId, b.response->requestId);
    EXPECT_GE(a.response->text.count(QLatin1Char('.')), 3) << a.response->text.toStdString();

    std::set<QString> answers;
    for (int i = 0; i < 10; ++i) {
        ChatRequest sample = request;
        sample.sampleIndex = i;
        answers.insert(run(provider, sample).response->text);
    }
    EXPECT_EQ(answers.size(), 10U);

    // Another provider seed, another answer; the same seed in a new provider, the same one.
    SimulatedProvider seeded(simulatedConfig(), fast(42));
    EXPECT_NE(run(seeded, request).response->text, a.response->text);
    SimulatedProvider again(simulatedConfig(), fast());
    EXPECT_EQ(run(again, request).response->text, a.response->text);
}

TEST(SimulatedProvider, AnswersTextAboutThePrompt)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    const ChatResult r =
        run(provider,
            ChatRequest::simple(QStringLiteral("Suggest improvements for greenhouse irrigation "
                                               "scheduling in a tomato farm.")));
    ASSERT_TRUE(r.ok());
    const QString text = r.response->text.toLower();
    EXPECT_TRUE(text.contains(QStringLiteral("greenhouse")) ||
                text.contains(QStringLiteral("irrigation")) ||
                text.contains(QStringLiteral("tomato")))
        << r.response->text.toStdString();
    EXPECT_EQ(r.response->finishReason, FinishReason::Stop);
    EXPECT_EQ(r.response->rawFinishReason, QStringLiteral("stop"));
    EXPECT_TRUE(r.response->usage.reported);
    EXPECT_GT(r.response->usage.inputTokens, 5);
    EXPECT_EQ(r.response->usage.outputTokens, estimateTokens(r.response->text));
}

TEST(SimulatedProvider, SchemaAnswersValidateAndVary)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    ChatRequest request = variationRequest();
    const JsonSchemaValidator validator(request.schema);
    std::set<QString> distinct;
    for (int i = 0; i < 15; ++i) {
        request.sampleIndex = i;
        const ChatResult r = run(provider, request);
        ASSERT_TRUE(r.ok()) << r.error.describe().toStdString();
        const json value = json::parse(r.response->text.toStdString());
        const auto errors = validator.validate(value);
        EXPECT_TRUE(errors.empty()) << JsonSchemaValidator::formatErrors(errors);
        distinct.insert(r.response->text);
    }
    EXPECT_EQ(distinct.size(), 15U);

    ChatRequest object = ChatRequest::simple(QStringLiteral("Summarise the plan as JSON."));
    object.format = ResponseFormat::JsonObject;
    const ChatResult r = run(provider, object);
    ASSERT_TRUE(r.ok());
    const json value = json::parse(r.response->text.toStdString());
    EXPECT_TRUE(value.is_object());
    EXPECT_FALSE(value.empty());
}

TEST(SimulatedProvider, UnsatisfiableSchemaIsAnInvalidOutputError)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    ChatRequest request = ChatRequest::simple(QStringLiteral("anything"));
    request.format = ResponseFormat::JsonSchema;
    request.schema = json::parse(R"({"type": "string", "minLength": 4, "maxLength": 1})");
    const ChatResult r = run(provider, request);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, LlmError::Kind::InvalidOutput);
    EXPECT_TRUE(r.error.message.contains(QStringLiteral("minLength")))
        << r.error.message.toStdString();
}

TEST(SimulatedProvider, StreamingDeltasConcatenateToTheFinalText)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    for (const bool schema : {false, true}) {
        ChatRequest request =
            schema ? variationRequest()
                   : ChatRequest::simple(QStringLiteral("Explain how to triage support tickets."));
        request.stream = true;
        QStringList deltas;
        ChatCallOptions options;
        options.onDelta = [&deltas](const QString &d) { deltas.append(d); };
        const ChatResult r = run(provider, request, options);
        ASSERT_TRUE(r.ok());
        EXPECT_GE(deltas.size(), 3);
        EXPECT_EQ(deltas.join(QString()), r.response->text);
        // Streaming does not change the answer.
        request.stream = false;
        EXPECT_EQ(run(provider, request).response->text, r.response->text);
    }
}

TEST(SimulatedProvider, CancellationIsPromptEvenWithALongLatency)
{
    SimulatedProvider::Options slow;
    slow.latencyMs = 60'000;
    slow.jitterMs = 0;
    SimulatedProvider provider(simulatedConfig(), slow);
    for (const bool stream : {false, true}) {
        CancelSource source;
        ChatCallOptions options;
        options.cancel = source.token();
        ChatRequest request = ChatRequest::simple(QStringLiteral("Take your time."));
        request.stream = stream;
        QStringList deltas;
        options.onDelta = [&deltas](const QString &d) { deltas << d; };
        QObject context;
        QTimer::singleShot(50, &context, [&source] { source.cancel(); });
        // Fires when the simulated latency has run out: it must not have by the time the call
        // returns (timers fire in the order they are due, whatever the machine's load).
        bool latencyRanOut = false;
        QTimer::singleShot(slow.latencyMs, Qt::PreciseTimer, &context,
                           [&latencyRanOut] { latencyRanOut = true; });
        const ChatResult r = run(provider, request, options);
        EXPECT_FALSE(latencyRanOut) << "the call waited for its latency instead of the cancel";
        EXPECT_TRUE(deltas.isEmpty()) << "the first token was due after 18 s";
        EXPECT_FALSE(r.ok());
        EXPECT_EQ(r.error.kind, LlmError::Kind::Cancelled);
        EXPECT_FALSE(r.error.retryable());
    }
    // Already cancelled: no wait at all.
    CancelSource cancelled;
    cancelled.cancel();
    ChatCallOptions options;
    options.cancel = cancelled.token();
    EXPECT_EQ(run(provider, ChatRequest::simple(QStringLiteral("x")), options).error.kind,
              LlmError::Kind::Cancelled);
    EXPECT_EQ(QCoro::waitFor(provider.listModels(cancelled.token())).error.kind,
              LlmError::Kind::Cancelled);
}

TEST(SimulatedProvider, LatencyIsSimulatedWithJitter)
{
    SimulatedProvider::Options o;
    o.latencyMs = 100;
    o.jitterMs = 40;
    SimulatedProvider provider(simulatedConfig(), o);
    std::set<int> latencies;
    for (int i = 0; i < 20; ++i) {
        ChatRequest request = ChatRequest::simple(QStringLiteral("q"));
        request.sampleIndex = i;
        const int latency = provider.latencyFor(request);
        EXPECT_GE(latency, 60);
        EXPECT_LE(latency, 140);
        latencies.insert(latency);
    }
    EXPECT_GT(latencies.size(), 5U);
    // The latency is honoured: a timer for half of it, started with the call, fires before the
    // answer arrives (an ordering of events, not a measured duration).
    ChatRequest request = ChatRequest::simple(QStringLiteral("q"));
    QObject context;
    bool halfway = false;
    QTimer::singleShot(provider.latencyFor(request) / 2, Qt::PreciseTimer, &context,
                       [&halfway] { halfway = true; });
    const ChatResult r = run(provider, request);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(halfway) << "answered before half of its simulated latency had passed";
}

TEST(SimulatedProvider, MaxTokensCutsTextButKeepsJsonValid)
{
    SimulatedProvider provider(simulatedConfig(), fast());
    ChatRequest text = ChatRequest::simple(QStringLiteral("Describe warehouse picking."));
    text.maxTokens = 12;
    const ChatResult cut = run(provider, text);
    ASSERT_TRUE(cut.ok());
    EXPECT_EQ(cut.response->finishReason, FinishReason::Length);
    EXPECT_TRUE(cut.response->truncated());
    EXPECT_EQ(cut.response->rawFinishReason, QStringLiteral("length"));
    EXPECT_LE(estimateTokens(cut.response->text), 12);
    EXPECT_FALSE(cut.response->text.isEmpty());

    ChatRequest request = variationRequest();
    request.maxTokens = 60;
    const ChatResult structured = run(provider, request);
    ASSERT_TRUE(structured.ok());
    const auto value = json::parse(structured.response->text.toStdString());
    EXPECT_TRUE(JsonSchemaValidator(request.schema).isValid(value));
    EXPECT_EQ(structured.response->finishReason, FinishReason::Stop);
    ChatRequest roomy = variationRequest();
    EXPECT_LT(structured.response->text.size(), run(provider, roomy).response->text.size());
}
