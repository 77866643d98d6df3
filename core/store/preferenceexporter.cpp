#include "core/store/preferenceexporter.h"

#include "core/store/evaluationrows.h"
#include "core/store/exportfile.h"

#include <QBuffer>
#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace evaluationrows;

namespace {

constexpr qint64 kChunkRows = 500;
constexpr qsizetype kMaxSkippedIds = 20;

// The filtered pairs, in the order they were made. A person's pair (doc.source "human", from an
// inbox answer) passes the score-gap and agreement filters (it has no judge scores, and the
// person is the label) and replaces the judges' pairs of the same two solutions (a damaged doc
// is not a person's pair: json_valid first). Bound:
// :accepted, :tournament, :gap (NULL for no gap), :agreed.
const char *const kFrom = R"(
    FROM preference_pairs pp
    JOIN problems p ON p.id = pp.problem_id
    JOIN solutions cs ON cs.id = pp.chosen_solution_id
    JOIN solutions rs ON rs.id = pp.rejected_solution_id
    LEFT JOIN comparisons c ON c.id = pp.comparison_id
    WHERE (:accepted = 0 OR p.review_status = 'accepted')
      AND (:tournament = '' OR c.tournament_id = :tournament)
      AND ((CASE WHEN json_valid(pp.doc) THEN json_extract(pp.doc, '$.source') END) = 'human' OR (
        (:gap IS NULL OR (pp.chosen_score IS NOT NULL AND pp.rejected_score IS NOT NULL
                          AND pp.chosen_score - pp.rejected_score >= :gap - 1e-9))
        AND (:agreed = 0 OR (c.id IS NOT NULL AND c.verdict_ab = c.verdict_ba
             AND c.winner IN ('a', 'b')
             AND NOT EXISTS (
                 SELECT 1 FROM comparisons o
                 WHERE o.problem_id = pp.problem_id AND o.id <> c.id AND o.winner <> 'failed'
                   AND ((o.solution_a = pp.chosen_solution_id
                         AND o.solution_b = pp.rejected_solution_id)
                        OR (o.solution_a = pp.rejected_solution_id
                            AND o.solution_b = pp.chosen_solution_id))
                   AND (CASE o.winner WHEN 'a' THEN o.solution_a WHEN 'b' THEN o.solution_b
                        ELSE '' END) <> pp.chosen_solution_id)))
        AND NOT EXISTS (
            SELECT 1 FROM preference_pairs h
            WHERE h.problem_id = pp.problem_id
              AND (CASE WHEN json_valid(h.doc) THEN json_extract(h.doc, '$.source') END) = 'human'
              AND ((h.chosen_solution_id = pp.chosen_solution_id
                    AND h.rejected_solution_id = pp.rejected_solution_id)
                   OR (h.chosen_solution_id = pp.rejected_solution_id
                       AND h.rejected_solution_id = pp.chosen_solution_id)))))
)";

void bindOptions(QSqlQuery &q, const PreferenceExportOptions &o)
{
    q.bindValue(QStringLiteral(":accepted"), o.onlyAccepted ? 1 : 0);
    q.bindValue(QStringLiteral(":tournament"), textParam(o.tournamentId.trimmed()));
    q.bindValue(QStringLiteral(":gap"),
                o.minScoreGap ? QVariant(*o.minScoreGap) : QVariant(QMetaType(QMetaType::Double)));
    q.bindValue(QStringLiteral(":agreed"), o.onlyAgreed ? 1 : 0);
}

std::string trimmedCopy(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The problem as the solver saw it when the pair's document has no prompt.
std::string problemPrompt(const QString &statement, const json &constraints, const json &criteria)
{
    std::string prompt = trimmedCopy(statement.toStdString());
    auto list = [&prompt](const char *title, const json &items) {
        if (!items.is_array() || items.empty())
            return;
        prompt += std::string("\n\n") + title;
        for (const json &item : items)
            prompt += "\n- " + (item.is_string() ? item.get<std::string>() : item.dump());
    };
    list("Constraints:", constraints);
    list("Success criteria:", criteria);
    return prompt;
}

} // namespace

PreferenceExporter::PreferenceExporter(Workspace &ws)
    : m_ws(ws)
{
}

