#pragma once
// The ranking of a tournament (or of the pooled ratings): rank, entrant, Bradley–Terry rating
// with its bootstrap 95 % interval (the rating column draws it as a bar, see RatingBarDelegate),
// wins–losses–ties and win rates with and without length control. GUI thread only.

#include "core/store/tournamentrepository.h"

#include <QAbstractTableModel>

#include <map>

namespace crucible {

class RatingTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        RankColumn,
        EntrantColumn,
        RatingColumn,
        IntervalColumn,
        RecordColumn,
        WinRateColumn,
        LengthControlledColumn,
        ColumnCount
    };
    enum Role { EntrantRole = Qt::UserRole, RatingRole, CiLowRole, CiHighRole };

    explicit RatingTableModel(QObject *parent = nullptr);

    // Resets the model; rows keep the given order (best first).
    void setRatings(std::vector<RatingRecord> ratings, std::map<QString, QString> names);
    const RatingRecord *ratingAt(int row) const;
    int rowOf(const QString &entrant) const;
    // The range every bar is drawn against: lowest ci_low and highest ci_high, padded.
    double scaleMin() const { return m_min; }
    double scaleMax() const { return m_max; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString nameOf(const QString &entrant) const;

    std::vector<RatingRecord> m_rows;
    std::map<QString, QString> m_names;
    double m_min = 900;
    double m_max = 1100;
};

} // namespace crucible
