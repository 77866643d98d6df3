#pragma once
// Clone & specialize: the LLM suggests bounded trait adjustments (each within ±25, with a
// one-line reason) and knowledge domains for a specialization of an agent version; manual
// overrides win; values are clamped to 0..100. Two steps: suggest() writes nothing (the GUI shows
// the suggestions first), apply() writes the clone. suggest() runs on the LlmClient's thread.

#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/model/agentversion.h"

#include <QCoro/QCoroTask>

#include <optional>

namespace crucible {

class AgentRepository;

// A manual trait value: absolute ("rigor=80") or relative to the source ("rigor=+10").
struct TraitOverride
{
    int value = 0;
    bool relative = false;

    // "80", "+10", "-5"; nullopt when it is not a whole number.
    static std::optional<TraitOverride> parse(const QString &text);
};

struct TraitAdjustment
{
    QString trait;
    int suggested = 0; // the delta the model asked for
    int delta = 0;     // after bounding to ±kMaxDelta
    QString reason;
    bool bounded = false; // |suggested| > kMaxDelta
    bool accepted = true; // the user may turn a suggestion off before applying
};

struct SpecializationRequest
{
    QString specialization; // required: what the clone specialises in
    QString context;        // optional background for the model
    QString name;           // the clone's name; default "<source name> (<specialization>)"
    std::map<QString, TraitOverride> overrides;
    QString providerId;
    QString model;
    QString jobId; // the job whose spend the call counts in (a training run), if any
    double temperature = 0.2;
    int maxTokens = 1200;
};

struct SpecializationSuggestion
{
    AgentVersion source;
    SpecializationRequest request;
    std::vector<TraitAdjustment> adjustments; // known traits only, one per trait
    QStringList knowledgeDomains;             // suggested
    QString description;                      // suggested
    QStringList notes;   // what was bounded, ignored or overridden, one line each
    QStringList callIds; // ledger ids of the calls behind it
    std::optional<double> costUsd;
    QString error; // why there is no suggestion (what, where, what to do)

    bool ok() const { return error.isEmpty(); }
    // The clone's definition: the source with the accepted adjustments, then the overrides,
    // clamped to 0..100; the suggested domains merged after the source's.
    Agent proposed() const;
};

class CloneSpecializer final
{
public:
    static constexpr int kMaxDelta = 25;
    static inline const QString kTemplateId = QStringLiteral("agent.specialize");

    CloneSpecializer(LlmClient &client, const PromptTemplates &templates);

    // Never throws; errors (bad request, provider failure, an answer that stays invalid after
    // repair) are in the suggestion's error. Writes no agent.
    QCoro::Task<SpecializationSuggestion> suggest(AgentVersion source,
                                                  SpecializationRequest request);

    // Checks what suggest() needs before any call: a specialization, known override traits.
    static QString checkRequest(const AgentVersion &source, const SpecializationRequest &request);
    // Turns the model's JSON into bounded adjustments and notes (public for tests and replays).
    static void interpret(SpecializationSuggestion &s, const nlohmann::json &answer);
    // Writes the clone (cloned_from = the source version). Throws ValidationError.
    static AgentVersion apply(AgentRepository &repo, const SpecializationSuggestion &s);
    // The specialize schema with the trait names of `source` as the allowed values.
    static nlohmann::json schemaFor(const Agent &source);

private:
    LlmClient &m_client;
    const PromptTemplates &m_templates;
};

} // namespace crucible
