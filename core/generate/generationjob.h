#pragma once
// GenerationJob: runs one generation job (seeds, variations, dataset, matrix, adversarial,
// expand, interactions) to its target, resumably. Every unit of work is checkpointed in the
// workspace when it starts (with its exact input) and when it ends (in the same transaction as
// the problems it produced), so a killed job resumes without losing or duplicating anything and
// the calls it repeats are answered by the cache. Rejected candidates (invalid, near-duplicate,
// LLM errors) are replaced until the target is met or the candidate budget is spent, and kept
// with their reasons. Lives on one thread with its Workspace and LlmClient.

#include "core/engine/jobprogress.h"
#include "core/generate/coveringarray.h"
#include "core/generate/generationspec.h"
#include "core/generate/strategies/generationstrategy.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/store/jobrepository.h"

#include <QCoro/QCoroTask>
#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <memory>

namespace crucible {

class NearDuplicateIndex;
class Workspace;

struct GenerationResult
{
    QString jobId;
    JobStatus status = JobStatus::Failed;
    QString error;
    QString datasetId;
    QStringList problemIds; // accepted, in unit order (whole job, resumed runs included)
    QStringList interactionIds;
    int rejected = 0;
    nlohmann::json summary = nlohmann::json::object();
};

class GenerationJob final : public QObject
{
    Q_OBJECT

public:
    GenerationJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                  QObject *parent = nullptr);
    ~GenerationJob() override;

    // The covering array of a matrix spec, as stored in the job: {"dimensions": [...],
    // "rows": [[value, ...], ...], "coverage": {...}}. CPU-heavy (up to seconds): call it off
    // the UI thread. Throws PictParseError or std::invalid_argument.
    static nlohmann::json planMatrix(const GenerationSpec &spec);
    // The same plan from an array computed elsewhere (the CLI's, the matrix editor's), so that
    // the rows a person saw are the rows that become problems.
    static nlohmann::json matrixPlan(const PictModel &model, const CoveringArrayResult &array,
                                     int strength, quint64 seed);

    // Validates the spec against the workspace (base problem exists, ...), writes the job and
    // returns its id. `matrixPlan` is planMatrix(spec) for a matrix (computed here when null).
    // `jobId`: the id to give it (a reproducible caller's derived id; the id also seeds the
    // units' sample indexes); empty: a new random one. Throws ValidationError or WorkspaceError.
    static QString create(Workspace &ws, const GenerationSpec &spec,
                          nlohmann::json matrixPlan = nullptr, const QString &jobId = {});

    // Runs (or resumes) the job to its end. Never throws: failures are in the result and in
    // the job's status. One run at a time per object.
    QCoro::Task<GenerationResult> run(QString jobId);
    // After this many finished units of a run all failed for the same reason, the job stops
    // (fail fast) instead of spending its whole candidate budget.
    static constexpr int kFailFastUnits = 6;

    // Stops launching units and cancels the calls in flight; run() then ends as Cancelled
    // (resumable).
    void cancel();

    // The dataset card's numbers and the CLI's summary, from the units of a job.
    static GenerationResult collect(Workspace &ws, const QString &jobId);

signals:
    void progressChanged(const crucible::JobProgress &progress);
    void problemsAdded(const QStringList &ids);
    void interactionsAdded(const QStringList &ids);

private:
    struct PendingUnit
    {
        JobUnit unit;
        std::optional<GenerationUnitKey> key; // nullopt: a stored unit no group of this job has
    };

    void prepare(const JobRecord &job);
    GenerationGroup *group(const std::optional<GenerationUnitKey> &key);
    std::optional<PendingUnit> takeNextUnit();
    QCoro::Task<> worker();
    void finishUnit(const PendingUnit &pending, GenerationUnitOutput output);
    std::vector<std::pair<QString, QString>> dedupCorpus() const; // (id, statement)
    void emitProgress();
    void finishJob(GenerationResult &result);
    Dataset makeDataset(const QString &datasetId) const;
    QString budgetMessage() const;
    void watchEarlyOutcome(const QString &category, const QString &detail, bool accepted);
    QString keptMessage() const; // what a failed job keeps, and where

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    CancelSource m_cancel;
    bool m_running = false;

    // State of the current run.
    GenerationContext m_ctx; // read by m_strategy
    std::unique_ptr<GenerationStrategy> m_strategy;
    std::vector<GenerationGroup> m_groups;
    std::size_t m_nextGroup = 0;
    std::deque<PendingUnit> m_reruns;
    int m_nextUnit = 0;
    int m_unitsStarted = 0;
    int m_budget = 0;
    int m_target = 0;
    int m_rejected = 0;
    int m_inFlight = 0;
    int m_consecutiveErrors = 0;
    // Fail fast: the outcome of the first units finished in this run ({category, detail}); a
    // unit that accepted something stops the watch.
    std::vector<std::pair<QString, QString>> m_earlyFailures;
    bool m_anyAcceptedThisRun = false;
    QString m_fatal;
    double m_cost = 0;
    bool m_unpriced = false;
    qint64 m_tokens = 0;
    int m_acceptedAtStart = 0;
    QStringList m_recentStatements; // for the prompts' "avoid" lists
    std::unique_ptr<NearDuplicateIndex> m_dedup;
    QElapsedTimer m_clock;
};

} // namespace crucible
