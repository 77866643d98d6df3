#include "core/evaluate/solutionchecks.h"

#include "core/generate/minhash.h"

#include <QSet>

#include <algorithm>

namespace crucible::solutionchecks {

namespace {

const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w :
             {"the",   "and",   "for",      "with",    "that",    "this",    "must",    "should",
              "will",  "are",   "not",      "all",     "any",     "each",    "every",   "from",
              "into",  "than",  "then",     "its",     "their",   "has",     "have",    "been",
              "being", "was",   "were",     "can",     "may",     "one",     "per",     "use",
              "used",  "using", "solution", "problem", "more",    "less",    "most",    "least",
              "only",  "also",  "such",     "other",   "when",    "which",   "who",     "what",
              "how",   "under", "over",     "within",  "without", "least",   "at",      "be",
              "is",    "it",    "of",       "to",      "in",      "on",      "or",      "an",
              "as",    "by",    "no",       "so",      "do",      "does",    "there",   "these",
              "those", "they",  "them",     "you",     "your",    "our",     "we",      "but",
              "if",    "out",   "up",       "about",   "after",   "before",  "between", "both",
              "same",  "own",   "very",     "just",    "clear",   "clearly", "shall",   "would",
              "could", "some",  "many",     "much",    "few",     "less",    "least"})
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

// Crude but language-light: a plural "s" dropped, then the first five letters, so that
// "routes"/"route" and "arrives"/"arrive" meet.
QString stem(const QString &w)
{
    QString s = w;
    if (s.size() > 3 && s.endsWith(u's') && !s.endsWith(QStringLiteral("ss")))
        s.chop(1);
    return s.left(5);
}

QStringList contentWords(const QString &text)
{
    QStringList out;
    for (const QString &w : normalizedWords(text)) {
        const bool number = !w.isEmpty() && w.front().isDigit();
        if ((w.size() < 3 && !number) || stopWords().contains(w))
            continue;
        if (!out.contains(w))
            out << w;
    }
    return out;
}

} // namespace

bool addresses(const QString &text, const QString &item, double coverage, QStringList *missing)
{
    const QStringList wanted = contentWords(item);
    if (wanted.isEmpty())
        return true; // nothing checkable
    QSet<QString> have;
    for (const QString &w : normalizedWords(text))
        have.insert(stem(w));
    int found = 0;
    for (const QString &w : wanted) {
        if (have.contains(stem(w)))
            ++found;
        else if (missing)
            *missing << w;
    }
    return static_cast<double>(found) >= coverage * static_cast<double>(wanted.size()) - 1e-9;
}

std::map<QString, CheckResult> run(const Solution &solution, const Problem &problem,
                                   const CheckOptions &options)
{
    std::map<QString, CheckResult> checks;
    const QString text = solution.toText();

    QStringList empty;
    if (solution.body.approach.trimmed().isEmpty())
        empty << QStringLiteral("approach");
    if (solution.body.steps.isEmpty())
        empty << QStringLiteral("steps");
    if (solution.body.finalAnswer.trimmed().isEmpty())
        empty << QStringLiteral("final_answer");
    checks[QStringLiteral("required_fields")] = {
        empty.isEmpty(), empty.isEmpty()
                             ? QStringLiteral("approach, steps and final answer are present")
                             : QStringLiteral("missing or empty: %1").arg(empty.join(u", "))};

    auto coverageCheck = [&](const QStringList &items, const QString &what, const QChar tag) {
        QStringList missed;
        for (int i = 0; i < items.size(); ++i) {
            QStringList words;
            if (!addresses(text, items[i], options.coverage, &words))
                missed << QStringLiteral("%1%2 \"%3\" (no mention of %4)")
                              .arg(tag)
                              .arg(i + 1)
                              .arg(items[i].trimmed(), words.mid(0, 4).join(u", "));
        }
        if (items.isEmpty())
            return CheckResult{true, QStringLiteral("the problem lists no %1").arg(what)};
        if (missed.isEmpty())
            return CheckResult{
                true, QStringLiteral("all %1 %2 are addressed").arg(items.size()).arg(what)};
        return CheckResult{false, QStringLiteral("%1 of %2 %3 not addressed: %4")
                                      .arg(missed.size())
                                      .arg(items.size())
                                      .arg(what, missed.join(QStringLiteral("; ")))};
    };
    checks[QStringLiteral("constraints_addressed")] =
        coverageCheck(problem.constraints, QStringLiteral("constraints"), u'C');
    checks[QStringLiteral("criteria_addressed")] =
        coverageCheck(problem.successCriteria, QStringLiteral("success criteria"), u'S');

    const int length = static_cast<int>(text.size());
    checks[QStringLiteral("length_budget")] = {
        length <= options.lengthBudget,
        QStringLiteral("%1 of %2 characters").arg(length).arg(options.lengthBudget)};
    return checks;
}

double novelty(const Solution &solution, const std::vector<Solution> &earlier, int shingleSize)
{
    const auto mine = shingleSet(solution.toText(), shingleSize);
    double maxSimilarity = 0;
    for (const Solution &e : earlier) {
        if (e.id == solution.id)
            continue;
        maxSimilarity = std::max(maxSimilarity, jaccard(mine, shingleSet(e.toText(), shingleSize)));
    }
    return std::clamp(1.0 - maxSimilarity, 0.0, 1.0);
}

} // namespace crucible::solutionchecks
