#include "core/generate/strategies/generationstrategy.h"

#include "core/engine/jobsupport.h"
#include "core/generate/strategies/adversarialcasestrategy.h"
#include "core/generate/strategies/datasetstrategy.h"
#include "core/generate/strategies/expandstrategy.h"
#include "core/generate/strategies/interactionsstrategy.h"
#include "core/generate/strategies/matrixstrategy.h"
#include "core/generate/strategies/seedsstrategy.h"
#include "core/generate/strategies/variationsstrategy.h"

namespace crucible {

using nlohmann::json;

StructuredCallSpec GenerationContext::callSpec(const RenderedPrompt &prompt, const char *schemaName,
                                               const JobUnit &unit) const
{
    StructuredCallSpec out;
    out.call.providerId = spec.providerId;
    out.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    out.call.request.model = spec.model;
    out.call.request.temperature = spec.temperature;
    out.call.request.maxTokens = spec.maxTokens;
    out.call.request.sampleIndex = jobsupport::sampleIndexFor(jobId, unit.unit);
    out.call.jobId = jobId;
    out.call.templateId = prompt.id;
    out.call.templateVersion = prompt.version;
    out.call.cancel = cancel;
    out.call.budget = budget;
    out.schema = jobsupport::schema(schemaName);
    out.schemaName = QString::fromLatin1(schemaName);
    return out;
}

json GenerationContext::provenance(const JobUnit &unit, const GenerationUnitKey &key,
                                   const QString &templateId, int version,
                                   const QStringList &callIds, std::optional<double> cost) const
{
    json parameters = {{"kind", toString(spec.kind).toStdString()},
                       {"group", key.groupName().toStdString()}};
    if (spec.usesLlm()) {
        parameters["provider"] = spec.providerId.toStdString();
        parameters["model"] = spec.model.toStdString();
        parameters["temperature"] = spec.temperature;
        parameters["sample_index"] = jobsupport::sampleIndexFor(jobId, unit.unit);
    }
    json meta = {{"generator", toString(spec.kind).toStdString()},
                 {"job_id", jobId.toStdString()},
                 {"unit", unit.unit},
                 {"parameters", parameters},
                 {"call_ids", callIds}};
    if (!templateId.isEmpty())
        meta["template"] = {{"id", templateId.toStdString()}, {"version", version}};
    if (cost)
        meta["cost_usd"] = *cost;
    else if (spec.usesLlm())
        meta["cost_usd"] = nullptr;
    return meta;
}

void GenerationUnitOutput::add(const StructuredOutcome &o)
{
    callIds << o.callIds;
    tokensIn += o.tokensIn;
    tokensOut += o.tokensOut;
    if (!o.costUsd)
        cost.reset();
    else if (cost)
        *cost += *o.costUsd;
    if (o.cacheHit)
        ++cacheHits;
}

GenerationStrategy::GenerationStrategy(const GenerationContext &context)
    : m_context(context)
{
}

GenerationStrategy::~GenerationStrategy() = default;

std::unique_ptr<GenerationStrategy> GenerationStrategy::make(const GenerationContext &context)
{
    switch (context.spec.kind) {
    case GenerationKind::Seeds:
        return std::make_unique<SeedsStrategy>(context);
    case GenerationKind::Variations:
        return std::make_unique<VariationsStrategy>(context);
    case GenerationKind::Dataset:
        return std::make_unique<DatasetStrategy>(context);
    case GenerationKind::Matrix:
        return std::make_unique<MatrixStrategy>(context);
    case GenerationKind::Adversarial:
        return std::make_unique<AdversarialCaseStrategy>(context);
    case GenerationKind::Expand:
        return std::make_unique<ExpandStrategy>(context);
    case GenerationKind::Interactions:
        return std::make_unique<InteractionsStrategy>(context);
    }
    return std::make_unique<SeedsStrategy>(context);
}

void GenerationStrategy::describeDataset(Dataset &, std::map<QString, std::vector<QString>> &) const
{
}

} // namespace crucible
