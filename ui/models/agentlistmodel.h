#pragma once
// The agents and templates of a workspace as a tree: one group per role (generator, critic,
// refiner, evaluator, then user-defined roles), the agents of the role below it. Filled from
// AgentRepository::list(); GUI thread only.

#include "core/store/agentrepository.h"

#include <QAbstractItemModel>

namespace crucible {

class AgentListModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole, IsTemplateRole, RoleNameRole, HeadVersionRole };

    explicit AgentListModel(QObject *parent = nullptr);

    void setAgents(std::vector<AgentRecord> agents);            // resets the model
    const AgentRecord *agentAt(const QModelIndex &index) const; // null for a role group
    QModelIndex indexOf(const QString &agentId) const;          // invalid when absent
    int agentCount() const { return static_cast<int>(m_agents.size()); }

    // "Generator", "Critic", "Mediator" …
    static QString roleTitle(const QString &role);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Group
    {
        QString role;
        std::vector<int> members; // indexes into m_agents
    };
    static constexpr quintptr kGroupId = ~quintptr(0);

    std::vector<AgentRecord> m_agents;
    std::vector<Group> m_groups;
};

} // namespace crucible
