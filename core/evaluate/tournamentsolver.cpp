#include "core/evaluate/tournamentsolver.h"

#include "core/model/jsonsupport.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {

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
    const QString approach = jsonio::stringOr(doc, "approach");
    if (!approach.isEmpty())
        parts << QStringLiteral("Approach: ") + approach;
    const QStringList steps = jsonio::stringsAt(doc, "steps", false);
    if (!steps.isEmpty()) {
        QString s = QStringLiteral("Steps:");
        for (qsizetype i = 0; i < steps.size(); ++i)
            s += QStringLiteral("\n%1. %2").arg(i + 1).arg(steps[i]);
        parts << s;
    }
    const QString answer = jsonio::stringOr(doc, "final_answer");
    if (!answer.isEmpty())
        parts << QStringLiteral("Final answer: ") + answer;
    const QStringList assumptions = jsonio::stringsAt(doc, "assumptions", false);
    if (!assumptions.isEmpty())
        parts << QStringLiteral("Assumptions:\n- ") + assumptions.join(QStringLiteral("\n- "));
    if (parts.isEmpty() && doc.is_object() && !doc.empty())
        return QString::fromStdString(doc.dump(2));
    return parts.join(QStringLiteral("\n\n"));
}

} // namespace crucible
