#pragma once
// TrainJob: a self-training run as an engine job (kind "train"), so that the GUI's engine and
// the CLI start, watch, pause, stop and resume it like every other job. The job and its
// TrainingRun share one id. run() restores the run from its last checkpoint (a fresh run and a
// killed one alike) and drives its TrainingSession; between units of work it honours the
// job's control ("pause": checkpoint and end, resumable; "stop": checkpoint, held-out report,
// end), which any window or process may write. cancel() ends at once, resumable. A run with a
// landscape seed gets its Simulated landscape provider from here, so that it resumes anywhere.
// Engine thread (or the CLI's thread) with its Workspace and LlmClient.

#include "core/engine/enginejob.h"
#include "core/evolve/trainingsession.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <functional>

namespace crucible::evolve {

class TrainJob final : public EngineJob
{
    Q_OBJECT

public:
    static constexpr const char *kKind = "train";

    TrainJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
             QObject *parent = nullptr);
    ~TrainJob() override;

    // TrainingSession::create from job parameters (TrainingOptions::toParams's keys, plus
    // "landscape_latency_ms" for a landscape run's answers). Throws
    // ValidationError (nothing written).
    static QString create(Workspace &ws, const nlohmann::json &params);
    // The provider id a landscape run with `seed` answers from.
    static QString landscapeProviderId(quint64 seed);

    QCoro::Task<EngineJobResult> run(QString jobId) override;
    void cancel() override;

    // Asked after every unit besides the job's control (the CLI's Ctrl+C): "stop" or "pause".
    void setStopRequested(std::function<QString()> asked) { m_asked = std::move(asked); }
    // After every checkpoint (the CLI's progress line).
    void setCheckpointed(std::function<void(const TrainingRun &, const Optimiser &)> f)
    {
        m_checkpointed = std::move(f);
    }
    // The report of the last run() (TrainingSession::run's).
    const nlohmann::json &report() const { return m_report; }

private:
    void ensureLandscapeProvider(quint64 seed, int latencyMs);

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    CancelSource m_cancel;
    std::function<QString()> m_asked;
    std::function<void(const TrainingRun &, const Optimiser &)> m_checkpointed;
    nlohmann::json m_report = nlohmann::json::object();
    bool m_running = false;
};

} // namespace crucible::evolve
