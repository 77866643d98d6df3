#pragma once
// What a generation job will roughly cost before it runs: calls, tokens and USD (from the price
// table), from the rendered prompts and the kind's typical answer size. Pure function.

#include "core/generate/generationspec.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"

#include <optional>

namespace crucible {

struct GenerationEstimate
{
    int calls = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    std::optional<double> costUsd; // unset when the model has no price
    QString summary() const;       // "~40 calls, ~52k tokens, ~$0.031"
};

// `baseStatement` is the base problem's statement (for kinds that have one); `provider` and `model`
// the provider and model the calls will use (priced as the client prices them: a local or custom
// server by its own configured price, never by a cloud vendor's price for the same model name);
// `matrixRows` the rows of a matrix job. Assumes ~15 % of candidates are rejected and replaced.
GenerationEstimate estimateGeneration(const GenerationSpec &spec, const PromptTemplates &templates,
                                      const PriceTable &prices, const ProviderConfig &provider,
                                      const QString &model, const QString &baseStatement = {},
                                      int matrixRows = 0);

} // namespace crucible
