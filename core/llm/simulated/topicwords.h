#pragma once
// The topic of a prompt as the Simulated provider uses it: its content words, without stop
// words and JSON Schema vocabulary, and the phrases its generated text is about.

#include <QString>
#include <QStringList>
#include <string>
#include <vector>

namespace crucible::simulated {

// The content words of `text`, most frequent first (SchemaSampler::topicWords).
QStringList topicWords(const QString &text, int limit);
// Topic phrases for the text: adjacent content-word pairs of the topic ("shift scheduling")
// read better than single words, so they come first, then the single words.
std::vector<std::string> topicPhrases(const QString &topic);

} // namespace crucible::simulated
