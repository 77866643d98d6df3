#pragma once
// SchemaSampler: builds a JSON value that satisfies a JSON Schema (the draft-7 subset structured
// outputs use), with plausible English text about a topic; deterministic for (schema, seed,
// topic). Immutable after construction: sample() is const and thread-safe, copies share state.
// The Simulated provider's answers come from here. Its parts, in core/llm/simulated/: the value
// generator (valuegenerator), strings and numbers (stringsampler, numbersampler), schema merging
// and $ref resolution (schemamerging), the pattern generator (rxparser, rxgenerator), readable
// text (prose, propertyhints, topicwords).

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <memory>

namespace crucible {

struct SampleResult
{
    nlohmann::json value; // valid against the schema when ok()
    QString error;        // why no value could be produced: unsatisfiable or unsupported schema
    int attempts = 0;     // whole-value attempts made

    bool ok() const { return error.isEmpty(); }
};

class SchemaSampler final
{
public:
    struct Options
    {
        int maxAttempts = 12; // whole-value retries with fresh random choices
        int maxDepth = 6;     // deeper than this, only what is required is generated
        int maxItems = 4;     // preferred upper size of arrays without maxItems
    };

    explicit SchemaSampler(nlohmann::json schema);
    SchemaSampler(nlohmann::json schema, Options options);

    // A value the schema's JsonSchemaValidator accepts, or an error saying why there is none.
    // `topic` is free text (e.g. the prompt): its content words flavour the generated text.
    SampleResult sample(quint64 seed, const QString &topic = {}) const;

    const nlohmann::json &schema() const;

    // A few sentences of readable text about `topic`; `hint` names what the text is
    // ("rationale", "constraints", ...) like a property name does for sample().
    static QString prose(quint64 seed, const QString &topic, const QString &hint = {},
                         int sentences = 3);
    // The content words of `text`, most frequent first, without stop words and JSON Schema
    // vocabulary.
    static QStringList topicWords(const QString &text, int limit = 16);

    struct Impl; // implementation detail, defined in the .cpp

private:
    std::shared_ptr<Impl> m_impl;
};

} // namespace crucible
