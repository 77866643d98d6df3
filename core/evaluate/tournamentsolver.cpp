#include "core/evaluate/tournamentsolver.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {

QString jstr(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QStringList jlist(const json &j, const char *key)
{
    QStringList out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const json &v : *it)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

} // namespace

QString TournamentSolver::existingSolution(Workspace &ws, const TournamentEntrant &entrant,
                                           const QString &problemId)
{
    const bool team = !entrant.critic.isEmpty() || !entrant.refiner.isEmpty();
    QSqlQuery q =
        ws.prepare(team ? QStringLiteral("SELECT s.id FROM solutions s "
                                         "JOIN solutions base ON base.id = s.refined_from "
                                         "JOIN critiques c ON c.id = s.critique_id "
                                         "WHERE s.problem_id = ? AND s.stage = 'refine' "
                                         "AND s.agent_version_id = ? AND base.agent_version_id = ? "
                                         "AND c.agent_version_id = ? ORDER BY s.seq DESC LIMIT 1")
                        : QStringLiteral("SELECT id FROM solutions WHERE problem_id = ? AND "
                                         "agent_version_id = ? AND stage = 'solve' "
                                         "ORDER BY seq DESC LIMIT 1"));
    q.addBindValue(problemId);
    if (team) {
        q.addBindValue(entrant.refiner);
        q.addBindValue(entrant.generator);
        q.addBindValue(entrant.critic);
    } else {
        q.addBindValue(entrant.generator);
    }
    Workspace::execPrepared(
        q,
        QStringLiteral("Looking for a solution of %1 to problem %2").arg(entrant.key, problemId));
    return q.next() ? q.value(0).toString() : QString();
}

std::optional<SolutionText> TournamentSolver::solutionText(Workspace &ws, const QString &solutionId)
{
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT doc, text_length FROM solutions WHERE id = ?"));
    q.addBindValue(solutionId);
    Workspace::execPrepared(q, QStringLiteral("Reading solution %1").arg(solutionId));
    if (!q.next())
        return std::nullopt;
    SolutionText s;
    s.id = solutionId;
    json doc = json::parse(q.value(0).toString().toStdString(), nullptr, false);
    if (doc.is_discarded())
        doc = json::object();
    s.text = renderSolution(doc);
    s.length = q.value(1).toInt();
    if (s.length <= 0)
        s.length = static_cast<int>(s.text.size());
    return s;
}

QString TournamentSolver::renderSolution(const json &doc)
{
    QStringList parts;
    const QString approach = jstr(doc, "approach");
    if (!approach.isEmpty())
        parts << QStringLiteral("Approach: ") + approach;
    const QStringList steps = jlist(doc, "steps");
    if (!steps.isEmpty()) {
        QString s = QStringLiteral("Steps:");
        for (qsizetype i = 0; i < steps.size(); ++i)
            s += QStringLiteral("\n%1. %2").arg(i + 1).arg(steps[i]);
        parts << s;
    }
    const QString answer = jstr(doc, "final_answer");
    if (!answer.isEmpty())
        parts << QStringLiteral("Final answer: ") + answer;
    const QStringList assumptions = jlist(doc, "assumptions");
    if (!assumptions.isEmpty())
        parts << QStringLiteral("Assumptions:\n- ") + assumptions.join(QStringLiteral("\n- "));
    if (parts.isEmpty() && doc.is_object() && !doc.empty())
        return QString::fromStdString(doc.dump(2));
    return parts.join(QStringLiteral("\n\n"));
}

} // namespace crucible
