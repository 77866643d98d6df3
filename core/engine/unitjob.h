#pragma once
// UnitJob: an EngineJob whose work is a fixed list of units planned from its parameters (one per
// (problem, team) for solving, per (solution, judge) for evaluation, ...). The base does what
// every such job needs: checkpoints (a unit is written when it starts and when it ends), the
// worker pool (concurrency), cancel, the job's USD budget, fail-fast on systematic errors,
// progress with cost and ETA, and the final status and summary. A resumed run skips finished
// units and re-runs unfinished and failed ones; runUnit() must therefore be idempotent (store
// under ids derived from the unit, skip what is already stored). Lives on the engine thread
// with its Workspace and LlmClient.

#include "core/engine/enginejob.h"
#include "core/engine/jobsupport.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/structured/structuredcaller.h"

#include <QElapsedTimer>

#include <deque>
#include <memory>

namespace crucible {

class Workspace;

class UnitJob : public EngineJob
{
    Q_OBJECT

public:
    UnitJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
            QObject *parent = nullptr);
    ~UnitJob() override;

    QCoro::Task<EngineJobResult> run(QString jobId) final;
    void cancel() final;

    // After this many units in a row failed in one run with nothing done, the job stops.
    static constexpr int kFailFastUnits = 6;

    // The summary of a job from its units (counts, cost, the entities made), as run() stores it.
    static nlohmann::json collectSummary(Workspace &ws, const QString &jobId);

protected:
    struct PlannedUnit
    {
        QString group; // what the unit aims at, e.g. the team or the judge
        nlohmann::json input = nlohmann::json::object();
    };
    struct UnitOutcome
    {
        bool ok = false;
        QString error;     // what went wrong (failed units)
        LlmError llmError; // the LLM error behind it, if any (fatal ones stop the job)
        jobsupport::CallTally tally;
        // Entities stored by the unit, by kind ("solution", "critique", "verdict", ...).
        std::map<QString, QStringList> entities;
        nlohmann::json extra = nlohmann::json::object(); // more fields for the unit's result
    };

    // The units of the job, from its parameters (validated here again: the workspace may have
    // changed since the job was made). Throws ValidationError with what to do.
    virtual std::vector<PlannedUnit> plan(const JobRecord &job) = 0;
    // Runs one unit; never throws (failures are in the outcome).
    virtual QCoro::Task<UnitOutcome> runUnit(JobUnit unit) = 0;

    Workspace &workspace() const { return m_ws; }
    LlmClient &client() const { return m_client; }
    const PromptTemplates &templates() const { return m_templates; }
    const QString &jobId() const { return m_jobId; }
    const nlohmann::json &params() const { return m_params; }
    CancelToken cancelToken() const { return m_cancel.token(); }

    // A structured call for `prompt` with the job's provider, model, temperature, answer limit,
    // budget and cancel token; `system` becomes the system message; `salt` separates the calls
    // of one unit in the cache.
    StructuredCallSpec callSpec(const RenderedPrompt &prompt, const QString &system,
                                const nlohmann::json &schema, const QString &schemaName,
                                const JobUnit &unit, int salt) const;

private:
    QCoro::Task<> worker();
    std::optional<JobUnit> takeNextUnit();
    void finishUnit(const JobUnit &unit, UnitOutcome outcome);
    void emitProgress();
    void finishJob(EngineJobResult &result);

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    CancelSource m_cancel;
    bool m_running = false;

    QString m_jobId;
    QString m_kind;
    nlohmann::json m_params;
    std::vector<PlannedUnit> m_plan;
    std::deque<int> m_todo; // unit numbers still to run in this run
    std::shared_ptr<LlmBudget> m_usdBudget;
    int m_done = 0;   // finished ok (whole job)
    int m_failed = 0; // finished failed in this run
    int m_inFlight = 0;
    int m_unitsStarted = 0;
    int m_doneAtStart = 0;
    int m_failedInARow = 0;
    bool m_anyDoneThisRun = false;
    jobsupport::CallTally m_tally; // whole job
    QString m_fatal;
    QElapsedTimer m_clock;
};

} // namespace crucible