QString PreferenceExporter::formatName(PreferenceFormat format)
{
    return format == PreferenceFormat::OpenAi ? QStringLiteral("dpo-openai")
                                              : QStringLiteral("dpo");
}

ordered_json PreferenceExporter::line(PreferenceFormat format, const std::string &prompt,
                                      const std::string &chosen, const std::string &rejected)
{
    ordered_json doc = ordered_json::object();
    if (format == PreferenceFormat::Trl) {
        doc["prompt"] = prompt;
        doc["chosen"] = chosen;
        doc["rejected"] = rejected;
        return doc;
    }
    auto message = [](const char *role, const std::string &content) {
        ordered_json m = ordered_json::object();
        m["role"] = role;
        m["content"] = content;
        return m;
    };
    ordered_json input = ordered_json::object();
    input["messages"] = ordered_json::array({message("user", prompt)});
    doc["input"] = std::move(input);
    doc["preferred_output"] = ordered_json::array({message("assistant", chosen)});
    doc["non_preferred_output"] = ordered_json::array({message("assistant", rejected)});
    return doc;
}

qint64 PreferenceExporter::available() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral("SELECT COUNT(*) FROM preference_pairs"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 PreferenceExporter::count(const PreferenceExportOptions &options) const
{
    QSqlQuery q = streamQuery(m_ws, QStringLiteral("SELECT COUNT(*)") + QString::fromUtf8(kFrom));
    bindOptions(q, options);
    execOrThrow(q, QStringLiteral("Counting preference pairs"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

PreferenceExportResult PreferenceExporter::write(QIODevice &out,
                                                 const PreferenceExportOptions &options)
{
    PreferenceExportResult result;
    result.available = available();
    const qint64 total = count(options);

    QSqlQuery q =
        streamQuery(m_ws, QStringLiteral("SELECT pp.id, pp.doc, p.statement, p.constraints, "
                                         "p.success_criteria, cs.doc, rs.doc") +
                              QString::fromUtf8(kFrom) + QStringLiteral(" ORDER BY pp.seq"));
    bindOptions(q, options);
    execOrThrow(q, QStringLiteral("Reading preference pairs"));

    QByteArray chunk;
    auto skip = [&result](const QString &id, qint64 &counter) {
        ++counter;
        if (result.skippedIds.size() < kMaxSkippedIds)
            result.skippedIds << id;
    };
    while (q.next()) {
        ++result.matched;
        const QString id = q.value(0).toString();
        const json doc = parseDoc(q.value(1));
        std::string prompt = trimmedCopy(stringField(doc, "prompt"));
        if (prompt.empty())
            prompt =
                problemPrompt(q.value(2).toString(), parseDoc(q.value(3)), parseDoc(q.value(4)));
        std::string chosen = trimmedCopy(stringField(doc, "chosen"));
        if (chosen.empty())
            chosen = solutionText(parseDoc(q.value(5)));
        std::string rejected = trimmedCopy(stringField(doc, "rejected"));
        if (rejected.empty())
            rejected = solutionText(parseDoc(q.value(6)));

        if (prompt.empty() || chosen.empty() || rejected.empty()) {
            skip(id, result.skippedEmpty);
        } else if (chosen == rejected) {
            skip(id, result.skippedSame);
        } else {
            if (stringField(doc, "source") == "human")
                ++result.human;
            chunk += QByteArray::fromStdString(
                line(options.format, prompt, chosen, rejected)
                    .dump(-1, ' ', false, json::error_handler_t::replace));
            chunk += '\n';
            ++result.written;
        }
        if (result.matched % kChunkRows == 0) {
            writeOrThrow(out, chunk);
            chunk.clear();
            if (options.progress)
                options.progress(result.matched, total);
        }
    }
    writeOrThrow(out, chunk);
    if (options.progress)
        options.progress(result.matched, total);
    return result;
}

PreferenceExportResult PreferenceExporter::exportToFile(const QString &path,
                                                        const PreferenceExportOptions &options)
{
    PreferenceExportResult result;
    writeFileAtomically(path, [&](QIODevice &out) { result = write(out, options); });
    return result;
}

PreferenceExportResult PreferenceExporter::exportToBytes(QByteArray &data,
                                                         const PreferenceExportOptions &options)
{
    data.clear();
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    return write(buffer, options);
}

} // namespace crucible
