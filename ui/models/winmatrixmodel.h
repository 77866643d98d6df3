#pragma once
// The win matrix of a tournament: row entrant against column entrant, the share of points the
// row took (wins + ties/2 over decided comparisons) coloured as a heat map, the counts in the
// tooltip. Entrants in ranking order. Failed comparisons are counted apart, never as points.
// GUI thread only.

#include "core/store/tournamentrepository.h"

#include <QAbstractTableModel>

#include <map>

namespace crucible {

class WinMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { RowEntrantRole = Qt::UserRole, ColumnEntrantRole, ShareRole, GamesRole };

    struct Cell
    {
        int wins = 0;
        int losses = 0;
        int ties = 0;
        int failed = 0;
        int games() const { return wins + losses + ties; }
        double share() const { return games() > 0 ? (wins + ties / 2.0) / games() : -1; }
    };

    explicit WinMatrixModel(QObject *parent = nullptr);

    void setData(QStringList entrants, const std::vector<ComparisonRecord> &comparisons,
                 std::map<QString, QString> names);
    const QStringList &entrants() const { return m_entrants; }
    Cell cell(int row, int column) const;
    // Red (the row lost everything) through white (even) to green (won everything).
    static QColor heat(double share);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString nameOf(const QString &entrant) const;

    QStringList m_entrants;
    std::vector<Cell> m_cells; // row-major
    std::map<QString, QString> m_names;
};

} // namespace crucible
