#include "core/llm/providers/simulatedprovider.h"

#include "core/llm/simulated/fitnesslandscape.h"
#include "core/llm/simulated/schemasampler.h"

#include <QCoro/QCoroTimer>
#include <QElapsedTimer>
#include <QStringBuilder>

#include <xxhash.h>

#include <algorithm>
#include <chrono>

namespace crucible {

namespace {

constexpr qint64 kCancelPollMs = 20;

// Sleeps `ms` in short slices so that cancellation is noticed promptly; false when cancelled.
QCoro::Task<bool> sleepCancellable(qint64 ms, CancelToken cancel)
{
    QElapsedTimer timer;
    timer.start();
    while (true) {
        if (cancel.isCancelled()) {
            co_return false;
        }
        const qint64 left = ms - timer.elapsed();
        if (left <= 0) {
            co_return true;
        }
        co_await QCoro::sleepFor(std::chrono::milliseconds(std::min(left, kCancelPollMs)));
    }
}

// The prompt's words: the last user message first (it says what is asked), then the rest.
QString topicOf(const ChatRequest &request)
{
    QString topic;
    for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
        if (it->role == ChatMessage::Role::User) {
            topic = it->content;
            break;
        }
    }
    topic += QLatin1Char('\n') % request.system;
    for (const auto &m : request.messages) {
        topic += QLatin1Char('\n') % m.content;
    }
    return topic;
}

const nlohmann::json &smallObjectSchema()
{
    static const nlohmann::json schema = nlohmann::json::parse(R"({
      "type": "object",
      "properties": {
        "answer": {"type": "string"},
        "key_points": {"type": "array", "items": {"type": "string"}, "minItems": 2,
                       "maxItems": 4, "uniqueItems": true},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1}
      },
      "required": ["answer", "key_points", "confidence"],
      "additionalProperties": false
    })");
    return schema;
}

QString hintFor(const QString &topic)
{
    const QString t = topic.left(400).toLower();
    if (t.contains(QLatin1String("critique")) || t.contains(QLatin1String("evaluate")) ||
        t.contains(QLatin1String("review"))) {
        return QStringLiteral("critique");
    }
    if (t.contains(QLatin1String("constraint"))) {
        return QStringLiteral("constraints");
    }
    if (t.contains(QLatin1String("scenario")) || t.contains(QLatin1String("describe"))) {
        return QStringLiteral("scenario");
    }
    return QStringLiteral("answer");
}

// Splits `text` into 4–12 pieces at spaces; concatenated they give `text` back.
QStringList deltasOf(const QString &text)
{
    QStringList words;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == QLatin1Char(' ')) {
            words.append(text.mid(start, i - start));
            start = i;
        }
    }
    const qsizetype per = std::max<qsizetype>(1, (words.size() + 7) / 8);
    QStringList out;
    for (qsizetype i = 0; i < words.size(); i += per) {
        QString piece;
        for (qsizetype j = i; j < std::min(words.size(), i + per); ++j) {
            piece += words[j];
        }
        out.append(piece);
    }
    return out;
}

// Cuts prose to at most `maxTokens` estimated tokens, at a space when there is one.
QString cutToTokens(const QString &text, int maxTokens)
{
    QString out = text.left(std::max(0, maxTokens) * 4);
    while (!out.isEmpty() && estimateTokens(out) > maxTokens) {
        out.chop(1);
    }
    const qsizetype space = out.lastIndexOf(QLatin1Char(' '));
    if (space > out.size() / 2) {
        out.truncate(space);
    }
    return out;
}

} // namespace

SimulatedProvider::SimulatedProvider(ProviderConfig config)
    : SimulatedProvider(std::move(config), Options())
{
}

SimulatedProvider::SimulatedProvider(ProviderConfig config, Options options)
    : m_config(std::move(config))
    , m_options(options)
{
    m_config.type = ProviderType::Simulated;
    if (m_config.id.isEmpty()) {
        m_config.id = QStringLiteral("simulated");
    }
    if (m_config.displayName.isEmpty()) {
        m_config.displayName = QStringLiteral("Simulated");
    }
    if (m_options.landscapeSeed) {
        auto landscape = std::make_shared<simulated::FitnessLandscape>(*m_options.landscapeSeed);
        landscape->setJudgeFlaws(m_options.judgeFlaws);
        m_landscape = std::move(landscape);
    }
}

const ProviderConfig &SimulatedProvider::config() const
{
    return m_config;
}

QString SimulatedProvider::label() const
{
    QString name = LlmProvider::label();
    if (!name.contains(QLatin1String("Simulated"))) {
        name += QStringLiteral(" (Simulated)");
    }
    return name;
}

quint64 SimulatedProvider::requestHash(const ChatRequest &request) const
{
    const std::string text = request.toJson().dump();
    return XXH3_64bits_withSeed(text.data(), text.size(), m_options.seed);
}

QString SimulatedProvider::modelFor(const ChatRequest &request) const
{
    if (!request.model.isEmpty()) {
        return request.model;
    }
    return m_config.defaultModel.isEmpty() ? QStringLiteral("simulated") : m_config.defaultModel;
}

