#pragma once
// The first records of a file to import, one column per source column; each header names the
// problem field the column goes to ("prompt → statement", or "→ metadata" when it is kept
// under metadata.source_fields). GUI thread only.

#include "core/store/problemimporter.h"

#include <QAbstractTableModel>

namespace crucible {

class ImportPreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { ColumnNameRole = Qt::UserRole, FieldRole };

    explicit ImportPreviewModel(QObject *parent = nullptr);

    void setPreview(const ImportPreview &preview); // resets; the mapping is the preview's
    void setMapping(const ImportMapping &mapping); // header changes only
    const ImportPreview &preview() const { return m_preview; }
    const ImportMapping &mapping() const { return m_mapping; }

    // "statement", "success criteria", ...; "metadata (kept as is)" for unmapped columns.
    static QString fieldLabel(std::optional<ImportField> field);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    ImportPreview m_preview;
    ImportMapping m_mapping;
};

} // namespace crucible
