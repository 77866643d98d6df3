#pragma once
// The kinds of EngineJob the engine and the CLI can start and resume (solve, evaluate,
// tournament, ...): how to create a job of a kind from its parameters and how to make the object
// that runs it. A new kind is one line in enginejobkinds.cpp. Read-only after start-up.

#include "core/engine/enginejob.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <functional>
#include <memory>
#include <vector>

namespace crucible {

class Workspace;

struct EngineJobKind
{
    QString kind;  // jobs.kind
    QString label; // for people: "Solving", "Evaluation"
    // Checks the parameters against the workspace, writes the job and returns its id. Throws
    // ValidationError (nothing written).
    std::function<QString(Workspace &, const nlohmann::json &params)> create;
    // The object that runs (or resumes) a job of this kind.
    std::function<std::unique_ptr<EngineJob>(Workspace &, LlmClient &, const PromptTemplates &)>
        make;

    // For a job class with `static constexpr const char *kKind`, `static QString
    // create(Workspace &, nlohmann::json)` and the (Workspace &, LlmClient &, const
    // PromptTemplates &) constructor.
    template <typename Job> static EngineJobKind of(const QString &label)
    {
        EngineJobKind k;
        k.kind = QString::fromLatin1(Job::kKind);
        k.label = label;
        k.create = [](Workspace &ws, const nlohmann::json &params) {
            return Job::create(ws, params);
        };
        k.make = [](Workspace &ws, LlmClient &client, const PromptTemplates &templates) {
            return std::unique_ptr<EngineJob>(std::make_unique<Job>(ws, client, templates));
        };
        return k;
    }
};

namespace enginejobkinds {
const std::vector<EngineJobKind> &all();
const EngineJobKind *find(const QString &kind); // nullptr for generation kinds and unknowns
} // namespace enginejobkinds

} // namespace crucible
