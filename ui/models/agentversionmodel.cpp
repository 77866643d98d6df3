#include "ui/models/agentversionmodel.h"

#include <QLocale>
#include <QStringBuilder>

namespace crucible {

AgentVersionModel::AgentVersionModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AgentVersionModel::setVersions(std::vector<AgentVersion> oldestFirst)
{
    beginResetModel();
    m_rows.assign(oldestFirst.rbegin(), oldestFirst.rend());
    endResetModel();
}

const AgentVersion *AgentVersionModel::versionAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<size_t>(row)]
                                                             : nullptr;
}

const AgentVersion *AgentVersionModel::head() const
{
    return m_rows.empty() ? nullptr : &m_rows.front();
}

const AgentVersion *AgentVersionModel::find(const QString &id) const
{
    for (const AgentVersion &v : m_rows)
        if (v.id == id)
            return &v;
    return nullptr;
}

QString AgentVersionModel::changes(const Agent &before, const Agent &after)
{
    QStringList parts;
    for (const auto &[trait, value] : after.traits) {
        const auto it = before.traits.find(trait);
        if (it == before.traits.end())
            parts << trait % QStringLiteral(" new ") % QString::number(value);
        else if (it->second != value)
            parts << trait % u' ' % QString::number(it->second) % QStringLiteral("→") %
                         QString::number(value);
    }
    if (before.identity != after.identity)
        parts << QStringLiteral("identity");
    if (before.communicationStyle != after.communicationStyle)
        parts << QStringLiteral("style");
    if (before.knowledgeDomains != after.knowledgeDomains)
        parts << QStringLiteral("domains");
    return parts.join(QStringLiteral(", "));
}

int AgentVersionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AgentVersionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AgentVersionModel::data(const QModelIndex &index, int role) const
{
    const AgentVersion *v = versionAt(index.row());
    if (!v || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == IdRole)
        return v->id;
    if (role == NumberRole)
        return v->version;
    if (role == Qt::ToolTipRole) {
        const AgentVersion *older = versionAt(index.row() + 1);
        const QString diff = older ? changes(older->definition, v->definition) : QString();
        return QString(v->id % u'\n' % v->promptTemplate %
                       (diff.isEmpty() ? QString() : QString(u'\n' % diff)));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case VersionColumn:
        return QString(QStringLiteral("v") % QString::number(v->version) %
                       (index.row() == 0 ? QStringLiteral(" (current)") : QString()));
    case CreatedColumn:
        return QLocale().toString(v->createdAt.toLocalTime(), QLocale::ShortFormat);
    case NoteColumn:
        return v->note;
    default:
        return {};
    }
}

QVariant AgentVersionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case CreatedColumn:
        return tr("Saved");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace crucible
