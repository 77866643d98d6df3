#include "core/generate/strategies/problemstrategy.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

namespace {

// The strings of item[key], trimmed, empty ones left out.
QStringList trimmedStrings(const json &item, const char *key)
{
    QStringList out;
    for (const QString &s : jsonio::stringsAt(item, key))
        out << s.trimmed();
    out.removeAll(QString());
    return out;
}

} // namespace

std::vector<GenerationGroup> ProblemStrategy::singleGroup() const
{
    GenerationGroup g;
    g.key = GenerationUnitKey::forKind(context().spec.kind);
    g.target = context().spec.effectiveCount();
    return {g};
}

std::vector<json> ProblemStrategy::answerItems(const json &answer) const
{
    return {answer};
}

QCoro::Task<GenerationUnitOutput> ProblemStrategy::runUnit(JobUnit unit, GenerationUnitKey key)
{
    const GenerationContext &ctx = context();
    GenerationUnitOutput out;
    Prompt request = buildPrompt(unit, key);
    request.context["domain"] = ctx.spec.domain.toStdString();
    request.context["context"] = ctx.spec.context.toStdString();
    if (!request.context.contains("avoid"))
        request.context["avoid"] = unit.input.value("avoid", json::array());

    const RenderedPrompt prompt = ctx.templates->render(request.templateId, request.context);
    if (!prompt.ok()) {
        out.error = LlmError::configuration(ctx.spec.providerId, prompt.error);
        co_return out;
    }
    StructuredCaller caller(*ctx.client, *ctx.templates);
    StructuredCallSpec spec = ctx.callSpec(prompt, request.schemaName, unit);
    const StructuredOutcome outcome = co_await caller.call(std::move(spec));
    out.add(outcome);
    if (!outcome.ok()) {
        out.error = outcome.error;
        co_return out;
    }

    const std::vector<json> items = answerItems(*outcome.value);
    for (const json &item : items) {
        Problem p;
        p.id = jsonio::newId("prb");
        p.domain = ctx.spec.domain;
        p.statement = jsonio::stringOr(item, "problem_statement").trimmed();
        p.constraints = trimmedStrings(item, "constraints");
        p.successCriteria = trimmedStrings(item, "success_criteria");
        if (const auto it = item.find("sample_data"); it != item.end() && it->is_string())
            p.sampleData = *it;
        p.complexity = ctx.base ? ctx.base->complexity : Complexity::Medium;
        p.origin = ProblemOrigin::Seed;
        p.baseProblemId = ctx.base ? ctx.base->id : QString();
        p.createdAt = jsonio::nowUtc();
        p.metadata = ctx.provenance(unit, key, prompt.id, prompt.version, outcome.callIds,
                                    items.size() == 1 ? outcome.costUsd : std::nullopt);
        acceptResult(p, item, key);
        GenerationCandidate c;
        c.problem = std::move(p);
        out.candidates.push_back(std::move(c));
    }
    co_return out;
}

} // namespace crucible
