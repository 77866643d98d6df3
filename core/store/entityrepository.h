#pragma once
// Generic JSON-document storage for the thinner entities (interactions,
// feedback, training runs; LLM calls have LlmCallRepository): id, a few indexed columns, and the
// full JSON document. Lives on the Workspace's thread.

#include "core/model/feedbackitem.h"
#include "core/model/interaction.h"
#include "core/model/trainingrun.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

template <typename T> struct EntityTable;
// Agents and solutions have their own tables since schema 7 (AgentRepository,
// SolutionRepository); their version 2 documents stay in legacy_agents / legacy_solutions.
template <> struct EntityTable<Interaction>
{
    static constexpr const char *name = "interactions";
};
template <> struct EntityTable<FeedbackItem>
{
    static constexpr const char *name = "feedback_items";
};
template <> struct EntityTable<TrainingRun>
{
    static constexpr const char *name = "training_runs";
};

class EntityStore final
{
public:
    explicit EntityStore(Workspace &ws);

    // Insert or replace by id (validated first).
    template <typename T> void put(const T &entity)
    {
        throwIfInvalid(entity.validate());
        putJson(QString::fromUtf8(EntityTable<T>::name), entity.id, parentOf(entity),
                entity.toJson());
    }
    template <typename T> std::optional<T> get(const QString &id) const
    {
        const auto j = getJson(QString::fromUtf8(EntityTable<T>::name), id);
        if (!j)
            return std::nullopt;
        return T::fromJson(*j);
    }
    // In insertion order; parent filters on the entity's owner (problem id, run id, ...).
    template <typename T>
    std::vector<T> list(const QString &parent = {}, int limit = -1, int offset = 0) const
    {
        std::vector<T> out;
        for (const auto &j :
             listJson(QString::fromUtf8(EntityTable<T>::name), parent, limit, offset))
            out.push_back(T::fromJson(j));
        return out;
    }
    template <typename T> qint64 count(const QString &parent = {}) const
    {
        return countRows(QString::fromUtf8(EntityTable<T>::name), parent);
    }

private:
    static QString parentOf(const Interaction &i) { return i.problemId; }
    static QString parentOf(const FeedbackItem &f) { return f.subjectId; }
    static QString parentOf(const TrainingRun &r) { return r.datasetId; }

    void putJson(const QString &table, const QString &id, const QString &parent,
                 const nlohmann::json &doc);
    std::optional<nlohmann::json> getJson(const QString &table, const QString &id) const;
    std::vector<nlohmann::json> listJson(const QString &table, const QString &parent, int limit,
                                         int offset) const;
    qint64 countRows(const QString &table, const QString &parent) const;

    Workspace &m_ws;
};

} // namespace crucible
