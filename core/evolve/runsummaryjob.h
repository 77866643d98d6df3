#pragma once
// RunSummaryJob (kind "run_summary"): the optional summary of a training run's report written by
// an LLM from the run's measurements only (EvolutionMonitor's status and the held-out result),
// with highlights, risks and next steps. The summary is stored in the run (config "summary",
// with the provider, model and time), so every later report (Markdown, HTML, JSON) includes it,
// labelled as written by the model beside the measured numbers. One call; a summary that was
// written already is replaced. Engine thread (or the CLI's) with its Workspace and LlmClient.

#include "core/engine/enginejob.h"
#include "core/evolve/evolutionmonitor.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

namespace crucible::evolve {

class RunSummaryJob final : public EngineJob
{
    Q_OBJECT

public:
    static constexpr const char *kKind = "run_summary";

    RunSummaryJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                  QObject *parent = nullptr);

    // Parameters: "run_id" (required; a training run of the workspace), "provider", "model".
    // Throws ValidationError (nothing written).
    static QString create(Workspace &ws, const nlohmann::json &params);
    // What the prompt is told: the run's measures, held-out result and recommendations.
    static nlohmann::json promptContext(const TrainingRun &run, const RunStatus &status);

    QCoro::Task<EngineJobResult> run(QString jobId) override;
    void cancel() override { m_cancel.cancel(); }

private:
    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    CancelSource m_cancel;
};

} // namespace crucible::evolve
