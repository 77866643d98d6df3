#include "ui/models/providerlistmodel.h"

#include "core/llm/providers/providerpresets.h"

#include <QFont>
#include <QPalette>

namespace crucible {

ProviderListModel::ProviderListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int ProviderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_providers.size());
}

QString ProviderListModel::labelFor(const ProviderConfig &config)
{
    const QString name =
        config.displayName.trimmed().isEmpty() ? config.id : config.displayName.trimmed();
    if (config.type == ProviderType::Simulated &&
        !name.contains(QStringLiteral("simulated"), Qt::CaseInsensitive))
        return name + QStringLiteral(" (simulated)");
    return name;
}

QVariant ProviderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProviderConfig &c = config(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return labelFor(c);
    case Qt::ToolTipRole: {
        QString tip = ProviderPresets::info(c.preset).label + QStringLiteral(" · id ") + c.id;
        if (c.type == ProviderType::Simulated) {
            tip += QStringLiteral("\nSimulated (offline, no network)");
        } else {
            const NormalizedUrl url = resolveUrl(c, Endpoint::Chat);
            tip +=
                u'\n' + (url.ok() ? url.url.toString() : QStringLiteral("Base URL ") + url.error);
        }
        if (!c.enabled)
            tip += QStringLiteral("\nDisabled: jobs will not use this provider");
        return tip;
    }
    case Qt::CheckStateRole:
        return c.enabled ? Qt::Checked : Qt::Unchecked;
    case Qt::FontRole:
        if (!c.enabled) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (!c.enabled)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case IdRole:
        return c.id;
    case TypeRole:
        return providerTypeKey(c.type);
    case PresetRole:
        return ProviderPresets::key(c.preset);
    case EnabledRole:
        return c.enabled;
    case SimulatedRole:
        return c.type == ProviderType::Simulated;
    default:
        return {};
    }
}

bool ProviderListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    if (role != Qt::CheckStateRole && role != EnabledRole)
        return false;
    const bool enabled = role == EnabledRole ? value.toBool()
                                             : value.value<Qt::CheckState>() == Qt::Checked ||
                                                   value.toInt() == static_cast<int>(Qt::Checked);
    ProviderConfig &c = m_providers[static_cast<size_t>(index.row())];
    if (c.enabled == enabled)
        return true;
    c.enabled = enabled;
    emit dataChanged(
        index, index,
        {Qt::CheckStateRole, Qt::FontRole, Qt::ForegroundRole, Qt::ToolTipRole, EnabledRole});
    emit enabledToggled(index.row(), enabled);
    return true;
}

Qt::ItemFlags ProviderListModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
           Qt::ItemNeverHasChildren;
}

void ProviderListModel::setProviders(std::vector<ProviderConfig> providers)
{
    beginResetModel();
    m_providers = std::move(providers);
    endResetModel();
}

int ProviderListModel::rowOf(const QString &id) const
{
    for (size_t i = 0; i < m_providers.size(); ++i) {
        if (m_providers[i].id == id)
            return static_cast<int>(i);
    }
    return -1;
}

QString ProviderListModel::uniqueId(const QString &base) const
{
    QString stem = base.isEmpty() ? QStringLiteral("provider") : base;
    if (!containsId(stem))
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = stem + u'-' + QString::number(n);
        if (!containsId(candidate))
            return candidate;
    }
}

void ProviderListModel::setConfig(int row, const ProviderConfig &config)
{
    Q_ASSERT(row >= 0 && row < rowCount());
    ProviderConfig &c = m_providers[static_cast<size_t>(row)];
    if (c == config)
        return;
    c = config;
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
}

int ProviderListModel::append(const ProviderConfig &config)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_providers.push_back(config);
    endInsertRows();
    return row;
}

void ProviderListModel::removeAt(int row)
{
    Q_ASSERT(row >= 0 && row < rowCount());
    beginRemoveRows({}, row, row);
    m_providers.erase(m_providers.begin() + row);
    endRemoveRows();
}

} // namespace crucible
