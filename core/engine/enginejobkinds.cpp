#include "core/engine/enginejobkinds.h"

#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/solvejob.h"
#include "core/evaluate/tournamentjob.h"
#include "core/evolve/runsummaryjob.h"
#include "core/evolve/trainjob.h"

namespace crucible::enginejobkinds {

const std::vector<EngineJobKind> &all()
{
    // One line per kind.
    static const std::vector<EngineJobKind> kinds = {
        EngineJobKind::of<SolveJob>(QStringLiteral("Solving")),
        EngineJobKind::of<EvaluateJob>(QStringLiteral("Evaluation")),
        EngineJobKind::of<TournamentJob>(QStringLiteral("Tournament")),
        EngineJobKind::of<evolve::TrainJob>(QStringLiteral("Training")),
        EngineJobKind::of<evolve::RunSummaryJob>(QStringLiteral("Run summary")),
    };
    return kinds;
}

const EngineJobKind *find(const QString &kind)
{
    for (const EngineJobKind &k : all())
        if (k.kind == kind)
            return &k;
    return nullptr;
}

} // namespace crucible::enginejobkinds
