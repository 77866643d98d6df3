#pragma once
// The rating history chart of the Tournament view (Qt Charts): one line per entrant through every
// rating computation it took part in (Swiss rounds, ends of tournaments), oldest left, with the
// entrant's 95 % interval in the point tooltips. GUI thread only.

#include "ui/tournament/tournamentsnapshot.h"

#include <QtCharts/QChartView>

namespace crucible {

class RatingHistoryChart final : public QChartView
{
    Q_OBJECT
public:
    explicit RatingHistoryChart(QWidget *parent = nullptr);

    // Entrants in `order` (the ranking), their names from the snapshot.
    void setHistory(const TournamentSnapshot &snapshot, const QStringList &order);
    int seriesCount() const;
    // The x positions' labels ("R2" for round 2, "T2 R1" with several tournaments), oldest first.
    const QStringList &pointLabels() const { return m_labels; }

private:
    QStringList m_labels;
};

} // namespace crucible
