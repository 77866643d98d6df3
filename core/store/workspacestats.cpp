#include "core/store/workspacestats.h"

#include "core/store/entityrepository.h"
#include "core/store/llmcallrepository.h"

#include <QFileInfo>
#include <QSqlQuery>

namespace crucible {

using nlohmann::json;

WorkspaceStats WorkspaceStats::collect(Workspace &ws)
{
    WorkspaceStats s;
    s.path = ws.path();
    s.schemaVersion = ws.schemaVersion();
    s.fileBytes =
        QFileInfo(ws.path()).size() + QFileInfo(ws.path() + QStringLiteral("-wal")).size();
    ProblemRepository problems(ws);
    s.problems = problems.count();
    QSqlQuery q = ws.exec(QStringLiteral("SELECT count(*) FROM datasets"));
    s.datasets = q.next() ? q.value(0).toLongLong() : 0;
    EntityStore entities(ws);
    q = ws.exec(QStringLiteral("SELECT count(*) FROM agents WHERE archived = 0"));
    s.agents = q.next() ? q.value(0).toLongLong() : 0;
    q = ws.exec(QStringLiteral("SELECT count(*) FROM solutions"));
    s.solutions = q.next() ? q.value(0).toLongLong() : 0;
    s.interactions = entities.count<Interaction>();
    s.feedbackItems = entities.count<FeedbackItem>();
    s.trainingRuns = entities.count<TrainingRun>();
    s.llmCalls = LlmCallRepository(ws).count();
    s.domains = problems.domains();
    s.complexity = problems.complexityCounts();
    s.origin = problems.originCounts();
    return s;
}

json WorkspaceStats::toJson() const
{
    json domainsJson = json::object();
    for (const auto &d : domains)
        domainsJson[d.domain.toStdString()] = d.count;
    json complexityJson = json::object();
    for (const auto &[c, n] : complexity)
        complexityJson[toString(c).toStdString()] = n;
    json originJson = json::object();
    for (const auto &[o, n] : origin)
        originJson[toString(o).toStdString()] = n;
    return {{"path", path.toStdString()},
            {"schema_version", schemaVersion},
            {"file_bytes", fileBytes},
            {"problems", problems},
            {"datasets", datasets},
            {"agents", agents},
            {"solutions", solutions},
            {"interactions", interactions},
            {"feedback_items", feedbackItems},
            {"training_runs", trainingRuns},
            {"llm_calls", llmCalls},
            {"domains", domainsJson},
            {"complexity", complexityJson},
            {"origin", originJson}};
}

} // namespace crucible
