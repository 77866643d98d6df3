#include "core/llm/simulated/schemasampler.h"

#include "core/llm/simulated/prose.h"
#include "core/llm/simulated/rng.h"
#include "core/llm/simulated/subschemavalidator.h"
#include "core/llm/simulated/topicwords.h"
#include "core/llm/simulated/valuegenerator.h"
#include "core/llm/structured/jsonschemavalidator.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace crucible {

using nlohmann::json;

struct SchemaSampler::Impl
{
    json root;
    Options options;
    JsonSchemaValidator validator;
    std::string rootDump;
    simulated::SubschemaValidator local; // refers to root

    Impl(json schema, Options o)
        : root(std::move(schema))
        , options(o)
        , validator(root)
        , rootDump(root.dump())
        , local(root)
    {
    }
};

SchemaSampler::SchemaSampler(nlohmann::json schema)
    : SchemaSampler(std::move(schema), Options())
{
}

SchemaSampler::SchemaSampler(nlohmann::json schema, Options options)
    : m_impl(std::make_shared<Impl>(std::move(schema), options))
{
}

const nlohmann::json &SchemaSampler::schema() const
{
    return m_impl->root;
}

SampleResult SchemaSampler::sample(quint64 seed, const QString &topic) const
{
    SampleResult result;
    for (const std::string &problem : m_impl->validator.schemaProblems()) {
        if (problem.find("$ref") != std::string::npos) {
            result.error = QStringLiteral("unsupported schema: ") + QString::fromStdString(problem);
            return result;
        }
    }
    const std::vector<std::string> words = simulated::topicPhrases(topic);
    const std::string topicUtf8 = topic.toStdString();
    const std::uint64_t base = simulated::hashText(m_impl->rootDump, seed) ^
                               (simulated::hashText(topicUtf8, 0x5EED) * 0x9E3779B97F4A7C15ULL);
    std::string lastError;
    const int attempts = std::max(1, m_impl->options.maxAttempts);
    for (int attempt = 0; attempt < attempts; ++attempt) {
        simulated::ValueGenerator generator(
            m_impl->root, m_impl->options, m_impl->local,
            base + static_cast<std::uint64_t>(attempt) * 0xD1B54A32D192ED03ULL, words);
        auto value = generator.run();
        result.attempts = attempt + 1;
        if (value) {
            const auto errors = m_impl->validator.validate(*value, 5);
            if (errors.empty()) {
                result.value = std::move(*value);
                return result;
            }
            if (lastError.empty()) {
                lastError = "the generated value failed validation:\n" +
                            JsonSchemaValidator::formatErrors(errors, 3);
            }
        } else if (lastError.empty()) {
            lastError = generator.failure();
        }
    }
    result.error =
        QStringLiteral("cannot generate a value for the schema after %1 attempts: %2")
            .arg(result.attempts)
            .arg(QString::fromStdString(lastError.empty() ? "unknown reason" : lastError));
    return result;
}

QString SchemaSampler::prose(quint64 seed, const QString &topic, const QString &hint, int sentences)
{
    return simulated::paragraph(seed, topic, hint, sentences);
}

QStringList SchemaSampler::topicWords(const QString &text, int limit)
{
    return simulated::topicWords(text, limit);
}

} // namespace crucible
