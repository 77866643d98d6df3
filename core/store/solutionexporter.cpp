#include "core/store/solutionexporter.h"

#include "core/store/evaluationrows.h"
#include "core/store/exportfile.h"

#include <QBuffer>
#include <QSqlQuery>
#include <QVariant>
#include <map>

namespace crucible {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace evaluationrows;

namespace {

constexpr int kPage = 500;

// Bound: :accepted, :dataset.
const char *const kWhere = R"(
    WHERE (:accepted = 0 OR p.review_status = 'accepted')
      AND (:dataset = '' OR EXISTS (SELECT 1 FROM dataset_problems dp
                                    WHERE dp.dataset_id = :dataset AND dp.problem_id = s.problem_id))
)";

void bindOptions(QSqlQuery &q, const SolutionExportOptions &o)
{
    q.bindValue(QStringLiteral(":accepted"), o.onlyAccepted ? 1 : 0);
    q.bindValue(QStringLiteral(":dataset"), textParam(o.datasetId.trimmed()));
}

std::string str(const QVariant &v)
{
    return v.toString().toStdString();
}

// Rows of a child table for the solutions of one page (seq range lo, hi], keyed by solution id.
template <typename MakeRow>
std::map<std::string, ordered_json> childrenOf(const Workspace &ws, const QString &sql, qint64 lo,
                                               qint64 hi, const QString &what, MakeRow makeRow)
{
    std::map<std::string, ordered_json> out;
    QSqlQuery q = streamQuery(ws, sql);
    q.bindValue(QStringLiteral(":lo"), lo);
    q.bindValue(QStringLiteral(":hi"), hi);
    execOrThrow(q, what);
    while (q.next()) {
        auto [it, inserted] = out.try_emplace(str(q.value(0)), ordered_json::array());
        it->second.push_back(makeRow(q));
    }
    return out;
}

const QString kPageSolutions =
    QStringLiteral("(SELECT id FROM solutions WHERE seq > :lo AND seq <= :hi)");

} // namespace

SolutionExporter::SolutionExporter(Workspace &ws)
    : m_ws(ws)
{
}

