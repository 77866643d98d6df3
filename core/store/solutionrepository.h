#pragma once
// Solutions and critiques (schema v7): by problem, agent version and job, and the refinement
// chain of a solution. Every multi-row write is one transaction. Lives on the Workspace's
// thread.

#include "core/model/critique.h"
#include "core/model/solution.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

class SolutionRepository final
{
public:
    explicit SolutionRepository(Workspace &ws);

    // Throws ValidationError (invalid value) or WorkspaceError (duplicate id, unknown problem
    // or agent version).
    void insert(const Solution &s);
    void insert(const std::vector<Solution> &solutions); // one transaction
    std::optional<Solution> get(const QString &id) const;
    bool contains(const QString &id) const;
    std::vector<Solution> byProblem(const QString &problemId) const; // oldest first
    std::vector<Solution> byAgentVersion(const QString &agentVersionId) const;
    std::vector<Solution> byJob(const QString &jobId) const;
    std::vector<Solution> byIds(const QStringList &ids) const; // in the order given, known only
    // The solutions that refine `id` directly (oldest first).
    std::vector<Solution> refinementsOf(const QString &id) const;
    // From the first answer down to `id`: [root, …, id]. Empty for an unknown id.
    std::vector<Solution> chain(const QString &id) const;
    // Problem ids that have at least one solution, most recently solved first.
    QStringList problemIdsWithSolutions(int limit = 10'000) const;
    qint64 count() const;

    void insertCritique(const Critique &c);
    std::optional<Critique> critique(const QString &id) const;
    bool containsCritique(const QString &id) const;
    std::vector<Critique> critiquesOf(const QString &solutionId) const; // oldest first
    std::vector<Critique> critiquesByJob(const QString &jobId) const;

private:
    std::vector<Solution> selectSolutions(const QString &where, const QVariantList &binds,
                                          const QString &what) const;
    std::vector<Critique> selectCritiques(const QString &where, const QVariantList &binds,
                                          const QString &what) const;

    Workspace &m_ws;
};

} // namespace crucible
