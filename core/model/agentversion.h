#pragma once
// One immutable version of an agent (a row of agent_versions): its definition, the system prompt
// rendered from it and the template that rendered it. Solutions, judgments and ratings point at
// a version id. A value type.

#include "core/model/agent.h"

#include <QDateTime>

namespace crucible {

struct AgentVersion
{
    QString id;      // agv_…
    QString agentId; // agt_…
    int version = 1;
    // The previous version of the same agent; for version 1 of a clone, the version it was
    // cloned from; empty for version 1 of an original.
    QString parentVersionId;
    Agent definition;
    QString systemPrompt;
    QString promptTemplate; // "agent.system@<template version>"
    QString note;           // why this version was made ("created", "set creativity=35", …)
    QDateTime createdAt;
    // How self-training made this version (null for versions people made): an object with
    // "changed" (what differs from the parent), "why" (the optimiser's reason), "evidence"
    // (scores, problems, judge rationales) and "optimizer". Stored in the version's document
    // beside the definition, and as "learning" in toJson() only when set.
    nlohmann::json learning;

    const QString &role() const { return definition.role; }
    const QString &name() const { return definition.identity.name; }

    // {"id", "agent_id", "version", "parent_version_id", "definition", "system_prompt",
    //  "prompt_template", "note", "created_at"[, "learning"]}
    nlohmann::json toJson() const;
    static AgentVersion fromJson(const nlohmann::json &j); // throws ValidationError

    bool operator==(const AgentVersion &) const = default;
};

} // namespace crucible
