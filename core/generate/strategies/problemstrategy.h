#pragma once
// ProblemStrategy: the common shape of the kinds whose unit is one structured call that yields
// problems (seeds, dataset, variations, adversarial, expand, a matrix with an LLM): a kind says
// which prompt a unit sends (buildPrompt) and what an answer item makes of a problem
// (acceptResult); the call, the checks and the provenance are done here once.

#include "core/generate/strategies/generationstrategy.h"

namespace crucible {

class ProblemStrategy : public GenerationStrategy
{
public:
    using GenerationStrategy::GenerationStrategy;

    QCoro::Task<GenerationUnitOutput> runUnit(JobUnit unit, GenerationUnitKey key) override;

protected:
    struct Prompt
    {
        QString templateId;
        const char *schemaName = "problem";
        // The template's context; domain, context and the unit's avoid list are filled in.
        nlohmann::json context = nlohmann::json::object();
    };

    // One group with the whole count (seeds, expand).
    std::vector<GenerationGroup> singleGroup() const;

    virtual Prompt buildPrompt(const JobUnit &unit, const GenerationUnitKey &key) const = 0;
    // The items of a valid answer: one problem each (seeds answer several).
    virtual std::vector<nlohmann::json> answerItems(const nlohmann::json &answer) const;
    // Completes a problem made from one answer item, whose statement, constraints, success
    // criteria, sample data and provenance are set, and whose complexity and origin are the
    // base problem's (or medium) and seed: the kind's complexity, origin, tags and metadata.
    virtual void acceptResult(Problem &problem, const nlohmann::json &item,
                              const GenerationUnitKey &key) const = 0;
};

} // namespace crucible
