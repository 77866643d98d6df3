#pragma once
// GenerationStrategy: what differs between the generation kinds (seeds, variations, dataset,
// matrix, adversarial, expand, interactions), behind one interface: which units a job plans,
// how one unit runs (prompt, calls, turning answers into candidates) and what the job's dataset
// records. GenerationJob does the rest (checkpoints, workers, validation, dedup, budgets). A
// strategy lives on the engine thread with its job and reads the job's GenerationContext.

#include "core/generate/generationspec.h"
#include "core/generate/strategies/generationunitkey.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/dataset.h"
#include "core/model/interaction.h"
#include "core/model/problem.h"
#include "core/store/jobrepository.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <optional>
#include <vector>

namespace crucible {

// Everything about the running job a strategy may read. Owned by the GenerationJob; valid for
// the whole run.
struct GenerationContext
{
    QString jobId;
    GenerationSpec spec;
    nlohmann::json params;       // the job's stored parameters (a matrix's plan under "matrix")
    std::optional<Problem> base; // the base problem, when the kind has one
    LlmClient *client = nullptr;
    const PromptTemplates *templates = nullptr;
    CancelToken cancel;
    std::shared_ptr<LlmBudget> budget; // the job's USD ceiling, if any

    // A structured call for `prompt` with the job's provider, model, temperature, answer limit,
    // budget, cancel token and the unit's sample index.
    StructuredCallSpec callSpec(const RenderedPrompt &prompt, const char *schemaName,
                                const JobUnit &unit) const;
    // The provenance every generated problem and interaction carries in its metadata.
    nlohmann::json provenance(const JobUnit &unit, const GenerationUnitKey &key,
                              const QString &templateId, int version, const QStringList &callIds,
                              std::optional<double> cost) const;
};

// A target the job fills: its units' key and how many accepted outputs it needs.
struct GenerationGroup
{
    GenerationUnitKey key;
    int target = 0;
    int accepted = 0;
    int inFlight = 0;
};

// A problem or an interaction ready to be checked and stored.
struct GenerationCandidate
{
    std::optional<Problem> problem;
    std::optional<Interaction> interaction;
};

// What one unit produced.
struct GenerationUnitOutput
{
    std::vector<GenerationCandidate> candidates;
    nlohmann::json rejects = nlohmann::json::array(); // invalid before becoming a candidate
    LlmError error;
    QStringList callIds;
    std::optional<double> cost = 0.0; // unset once any call was unpriced
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    int cacheHits = 0;

    void add(const StructuredOutcome &o);
};

class GenerationStrategy
{
public:
    explicit GenerationStrategy(const GenerationContext &context);
    virtual ~GenerationStrategy();
    GenerationStrategy(const GenerationStrategy &) = delete;
    GenerationStrategy &operator=(const GenerationStrategy &) = delete;

    // The strategy of a job's kind.
    static std::unique_ptr<GenerationStrategy> make(const GenerationContext &context);

    // The groups of units the job fills, with their targets (spec.effectiveCount() in all,
    // or one per matrix row).
    virtual std::vector<GenerationGroup> planUnits() const = 0;
    // Runs one unit; never throws (failures are in the output).
    virtual QCoro::Task<GenerationUnitOutput> runUnit(JobUnit unit, GenerationUnitKey key) = 0;

    // Whether accepted problems are checked against near-duplicates.
    virtual bool dedups() const { return context().spec.dedup; }
    // Whether the kind makes interactions rather than problems.
    virtual bool makesInteractions() const { return false; }
    // Completes the dataset a dataset or matrix job makes at its end (mix, plan, expected
    // values for the diversity measure).
    virtual void describeDataset(Dataset &dataset,
                                 std::map<QString, std::vector<QString>> &expectedValues) const;

protected:
    const GenerationContext &context() const { return m_context; }

private:
    const GenerationContext &m_context;
};

} // namespace crucible
