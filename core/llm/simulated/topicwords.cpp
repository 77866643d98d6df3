#include "core/llm/simulated/topicwords.h"

#include <algorithm>
#include <map>
#include <set>

namespace crucible::simulated {

std::vector<std::string> topicPhrases(const QString &topic)
{
    const QStringList words = topicWords(topic, 64);
    const std::set<QString> content(words.begin(), words.end());
    std::vector<std::string> out;
    QString previous;
    QString word;
    bool adjacent = false; // only spaces since the previous word
    auto flush = [&] {
        const QString w = word.toLower();
        if (adjacent && content.count(previous) != 0 && content.count(w) != 0 && previous != w) {
            const std::string pair = QString(previous + QLatin1Char(' ') + w).toStdString();
            if (std::find(out.begin(), out.end(), pair) == out.end() && out.size() < 6) {
                out.push_back(pair);
            }
        }
        previous = w;
        word.clear();
        adjacent = true;
    };
    for (const QChar c : topic) {
        if (c.isLetter()) {
            word += c;
            continue;
        }
        if (!word.isEmpty()) {
            flush();
        }
        if (c != QLatin1Char(' ')) {
            adjacent = false;
        }
    }
    if (!word.isEmpty()) {
        flush();
    }
    for (qsizetype i = 0; i < words.size() && i < 16; ++i) {
        out.push_back(words[i].toStdString());
    }
    return out;
}

QStringList topicWords(const QString &text, int limit)
{
    static const std::set<QString> stop = [] {
        std::set<QString> s;
        for (const char *w :
             {"about",        "above",       "after",       "again",      "against",
              "also",         "although",    "among",       "answer",     "array",
              "arrays",       "based",       "because",     "been",       "before",
              "being",        "below",       "between",     "both",       "boolean",
              "cannot",       "case",        "cases",       "clear",      "could",
              "create",       "does",        "doing",       "down",       "during",
              "each",         "either",      "else",        "ensure",     "enum",
              "every",        "example",     "false",       "field",      "fields",
              "following",    "format",      "from",        "further",    "generate",
              "given",        "have",        "having",      "here",       "include",
              "includes",     "including",   "information", "integer",    "into",
              "itself",       "json",        "just",        "keep",       "like",
              "list",         "make",        "many",        "maximum",    "minimum",
              "more",         "most",        "must",        "need",       "needs",
              "null",         "number",      "object",      "only",       "optional",
              "other",        "output",      "over",        "pattern",    "please",
              "previous",     "prompt",      "properties",  "property",   "provide",
              "required",     "response",    "return",      "same",       "schema",
              "should",       "show",        "some",        "string",     "such",
              "than",         "that",        "their",       "them",       "then",
              "there",        "these",       "they",        "this",       "those",
              "through",      "title",       "true",        "type",       "under",
              "until",        "upon",        "using",       "valid",      "value",
              "values",       "very",        "want",        "were",       "what",
              "when",         "where",       "which",       "while",      "with",
              "within",       "without",     "would",       "write",      "your",
              "yours",        "description", "items",       "additional", "additionalproperties",
              "minitems",     "maxitems",    "minlength",   "maxlength",  "text",
              "exactly",      "will",        "contain",     "containing", "contains",
              "problem",      "problems",    "variation",   "variations", "statement",
              "constraints",  "constraint",  "criteria",    "criterion",  "success",
              "complexity",   "level",       "domain",      "expert",     "designer",
              "specializing", "full",        "sample",      "data",       "diverse",
              "varied",       "nature",      "relevant",    "structure",  "each",
              "defs",         "definitions", "invalid",     "corrected",  "errors",
              "error",        "validator",   "only",        "simple",     "medium",
              "complex",      "seed",        "seeds",       "count",      "message",
              "system",       "assistant",   "user",        "model",      "simulated",
              "request",      "requests",    "task"}) {
            s.insert(QString::fromLatin1(w));
        }
        return s;
    }();
    std::map<QString, std::pair<int, int>> counts; // word -> (count, first position)
    QString word;
    int position = 0;
    auto flush = [&] {
        if (word.size() >= 4 && word.size() <= 24 && stop.count(word) == 0) {
            auto [it, inserted] = counts.emplace(word, std::make_pair(0, position));
            ++it->second.first;
        }
        word.clear();
        ++position;
    };
    for (const QChar c : text) {
        if (c.isLetter()) {
            word += c.toLower();
        } else if (!word.isEmpty()) {
            flush();
        }
    }
    if (!word.isEmpty()) {
        flush();
    }
    std::vector<std::pair<QString, std::pair<int, int>>> ranked(counts.begin(), counts.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.second.first != b.second.first ? a.second.first > b.second.first
                                                : a.second.second < b.second.second;
    });
    QStringList out;
    for (const auto &[w, stats] : ranked) {
        if (out.size() >= limit) {
            break;
        }
        out.append(w);
    }
    return out;
}

} // namespace crucible::simulated
