#include "core/generate/strategies/interactionsstrategy.h"

#include "core/generate/minhash.h"
#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> InteractionsStrategy::planUnits() const
{
    GenerationGroup g;
    g.key = GenerationUnitKey::forKind(GenerationKind::Interactions);
    g.target = context().spec.effectiveCount();
    return {g};
}

QCoro::Task<GenerationUnitOutput> InteractionsStrategy::runUnit(JobUnit unit, GenerationUnitKey key)
{
    const GenerationContext &ctx = context();
    const GenerationSpec &spec = ctx.spec;
    GenerationUnitOutput out;
    const std::vector<InteractionRole> roles = spec.effectiveRoles();
    Interaction interaction;
    interaction.id = jsonio::newId("int");
    interaction.problemId = ctx.base->id;
    interaction.stopReason = QStringLiteral("turn_limit");
    json history = json::array();
    json intents = json::array();
    QString lastIntent;
    NearDuplicateIndex::Options repOptions;
    repOptions.threshold = 0.8;
    NearDuplicateIndex repetition(repOptions);
    QString templateId;
    int templateVersion = 0;

    for (int turn = 0; turn < spec.turnLimit; ++turn) {
        const InteractionRole &speaker = roles[static_cast<std::size_t>(turn) % roles.size()];
        json prompt = {{"agent_name", speaker.name.toStdString()},
                       {"agent_role", speaker.description.toStdString()},
                       {"domain", spec.domain.toStdString()},
                       {"problem", ctx.base->statement.toStdString()},
                       {"history", history}};
        if (turn == spec.turnLimit - 1)
            prompt["turn_goal"] = "this is the last turn: close the conversation with a short "
                                  "summary of what was agreed and what is still open";
        const RenderedPrompt rendered =
            ctx.templates->render(QStringLiteral("generate.interaction_turn"), prompt);
        if (!rendered.ok()) {
            out.error = LlmError::configuration(spec.providerId, rendered.error);
            co_return out;
        }
        templateId = rendered.id;
        templateVersion = rendered.version;
        StructuredCaller caller(*ctx.client, *ctx.templates);
        StructuredCallSpec call = ctx.callSpec(rendered, "interaction_turn", unit);
        const StructuredOutcome outcome = co_await caller.call(std::move(call));
        out.add(outcome);
        if (!outcome.ok()) {
            out.error = outcome.error;
            co_return out;
        }
        const QString content = jsonio::stringOr(*outcome.value, "content").trimmed();
        const QString intent = jsonio::stringOr(*outcome.value, "intent");
        const auto sig = repetition.signature(content);
        if (turn > 0 && repetition.findNear(sig)) {
            interaction.stopReason = QStringLiteral("repetition");
            break;
        }
        repetition.add(QString::number(turn), sig);
        interaction.turns.push_back({speaker.role, speaker.name, content});
        history.push_back(
            {{"speaker", speaker.name.toStdString()}, {"content", content.toStdString()}});
        intents.push_back(intent.toStdString());
        const bool agreed =
            intent == QLatin1String("agree") && lastIntent == QLatin1String("agree");
        if (turn >= 2 && (intent == QLatin1String("summarize") || agreed) &&
            turn < spec.turnLimit - 1) {
            interaction.stopReason = QStringLiteral("goal_reached");
            break;
        }
        lastIntent = intent;
    }
    interaction.createdAt = jsonio::nowUtc();
    json rolesJson = json::array();
    for (const auto &r : roles)
        rolesJson.push_back({{"role", r.role.toStdString()},
                             {"name", r.name.toStdString()},
                             {"description", r.description.toStdString()},
                             {"kind", r.role == QLatin1String("user") ? "user_persona" : "agent"}});
    interaction.metadata =
        ctx.provenance(unit, key, templateId, templateVersion, out.callIds, out.cost);
    interaction.metadata["roles"] = rolesJson;
    interaction.metadata["turn_limit"] = spec.turnLimit;
    interaction.metadata["intents"] = intents;
    if (interaction.turns.size() < 2) {
        out.rejects.push_back({{"reason", "invalid"},
                               {"detail", "the conversation stopped after one turn (repetition)"},
                               {"call_ids", out.callIds}});
        co_return out;
    }
    GenerationCandidate c;
    c.interaction = std::move(interaction);
    out.candidates.push_back(std::move(c));
    co_return out;
}

} // namespace crucible
