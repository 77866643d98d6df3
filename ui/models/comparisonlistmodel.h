#pragma once
// The comparisons behind a win-matrix cell (or all of a tournament): problem, the two entrants,
// the judge's verdict with A shown first and with B shown first, and the combined winner (a tie
// when the orders disagree). GUI thread only.

#include "core/store/tournamentrepository.h"

#include <QAbstractTableModel>

#include <map>

namespace crucible {

class ComparisonListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        ProblemColumn,
        EntrantAColumn,
        EntrantBColumn,
        AFirstColumn,
        BFirstColumn,
        WinnerColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole };

    explicit ComparisonListModel(QObject *parent = nullptr);

    void setComparisons(std::vector<ComparisonRecord> comparisons, std::map<QString, QString> names,
                        std::map<QString, QString> problems);
    const ComparisonRecord *comparisonAt(int row) const;
    QString nameOf(const QString &entrant) const;
    QString problemText(const QString &problemId) const;
    // "Alice", "Bob", "tie", "failed" for a verdict of comparison `c`.
    QString verdictText(const ComparisonRecord &c, const QString &verdict) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<ComparisonRecord> m_rows;
    std::map<QString, QString> m_names;
    std::map<QString, QString> m_problems;
};

} // namespace crucible
