#include "ui/models/agentlistmodel.h"

#include <QFont>
#include <QPalette>
#include <QStringBuilder>

namespace crucible {

AgentListModel::AgentListModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

QString AgentListModel::roleTitle(const QString &role)
{
    QString t = role;
    t.replace(u'_', u' ').replace(u'-', u' ');
    if (!t.isEmpty())
        t[0] = t[0].toUpper();
    return t;
}

void AgentListModel::setAgents(std::vector<AgentRecord> agents)
{
    beginResetModel();
    m_agents = std::move(agents);
    m_groups.clear();
    for (int i = 0; i < static_cast<int>(m_agents.size()); ++i) {
        const QString &role = m_agents[static_cast<size_t>(i)].role;
        if (m_groups.empty() || m_groups.back().role != role)
            m_groups.push_back({role, {}});
        m_groups.back().members.push_back(i);
    }
    endResetModel();
}

const AgentRecord *AgentListModel::agentAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kGroupId)
        return nullptr;
    const auto g = static_cast<size_t>(index.internalId());
    if (g >= m_groups.size() || index.row() >= static_cast<int>(m_groups[g].members.size()))
        return nullptr;
    return &m_agents[static_cast<size_t>(m_groups[g].members[static_cast<size_t>(index.row())])];
}

QModelIndex AgentListModel::indexOf(const QString &agentId) const
{
    for (size_t g = 0; g < m_groups.size(); ++g)
        for (size_t r = 0; r < m_groups[g].members.size(); ++r)
            if (m_agents[static_cast<size_t>(m_groups[g].members[r])].id == agentId)
                return createIndex(static_cast<int>(r), 0, static_cast<quintptr>(g));
    return {};
}

QModelIndex AgentListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_groups.size()) ? createIndex(row, 0, kGroupId)
                                                       : QModelIndex();
    if (parent.internalId() != kGroupId || parent.row() >= static_cast<int>(m_groups.size()))
        return {};
    const auto &members = m_groups[static_cast<size_t>(parent.row())].members;
    if (row >= static_cast<int>(members.size()))
        return {};
    return createIndex(row, 0, static_cast<quintptr>(parent.row()));
}

QModelIndex AgentListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(static_cast<int>(child.internalId()), 0, kGroupId);
}

int AgentListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.column() != 0 || parent.internalId() != kGroupId ||
        parent.row() >= static_cast<int>(m_groups.size()))
        return 0;
    return static_cast<int>(m_groups[static_cast<size_t>(parent.row())].members.size());
}

int AgentListModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant AgentListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kGroupId) {
        const Group &g = m_groups[static_cast<size_t>(index.row())];
        switch (role) {
        case Qt::DisplayRole:
            return QString(roleTitle(g.role) % QStringLiteral(" (") %
                           QString::number(g.members.size()) % u')');
        case Qt::FontRole: {
            QFont f;
            f.setBold(true);
            return f;
        }
        case RoleNameRole:
            return g.role;
        default:
            return {};
        }
    }
    const AgentRecord *a = agentAt(index);
    if (!a)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return a->isTemplate
                   ? QString(a->name % QStringLiteral("  · template"))
                   : QString(a->name % QStringLiteral("  · v") % QString::number(a->headVersion));
    case Qt::ToolTipRole:
        return a->clonedFrom.isEmpty()
                   ? a->id
                   : QString(a->id % QStringLiteral("\ncloned from ") % a->clonedFrom);
    case Qt::ForegroundRole:
        if (a->isTemplate)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case IdRole:
        return a->id;
    case IsTemplateRole:
        return a->isTemplate;
    case RoleNameRole:
        return a->role;
    case HeadVersionRole:
        return a->headVersion;
    default:
        return {};
    }
}

Qt::ItemFlags AgentListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kGroupId)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace crucible