qint64 SolutionExporter::available() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral("SELECT COUNT(*) FROM solutions"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 SolutionExporter::count(const SolutionExportOptions &options) const
{
    QSqlQuery q = streamQuery(
        m_ws, QStringLiteral("SELECT COUNT(*) FROM solutions s JOIN problems p ON p.id = "
                             "s.problem_id") +
                  QString::fromUtf8(kWhere));
    bindOptions(q, options);
    execOrThrow(q, QStringLiteral("Counting solutions"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

SolutionExportResult SolutionExporter::write(QIODevice &out, const SolutionExportOptions &options)
{
    SolutionExportResult result;
    result.available = available();
    const qint64 total = count(options);

    const QString mainSql =
        QStringLiteral("SELECT s.seq, s.id, s.problem_id, s.agent_version_id, s.stage, "
                       "s.refined_from, s.critique_id, s.doc, s.text_length, s.cost_usd, "
                       "s.tokens, s.created_at, s.job_id, p.statement, p.domain, p.complexity, "
                       "p.review_status, av.agent_id, av.version, a.name, a.role "
                       "FROM solutions s JOIN problems p ON p.id = s.problem_id "
                       "LEFT JOIN agent_versions av ON av.id = s.agent_version_id "
                       "LEFT JOIN agents a ON a.id = av.agent_id") +
        QString::fromUtf8(kWhere) +
        QStringLiteral(" AND s.seq > :after ORDER BY s.seq LIMIT %1").arg(kPage);

    // Ancestors (refined_from chains) are looked up one hop at a time; chains are short.
    QSqlQuery parentQuery = m_ws.prepare(
        QStringLiteral("SELECT refined_from, stage, agent_version_id FROM solutions WHERE id = ?"));
    struct Hop
    {
        std::string parent, stage, agentVersion;
    };
    std::map<std::string, std::optional<Hop>> hops;
    auto hopOf = [&](const std::string &id) -> const std::optional<Hop> & {
        auto it = hops.find(id);
        if (it != hops.end())
            return it->second;
        parentQuery.bindValue(0, QString::fromStdString(id));
        execOrThrow(parentQuery, QStringLiteral("Reading the lineage of a solution"));
        std::optional<Hop> hop;
        if (parentQuery.next())
            hop = Hop{str(parentQuery.value(0)), str(parentQuery.value(1)),
                      str(parentQuery.value(2))};
        parentQuery.finish();
        return hops.emplace(id, std::move(hop)).first->second;
    };

    qint64 after = 0;
    for (;;) {
        struct Row
        {
            qint64 seq;
            ordered_json doc;
            std::string refinedFrom;
        };
        std::vector<Row> rows;
        {
            QSqlQuery q = streamQuery(m_ws, mainSql);
            bindOptions(q, options);
            q.bindValue(QStringLiteral(":after"), after);
            execOrThrow(q, QStringLiteral("Reading solutions"));
            while (q.next()) {
                ordered_json d = ordered_json::object();
                d["id"] = str(q.value(1));
                ordered_json problem = ordered_json::object();
                problem["id"] = str(q.value(2));
                problem["statement"] = str(q.value(13));
                problem["domain"] = str(q.value(14));
                problem["complexity"] = str(q.value(15));
                problem["review_status"] = str(q.value(16));
                d["problem"] = std::move(problem);
                ordered_json agent = ordered_json::object();
                agent["version_id"] = str(q.value(3));
                agent["agent_id"] = str(q.value(17));
                agent["version"] = q.value(18).isNull() ? ordered_json(nullptr)
                                                        : ordered_json(q.value(18).toInt());
                agent["name"] = str(q.value(19));
                agent["role"] = str(q.value(20));
                d["agent"] = std::move(agent);
                d["stage"] = str(q.value(4));
                const json body = parseDoc(q.value(7));
                d["solution"] = body;
                d["text"] = solutionText(body);
                d["text_length"] = q.value(8).toLongLong();
                d["refined_from"] = q.value(5).toString().isEmpty() ? ordered_json(nullptr)
                                                                    : ordered_json(str(q.value(5)));
                d["critique_id"] = q.value(6).toString().isEmpty() ? ordered_json(nullptr)
                                                                   : ordered_json(str(q.value(6)));
                d["job_id"] = str(q.value(12));
                d["cost_usd"] = realOrNull(q.value(9));
                d["tokens"] = q.value(10).toLongLong();
                d["created_at"] = str(q.value(11));
                rows.push_back({q.value(0).toLongLong(), std::move(d), str(q.value(5))});
            }
        }
        if (rows.empty())
            break;
        const qint64 lo = after;
        const qint64 hi = rows.back().seq;

        auto critiques = childrenOf(
            m_ws,
            QStringLiteral("SELECT solution_id, id, agent_version_id, doc, created_at FROM "
                           "critiques WHERE solution_id IN ") +
                kPageSolutions + QStringLiteral(" ORDER BY seq"),
            lo, hi, QStringLiteral("Reading critiques"), [](QSqlQuery &q) {
                const json doc = parseDoc(q.value(3));
                ordered_json c = ordered_json::object();
                c["id"] = str(q.value(1));
                c["agent_version_id"] = str(q.value(2));
                c["summary"] = stringField(doc, "summary");
                c["verdict"] = stringField(doc, "verdict");
                c["issues"] =
                    doc.is_object() && doc.contains("issues") ? doc.at("issues") : json::array();
                c["created_at"] = str(q.value(4));
                return c;
            });
        auto verdicts = childrenOf(
            m_ws,
            QStringLiteral("SELECT solution_id, id, judge_version_id, status, overall, "
                           "confidence, novelty, scores, checks, rubric_version, prompt_template, "
                           "error, created_at FROM verdicts WHERE solution_id IN ") +
                kPageSolutions + QStringLiteral(" ORDER BY seq"),
            lo, hi, QStringLiteral("Reading verdicts"), [](QSqlQuery &q) {
                ordered_json v = ordered_json::object();
                v["id"] = str(q.value(1));
                v["judge_version_id"] = str(q.value(2));
                v["status"] = str(q.value(3));
                v["overall"] = realOrNull(q.value(4));
                v["confidence"] = realOrNull(q.value(5));
                v["novelty"] = realOrNull(q.value(6));
                const json scores = parseDoc(q.value(7));
                v["scores"] = scores.is_object() ? scores : json::object();
                const json checks = parseDoc(q.value(8));
                v["checks"] = checks.is_object() ? checks : json::object();
                v["rubric_version"] = str(q.value(9));
                v["prompt_template"] = str(q.value(10));
                v["error"] = q.value(11).toString().isEmpty() ? ordered_json(nullptr)
                                                              : ordered_json(str(q.value(11)));
                v["created_at"] = str(q.value(12));
                return v;
            });
        auto judgments = childrenOf(
            m_ws,
            QStringLiteral("SELECT solution_id, id, aspect, rating, note, rater, updated_at FROM "
                           "human_judgments WHERE solution_id IN ") +
                kPageSolutions + QStringLiteral(" ORDER BY seq"),
            lo, hi, QStringLiteral("Reading human judgments"), [](QSqlQuery &q) {
                ordered_json h = ordered_json::object();
                h["id"] = str(q.value(1));
                h["aspect"] = str(q.value(2));
                h["rating"] =
                    q.value(3).isNull() ? ordered_json(nullptr) : ordered_json(q.value(3).toInt());
                h["note"] = str(q.value(4));
                h["rater"] = str(q.value(5));
                h["updated_at"] = str(q.value(6));
                return h;
            });
        auto refinements = childrenOf(
            m_ws,
            // refined_from <> '' lets SQLite use the partial index solutions_refined.
            QStringLiteral("SELECT refined_from, id FROM solutions WHERE refined_from <> '' "
                           "AND refined_from IN ") +
                kPageSolutions + QStringLiteral(" ORDER BY seq"),
            lo, hi, QStringLiteral("Reading refinements"),
            [](QSqlQuery &q) { return ordered_json(str(q.value(1))); });

        QByteArray chunk;
        for (Row &row : rows) {
            const std::string id = row.doc["id"].get<std::string>();
            auto take = [&id](std::map<std::string, ordered_json> &from) {
                auto it = from.find(id);
                return it == from.end() ? ordered_json::array() : std::move(it->second);
            };
            row.doc["critiques"] = take(critiques);
            row.doc["verdicts"] = take(verdicts);
            row.doc["human_judgments"] = take(judgments);

            // Root first, the direct parent last; a cycle or a missing row ends the walk.
            ordered_json lineage = ordered_json::array();
            std::string next = row.refinedFrom;
            std::vector<std::string> seen{id};
            while (!next.empty() && std::find(seen.begin(), seen.end(), next) == seen.end()) {
                const std::optional<Hop> &hop = hopOf(next);
                if (!hop)
                    break;
                ordered_json step = ordered_json::object();
                step["id"] = next;
                step["stage"] = hop->stage;
                step["agent_version_id"] = hop->agentVersion;
                lineage.insert(lineage.begin(), std::move(step));
                seen.push_back(next);
                next = hop->parent;
            }
            row.doc["lineage"] = std::move(lineage);
            row.doc["refinements"] = take(refinements);

            chunk += QByteArray::fromStdString(
                row.doc.dump(-1, ' ', false, json::error_handler_t::replace));
            chunk += '\n';
            ++result.written;
        }
        writeOrThrow(out, chunk);
        if (hops.size() > 10000)
            hops.clear();
        if (options.progress)
            options.progress(result.written, total);
        if (static_cast<int>(rows.size()) < kPage)
            break;
        after = hi;
    }
    if (options.progress && result.written == 0)
        options.progress(0, total);
    return result;
}

SolutionExportResult SolutionExporter::exportToFile(const QString &path,
                                                    const SolutionExportOptions &options)
{
    SolutionExportResult result;
    writeFileAtomically(path, [&](QIODevice &out) { result = write(out, options); });
    return result;
}

SolutionExportResult SolutionExporter::exportToBytes(QByteArray &data,
                                                     const SolutionExportOptions &options)
{
    data.clear();
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    return write(buffer, options);
}

} // namespace crucible
