#pragma once
// DatasetThenTraining: "generate a new dataset first" for a new training run. Starts the dataset
// job, waits for the job that made the dataset of that (unique) name, and then starts the run on
// it (its params get "dataset_id"); a dataset job that does not complete starts nothing and says
// what to do. GUI thread; the engine is reached through the LlmEngineHost.

#include "core/engine/enginejobrequest.h"
#include "core/engine/generationrequest.h"
#include "core/engine/joboutcome.h"

#include <QObject>

#include <functional>
#include <vector>

namespace crucible {

class LlmEngineHost;
class Workspace;

class DatasetThenTraining final : public QObject
{
    Q_OBJECT

public:
    // `workspace` gives the open workspace when a job finishes (may return null).
    DatasetThenTraining(LlmEngineHost *llm, std::function<Workspace *()> workspace,
                        QObject *parent = nullptr);

    void start(const GenerationRequest &dataset, const EngineJobRequest &run);
    // A generation job ended (GenerationEngine::jobFinished); public for tests.
    void onDatasetJobFinished(const JobOutcome &outcome);
    int waiting() const { return static_cast<int>(m_waiting.size()); }

signals:
    void statusMessage(const QString &message);
    // The run to start now (the dataset is ready).
    void runReady(const crucible::EngineJobRequest &run);

private:
    LlmEngineHost *m_llm;
    std::function<Workspace *()> m_workspace;
    std::vector<std::pair<QString, EngineJobRequest>> m_waiting; // dataset name → run
};

} // namespace crucible
