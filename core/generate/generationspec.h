#pragma once
// What a generation job is asked to make: the kind (seeds, variations, dataset, matrix,
// adversarial, expand, interactions) and its parameters. Stored as the job's params, so that a
// resumed job does exactly what the original was asked (value type).

#include "core/generate/complexitymix.h"
#include "core/model/validationerror.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace crucible {

enum class GenerationKind { Seeds, Variations, Dataset, Matrix, Adversarial, Expand, Interactions };
QString toString(GenerationKind k);
std::optional<GenerationKind> generationKindFromString(const QString &s);
const QStringList &generationKindNames();

// One participant of a simulated interaction.
struct InteractionRole
{
    QString role;        // "user" for a persona, or an agent role such as "generator", "critic"
    QString name;        // display name
    QString description; // who they are and what they want
    bool operator==(const InteractionRole &) const = default;
};

struct GenerationSpec
{
    GenerationKind kind = GenerationKind::Seeds;
    QString providerId; // empty: the engine's default provider
    QString model;      // empty: the provider's default model
    QString domain;     // required for seeds, dataset, matrix; else the base problem's
    QString context;    // domain background from the expert (optional)
    int count = 0;      // 0 = the kind's default (seeds 5, dataset 100, adversarial 3, ...)
    QString baseProblemId;
    QString datasetName; // dataset and matrix: the dataset to create

    ComplexityMix mix; // dataset; empty = defaultComplexityMix()
    std::vector<Complexity> levels{Complexity::Simple, Complexity::Medium, Complexity::Complex};
    int perLevel = 3; // variations per level

    QString targetCapability = QStringLiteral("careful reasoning about the problem's assumptions");
    QString difficulty = QStringLiteral("medium");
    QStringList strategies; // adversarial; empty = all of adversarialStrategies()

    QStringList factors; // expand; empty = time, resources, stakeholders, constraints
    QString detailLevel = QStringLiteral("moderate");

    std::vector<InteractionRole> roles; // interactions; empty = a user persona and an agent
    int turnLimit = 6;

    QString pictModel; // matrix: the PICT model text
    int strength = 2;
    quint64 seed = 1;
    QString
        statementTemplate; // matrix without LLM: "{Channel} ticket about {Issue}"; empty: default

    double temperature = 0.9;
    int maxTokens = 1200;
    bool dedup = true;
    double dedupThreshold = 0.8;
    int candidateBudget = 0; // candidates (LLM units) allowed in all; 0 = 2 × target + 10
    int concurrency = 8;
    double budgetUsd = 0; // USD the job may spend in all (resumed runs included); 0 = no limit

    int effectiveCount() const;
    int effectiveBudget(int target) const;
    ComplexityMix effectiveMix() const;
    QStringList effectiveStrategies() const;
    QStringList effectiveFactors() const;
    std::vector<InteractionRole> effectiveRoles() const;
    bool needsBaseProblem() const;
    bool usesLlm() const; // false for a matrix turned into problems by its statement template

    // Every rule every parameter of the kind must meet, checked before the first call (the
    // dialog, the CLI, GenerationJob::create and the engine all ask this): each issue names the
    // field, the value, the rule and what to do. Empty when the spec can run.
    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static GenerationSpec fromJson(const nlohmann::json &j); // throws ValidationError
};

// Adversarial strategies: id and what it asks the model to do.
struct AdversarialStrategy
{
    const char *id;
    const char *description;
};
const std::vector<AdversarialStrategy> &adversarialStrategies();
// "edge_case" -> "edge case" (what people read) and back (also accepts "edge-case").
QString strategyLabel(const QString &id);
QString strategyIdFromLabel(const QString &text);

// The {Name} placeholders of a matrix statement template, in order.
QStringList statementTemplatePlaceholders(const QString &statementTemplate);
// A statement template built from the matrix's own dimension names, to show as an example:
// "A {Ward} case involving {Resource} and {Shift}".
QString exampleStatementTemplate(const QStringList &dimensionNames);
// One issue per line.
QString describeIssues(const std::vector<ValidationIssue> &issues);

} // namespace crucible
