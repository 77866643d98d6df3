#pragma once
// Counts of everything in a workspace, for `crucible-cli stats` and the status bar.

#include "core/store/problemrepository.h"

namespace crucible {

struct WorkspaceStats
{
    QString path;
    int schemaVersion = 0;
    qint64 fileBytes = 0;
    qint64 problems = 0;
    qint64 datasets = 0;
    qint64 agents = 0;
    qint64 solutions = 0;
    qint64 interactions = 0;
    qint64 feedbackItems = 0;
    qint64 trainingRuns = 0;
    qint64 llmCalls = 0;
    std::vector<DomainCount> domains;
    std::map<Complexity, qint64> complexity;
    std::map<ProblemOrigin, qint64> origin;

    static WorkspaceStats collect(Workspace &ws);
    nlohmann::json toJson() const;
};

} // namespace crucible
