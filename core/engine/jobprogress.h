#pragma once
// Progress of a running engine job (generation, solving, evaluation, tournament), as the jobs
// dock and the CLI progress bar show it. A plain value sent across threads by queued signals.

#include <QMetaType>
#include <QString>

namespace crucible {

struct JobProgress
{
    QString jobId;
    QString kind;
    int accepted = 0;     // units of work that produced their output
    int target = 0;       // units the job must produce
    int rejected = 0;     // units that failed (or candidates rejected, for generation)
    int unitsStarted = 0; // over the job's whole life, resumed runs included
    int budget = 0;       // units allowed
    int inFlight = 0;
    double costUsd = 0;
    bool unpriced = false; // some calls had no price
    qint64 tokens = 0;
    qint64 elapsedMs = 0; // this run
    qint64 etaMs = -1;    // -1: unknown yet
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::JobProgress)
