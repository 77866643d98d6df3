#pragma once
// Lineage: the family tree of the agent versions a training run made, read from its checkpoint,
// for the dashboard's lineage graph and ratings: each candidate with its parent, how it was made,
// whether it was accepted, its mean on the validation split with a bootstrap 95 % interval, the
// minibatch test that decided it, the proposer's reason and change, its traits and lessons; and
// Bradley–Terry ratings with bootstrap intervals from every head-to-head the run played (a child
// against its parent on the same problem, the higher judge score winning). Also the run's live
// match: the unit of work in flight and the latest minibatch test. Pure computation on values;
// any thread (the bootstrap makes it worth a worker thread for long runs).

#include "core/model/trainingrun.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible::evolve {

struct LineageNode
{
    int id = 0;
    int parent = -1;
    QString op; // seed, reflect, traits, random
    bool accepted = false;
    bool best = false;
    QString versionId; // empty until stored (accepted and scored on validation)
    std::optional<double> validationMean;
    double validationLow = 0, validationHigh = 0;
    int validationProblems = 0;       // scored so far
    std::optional<double> scoredMean; // over every problem it was scored on (any split)
    std::optional<double> minibatchParent, minibatchChild;
    std::optional<double> rating; // Bradley–Terry, Elo-like scale; none without a match
    double ratingLow = 0, ratingHigh = 0;
    int matches = 0;
    double wins = 0, losses = 0, ties = 0;
    QString why;
    nlohmann::json change;
    nlohmann::json traits;
    nlohmann::json instructions;
};

struct MatchRow
{
    QString problemId;
    double parentScore = 0;
    double childScore = 0;
};

struct Lineage
{
    QString runId;
    int cycles = 0;
    std::vector<LineageNode> nodes; // by candidate id
    QString inFlight;               // the unit of work the checkpoint says is next, for people
    int matchParent = -1, matchChild = -1; // the latest minibatch test
    std::vector<MatchRow> match;
    QString error; // the checkpoint could not be read
    // The accepted versions' solutions (EvolutionMonitor::addDiversity); 0: not measured.
    int diversitySolutions = 0;
    double distinct2 = 0, meanSimilarity = 0;
};

// `bootstrapRounds` resamples for the validation intervals and the ratings (0: no intervals).
Lineage lineageOf(const TrainingRun &run, int bootstrapRounds = 300);

// A node as HTML for the details pane: traits, lessons, the learning record.
QString describeNode(const LineageNode &node);

} // namespace crucible::evolve
