#pragma once
// Writes rows of the evaluation tables of schema v7 (agents, versions, solutions, critiques,
// verdicts, human judgments, tournaments, comparisons, preference pairs) with plain SQL, so that
// exporter tests do not depend on the repositories that other parts of the app write them with.
// Ids are readable and deterministic: agt_1, agv_1, sol_1, ...

#include "core/store/workspace.h"

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

namespace crucible::test {

class EvaluationFixture final
{
public:
    explicit EvaluationFixture(Workspace &ws);

    // A problem (test::makeProblem(n)); review "accepted", "rejected" or "unreviewed".
    QString problem(int n, const QString &review = QStringLiteral("unreviewed"),
                    const QString &baseProblemId = {});
    void addToDataset(const QString &datasetId, const QString &name, const QStringList &problems);

    QString agent(const QString &role, const QString &name, const QString &clonedFrom = {});
    // The next version of the agent (its parent is the previous version unless given).
    QString version(const QString &agentId, const QString &parent = {},
                    const nlohmann::json &traits = {{"creativity", 70}});

    static nlohmann::json solutionDoc(const QString &answer);
    QString solution(const QString &problemId, const QString &versionId, const nlohmann::json &doc,
                     const QString &refinedFrom = {}, const QString &critiqueId = {});
    QString critique(const QString &solutionId, const QString &versionId,
                     const QString &summary = QStringLiteral("Misses the budget."));
    QString verdict(const QString &solutionId, const QString &judgeId, double overall,
                    const QString &rationale = QStringLiteral("Correct and complete."));
    QString failedVerdict(const QString &solutionId, const QString &judgeId);
    // An ok verdict with these aspect scores (overall: their mean), confidence, job, the
    // solutions its prompt carried as calibration examples, made `secondsLater` after now.
    struct Scored
    {
        std::map<QString, double> scores;
        double confidence = 0.9;
        QString jobId;
        QStringList calibration;
        int secondsLater = 0;
        QString rationale = QStringLiteral("Checked the steps.");
        std::map<QString, QString> rationales; // per aspect, instead of `rationale`
    };
    QString scoredVerdict(const QString &solutionId, const QString &judgeId, const Scored &s);
    QString judgment(const QString &solutionId, const QString &aspect, int rating,
                     const QString &note = {});
    QString tournament(const QString &name);
    // verdict_ab/ba in terms of a/b; winner = their agreement, else "tie" ("failed" if either
    // failed).
    QString comparison(const QString &tournamentId, const QString &problemId, const QString &a,
                       const QString &b, const QString &judge, const QString &ab,
                       const QString &ba);
    // The preference pair of a decisive comparison; prompt/chosen/rejected texts in its doc
    // unless left empty (the exporter then falls back to the problem and solution rows).
    QString pair(const QString &comparisonId, std::optional<double> chosenScore,
                 std::optional<double> rejectedScore, const QString &prompt, const QString &chosen,
                 const QString &rejected);

    void exec(const QString &sql, const QVariantList &values);

private:
    QString nextId(const char *prefix);
    Workspace &m_ws;
    std::map<std::string, int> m_counters;
};

// A small but complete evaluation history (see evaluationfixture.cpp for the story): three
// problems (one a variation, two accepted, one with quotes, backslashes, ';' and newlines in its
// statement), a dataset, agents with versions and a clone, solutions with a critique and a
// refinement, verdicts, human judgments, a tournament and five preference pairs.
struct EvaluationScenario
{
    QString p1, p2, p3, dataset;
    QString gen, genV1, genV2, clone, cloneV1, critic, criticV1, refiner, refinerV1;
    QString judgeA, judgeB, judgeAV1, judgeBV1;
    QString s1, s2, s3, s4, s5, s6, s7, critique1;
    QString tournament, cmp1, cmp2, cmp3, cmp4, cmp5, cmp6;
    QString pair1, pair2, pair3, pair5, pair6;
    static const QString kTrickyStatement;
};
EvaluationScenario buildEvaluationScenario(Workspace &ws);

} // namespace crucible::test
