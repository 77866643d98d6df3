#pragma once
// How an engine job run ended (generation, solving, evaluation, tournament): what the engines'
// jobFinished signal carries to the GUI. A plain value sent across threads by queued signals.

#include "core/store/jobrepository.h"

#include <QMetaType>
#include <QString>
#include <nlohmann/json.hpp>

namespace crucible {

struct JobOutcome
{
    QString jobId;
    QString kind; // jobs.kind
    JobStatus status = JobStatus::Failed;
    QString error; // what happened and what to do, when not Completed
    nlohmann::json summary = nlohmann::json::object(); // the job's stored summary

    bool completed() const { return status == JobStatus::Completed; }
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::JobOutcome)
