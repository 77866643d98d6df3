#pragma once
// An agent's versions, newest first: number, when, note and the trait changes from the version
// before. Filled from AgentRepository::versions(); GUI thread only.

#include "core/model/agentversion.h"

#include <QAbstractTableModel>

namespace crucible {

class AgentVersionModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { VersionColumn, CreatedColumn, NoteColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole, NumberRole };

    explicit AgentVersionModel(QObject *parent = nullptr);

    void setVersions(std::vector<AgentVersion> oldestFirst); // resets the model
    const AgentVersion *versionAt(int row) const;
    const AgentVersion *head() const; // null when empty
    // The version with this id, or null.
    const AgentVersion *find(const QString &id) const;
    // "creativity 70→35, rigor 60→90" between two definitions.
    static QString changes(const Agent &before, const Agent &after);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<AgentVersion> m_rows; // newest first
};

} // namespace crucible