int SimulatedProvider::latencyFor(const ChatRequest &request) const
{
    const int jitter = std::max(0, m_options.jitterMs);
    const quint64 h = requestHash(request) * 0x9E3779B97F4A7C15ULL;
    const int offset = static_cast<int>((h >> 17U) % static_cast<quint64>(2 * jitter + 1)) - jitter;
    return std::max(0, m_options.latencyMs + offset);
}

ChatResult SimulatedProvider::answer(const ChatRequest &request) const
{
    ChatResult result;
    const quint64 hash = requestHash(request);
    const QString model = modelFor(request);
    const QString topic = topicOf(request);
    const std::optional<int> maxTokens = request.maxTokens ? request.maxTokens : m_config.maxTokens;

    ChatResponse response;
    response.model = model;
    response.requestId = QStringLiteral("sim-") % QString::number(hash, 16);
    response.finishReason = FinishReason::Stop;

    if (request.format == ResponseFormat::Text) {
        const int sentences = 3 + static_cast<int>(hash % 4U);
        response.text = SchemaSampler::prose(hash, topic, hintFor(topic), sentences);
        if (maxTokens && estimateTokens(response.text) > *maxTokens) {
            response.text = cutToTokens(response.text, *maxTokens);
            response.finishReason = FinishReason::Length;
        }
    } else if (const std::optional<nlohmann::json> landscaped =
                   m_landscape ? m_landscape->answer(request, hash) : std::nullopt) {
        response.text = QString::fromStdString(landscaped->dump(2));
    } else {
        const nlohmann::json &schema =
            request.format == ResponseFormat::JsonSchema ? request.schema : smallObjectSchema();
        const SampleResult sample = SchemaSampler(schema).sample(hash, topic);
        if (!sample.ok()) {
            result.error.kind = LlmError::Kind::InvalidOutput;
            result.error.provider = label();
            result.error.model = model;
            result.error.message =
                QStringLiteral("the simulated provider cannot produce JSON for this schema: ") %
                sample.error;
            return result;
        }
        response.text = QString::fromStdString(sample.value.dump(2));
        // Over max_tokens: compact, then a minimal value; JSON is never cut.
        if (maxTokens && estimateTokens(response.text) > *maxTokens) {
            response.text = QString::fromStdString(sample.value.dump());
        }
        if (maxTokens && estimateTokens(response.text) > *maxTokens) {
            SchemaSampler::Options small;
            small.maxDepth = 0;
            small.maxItems = 1;
            const SampleResult minimal = SchemaSampler(schema, small).sample(hash, topic);
            if (minimal.ok()) {
                const QString text = QString::fromStdString(minimal.value.dump());
                if (text.size() < response.text.size()) {
                    response.text = text;
                }
            }
        }
    }
    response.rawFinishReason = finishReasonName(response.finishReason);
    response.usage.inputTokens = estimateInputTokens(request);
    response.usage.outputTokens = estimateTokens(response.text);
    response.usage.reported = true;
    result.response = std::move(response);
    return result;
}

QCoro::Task<ChatResult> SimulatedProvider::chat(ChatRequest request, ChatCallOptions options)
{
    QElapsedTimer timer;
    timer.start();
    ChatResult result = answer(request);
    const qint64 latency = latencyFor(request);
    bool completed = true;
    QString sent;
    if (result.ok() && request.stream) {
        // Time to the first token, then the rest of the answer spread over the deltas.
        const QStringList deltas = deltasOf(result.response->text);
        const qint64 first = latency * 3 / 10;
        const qint64 each = deltas.isEmpty() ? 0 : (latency - first) / deltas.size();
        const bool started = co_await sleepCancellable(first, options.cancel);
        completed = started;
        for (qsizetype i = 0; completed && i < deltas.size(); ++i) {
            if (options.onDelta) {
                options.onDelta(deltas[i]);
            }
            sent += deltas[i];
            const bool waited = co_await sleepCancellable(each, options.cancel);
            completed = waited;
        }
    } else {
        const bool waited = co_await sleepCancellable(latency, options.cancel);
        completed = waited;
    }
    if (!completed) {
        const QString model = modelFor(request);
        result = ChatResult();
        result.error = LlmError::cancelled(label());
        result.error.model = model;
        result.error.midStream = !sent.isEmpty();
        result.partialText = sent;
    }
    result.latencyMs = timer.elapsed();
    co_return result;
}

QCoro::Task<ModelsResult> SimulatedProvider::listModels(CancelToken cancel)
{
    QElapsedTimer timer;
    timer.start();
    ModelsResult result;
    const bool waited = co_await sleepCancellable(std::max(0, m_options.latencyMs) / 4, cancel);
    if (waited) {
        result.models = {QStringLiteral("simulated"), QStringLiteral("simulated-large")};
    } else {
        result.error = LlmError::cancelled(label());
    }
    result.latencyMs = timer.elapsed();
    co_return result;
}

} // namespace crucible
