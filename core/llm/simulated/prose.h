#pragma once
// Readable English text for the Simulated provider: sentences of the kind a property name hints
// at (statements, constraints, rationales, critiques, ...), titles, names, dates, e-mail
// addresses, on the topic words of the prompt. Deterministic for the state of its Rng.

#include "core/llm/simulated/propertyhints.h"
#include "core/llm/simulated/rng.h"

#include <QString>
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::simulated {

class Prose
{
public:
    Prose(Rng &rng, const std::vector<std::string> &words);
    std::string topic() { return m_words[m_rng.below(std::min<std::size_t>(m_words.size(), 12))]; }

    std::string otherTopic(const std::string &not_);
    std::string fill(std::string_view tmpl);
    std::string statementSentence();
    std::string sentence(TextKind kind);
    std::string words(std::size_t count);
    std::string text(TextKind kind);

    // One to three words: for short strings.
    std::string phrase(std::size_t maxLength);
    static std::string slug(const std::string &text);
    std::string dateText();
    static std::string twoDigits(std::size_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }

    const std::vector<std::string> &topics() const { return m_words; }

private:
    Rng &m_rng;
    std::vector<std::string> m_words;
};

// A few sentences about `topic` of the kind `hint` names (SchemaSampler::prose).
QString paragraph(quint64 seed, const QString &topic, const QString &hint, int sentences);

} // namespace crucible::simulated
