#include "ui/training/datasetthentraining.h"

#include "core/engine/generationengine.h"
#include "core/evolve/trainingsession.h"
#include "core/store/datasetrepository.h"
#include "ui/llm/llmenginehost.h"

#include <algorithm>

namespace crucible {

DatasetThenTraining::DatasetThenTraining(LlmEngineHost *llm, std::function<Workspace *()> workspace,
                                         QObject *parent)
    : QObject(parent)
    , m_llm(llm)
    , m_workspace(std::move(workspace))
{
    if (m_llm)
        connect(m_llm->generation(), &GenerationEngine::jobFinished, this,
                &DatasetThenTraining::onDatasetJobFinished);
    connect(this, &DatasetThenTraining::runReady, this, [this](const EngineJobRequest &run) {
        if (m_llm)
            m_llm->startEngineJob(run);
    });
}

void DatasetThenTraining::start(const GenerationRequest &dataset, const EngineJobRequest &run)
{
    m_waiting.emplace_back(dataset.spec.datasetName, run);
    if (m_llm)
        m_llm->startGeneration(dataset);
    emit statusMessage(tr("Generating %1 problems of %2 first (see Jobs); the training run "
                          "starts when the dataset is complete.")
                           .arg(dataset.spec.count)
                           .arg(dataset.spec.domain));
}

void DatasetThenTraining::onDatasetJobFinished(const JobOutcome &outcome)
{
    Workspace *ws = m_workspace ? m_workspace() : nullptr;
    const QString datasetId = QString::fromStdString(outcome.summary.value("dataset_id", ""));
    if (!ws || datasetId.isEmpty() || m_waiting.empty())
        return;
    QString name;
    try {
        if (const auto d = DatasetRepository(*ws).get(datasetId))
            name = d->name;
    } catch (const std::exception &) {
        return; // not a dataset anyone here waits for
    }
    const auto it = std::find_if(m_waiting.begin(), m_waiting.end(),
                                 [&name](const auto &w) { return w.first == name; });
    if (it == m_waiting.end())
        return;
    EngineJobRequest run = it->second;
    m_waiting.erase(it);
    if (!outcome.completed()) {
        emit statusMessage(tr("The dataset job %1 did not complete (%2), so the training run was "
                              "not started. Resume the job under Jobs, then start the run on "
                              "dataset \"%3\".")
                               .arg(outcome.jobId, outcome.error, name));
        return;
    }
    run.params["dataset_id"] = datasetId.toStdString();
    emit statusMessage(tr("Dataset \"%1\" is ready; the training starts on it.").arg(name));
    // Several agents: one run each, as one group.
    for (nlohmann::json &p : evolve::TrainingOptions::expandAgents(run.params)) {
        EngineJobRequest one = run;
        one.params = std::move(p);
        emit runReady(one);
    }
}

} // namespace crucible
