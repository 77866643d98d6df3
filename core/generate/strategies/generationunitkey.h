#pragma once
// GenerationUnitKey: what one unit of a generation job aims at — the job's kind and, by kind, a
// complexity level (dataset, variations), an adversarial strategy or a matrix row. writeTo() and
// readFrom() are the only code that knows how a key is stored in job_units (the group column
// for people and summaries, input["key"] for the engine); units written before typed keys
// existed carry only the group name and still read. Value type.

#include "core/generate/generationspec.h"
#include "core/model/problem.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>

namespace crucible {

struct JobUnit;

struct GenerationUnitKey
{
    GenerationKind kind = GenerationKind::Seeds;
    std::optional<Complexity> level; // dataset, variations
    QString strategy;                // adversarial: an adversarialStrategies() id
    int row = -1;                    // matrix: the covering array's row

    static GenerationUnitKey forKind(GenerationKind kind);
    static GenerationUnitKey forLevel(GenerationKind kind, Complexity level);
    static GenerationUnitKey forStrategy(const QString &strategy);
    static GenerationUnitKey forRow(int row);

    // The group people read in summaries ("medium", "boundary", "row 3", "seeds"); the stored
    // group column, identical to what jobs wrote before typed keys.
    QString groupName() const;

    nlohmann::json toJson() const; // {"kind": "matrix", "row": 3}
    static std::optional<GenerationUnitKey> fromJson(const nlohmann::json &j);

    // Stores the key with a unit about to be started: its group and input["key"].
    void writeTo(JobUnit &unit) const;
    // The key of a stored unit of a job of `kind`: input["key"] when present, else the group
    // name as older jobs wrote it. nullopt when neither names a unit of this kind.
    static std::optional<GenerationUnitKey> readFrom(GenerationKind kind, const JobUnit &unit);

    bool operator==(const GenerationUnitKey &) const = default;
};

} // namespace crucible
