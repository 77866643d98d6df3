#pragma once
// The providers being edited in the settings dialog: a working copy of ProviderRegistry's list
// (never keys), one row per provider, checkable to enable/disable. GUI thread only.

#include "core/llm/providers/providerconfig.h"

#include <QAbstractListModel>

#include <vector>

namespace crucible {

class ProviderListModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole, TypeRole, PresetRole, EnabledRole, SimulatedRole };

    explicit ProviderListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    void setProviders(std::vector<ProviderConfig> providers); // resets the model
    const std::vector<ProviderConfig> &providers() const { return m_providers; }
    const ProviderConfig &config(int row) const { return m_providers.at(static_cast<size_t>(row)); }
    int rowOf(const QString &id) const; // -1 when absent
    bool containsId(const QString &id) const { return rowOf(id) >= 0; }
    // `base` if no row uses it, else base-2, base-3, …
    QString uniqueId(const QString &base) const;

    // Replaces the row's config; emits dataChanged only when something shown changed.
    void setConfig(int row, const ProviderConfig &config);
    int append(const ProviderConfig &config); // returns the new row
    void removeAt(int row);

    // The list's label for a provider: its name, marked when simulated.
    static QString labelFor(const ProviderConfig &config);

signals:
    // A row's checkbox was toggled (not emitted by setConfig).
    void enabledToggled(int row, bool enabled);

private:
    std::vector<ProviderConfig> m_providers;
};

} // namespace crucible
