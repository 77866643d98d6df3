#include "core/generate/generationestimate.h"

#include <cmath>

namespace crucible {

using nlohmann::json;

namespace {
constexpr double kCharsPerToken = 4.0;
constexpr double kRejectAllowance = 1.15;
constexpr int kSchemaTokens = 150; // the JSON Schema sent with each structured call
} // namespace

QString GenerationEstimate::summary() const
{
    auto tokens = [](qint64 n) {
        return n >= 10'000 ? QStringLiteral("%1k").arg(std::llround(n / 1000.0))
                           : QString::number(n);
    };
    QString out = QStringLiteral("~%1 calls, ~%2 tokens in, ~%3 out")
                      .arg(calls)
                      .arg(tokens(tokensIn), tokens(tokensOut));
    // One money vocabulary everywhere: "$0 (free)", "~$0.031", "unpriced".
    if (costUsd && *costUsd == 0)
        out += QStringLiteral(", $0 (free)");
    else if (costUsd)
        out += QStringLiteral(", ~$%1").arg(*costUsd, 0, 'f', *costUsd < 1 ? 3 : 2);
    else if (calls > 0)
        out += QStringLiteral(", unpriced (no price is known for this model)");
    return out;
}

GenerationEstimate estimateGeneration(const GenerationSpec &spec, const PromptTemplates &templates,
                                      const PriceTable &prices, const ProviderConfig &provider,
                                      const QString &model, const QString &baseStatement,
                                      int matrixRows)
{
    GenerationEstimate e;
    if (!spec.usesLlm())
        return e;
    const QString base = baseStatement.isEmpty()
                             ? QStringLiteral("A representative base problem of a few sentences "
                                              "describing the situation, the goal and the data.")
                             : baseStatement;
    json avoid = json::array();
    for (int i = 0; i < 8; ++i)
        avoid.push_back(std::string(240, 'x'));
    QString templateId;
    json ctx = {{"domain", spec.domain.toStdString()},
                {"context", spec.context.toStdString()},
                {"complexity", "medium"},
                {"count", 1},
                {"avoid", avoid},
                {"base_problem", base.toStdString()},
                {"base_scenario", base.toStdString()},
                {"problem", base.toStdString()},
                {"strategy", "edge_case"},
                {"target_capability", spec.targetCapability.toStdString()},
                {"difficulty", spec.difficulty.toStdString()},
                {"expansion_factors", spec.effectiveFactors()}};
    int outTokens = 350;
    int calls = static_cast<int>(std::ceil(spec.effectiveCount() * kRejectAllowance));
    switch (spec.kind) {
    case GenerationKind::Seeds:
        templateId = QStringLiteral("generate.seeds");
        break;
    case GenerationKind::Dataset:
        templateId = QStringLiteral("generate.problem");
        break;
    case GenerationKind::Variations:
    case GenerationKind::Matrix:
        templateId = QStringLiteral("generate.variations");
        break;
    case GenerationKind::Adversarial:
        templateId = QStringLiteral("generate.adversarial");
        outTokens = 450;
        break;
    case GenerationKind::Expand:
        templateId = QStringLiteral("generate.expand");
        outTokens = 700;
        break;
    case GenerationKind::Interactions: {
        templateId = QStringLiteral("generate.interaction_turn");
        outTokens = 160;
        calls = spec.effectiveCount() * spec.turnLimit;
        json history = json::array();
        for (int i = 0; i < spec.turnLimit / 2; ++i)
            history.push_back({{"speaker", "Agent"}, {"content", std::string(500, 'x')}});
        ctx["history"] = history;
        break;
    }
    }
    if (spec.kind == GenerationKind::Matrix)
        calls = matrixRows;
    const RenderedPrompt prompt = templates.render(templateId, ctx);
    const qint64 inPerCall =
        static_cast<qint64>(std::ceil(prompt.text.size() / kCharsPerToken)) + kSchemaTokens;
    e.calls = calls;
    e.tokensIn = inPerCall * calls;
    e.tokensOut = static_cast<qint64>(std::min(outTokens, spec.maxTokens)) * calls;
    e.costUsd = prices.costFor(provider, model, e.tokensIn, e.tokensOut);
    return e;
}

} // namespace crucible
