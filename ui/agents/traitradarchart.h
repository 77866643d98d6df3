#pragma once
// A radar (polar) chart of an agent's traits, 0..100 on each spoke, with a baseline (the saved
// or previous version) drawn as a dashed ghost. GUI thread only.

#include "core/model/agent.h"

#include <QChartView>

class QCategoryAxis;
class QLineSeries;
class QPolarChart;
class QValueAxis;

namespace crucible {

class TraitRadarChart final : public QChartView
{
    Q_OBJECT
public:
    explicit TraitRadarChart(QWidget *parent = nullptr);

    // `baseline` may be null (no ghost). Spokes follow the catalogue order.
    void setTraits(const Agent &current, const Agent *baseline, const QString &baselineLabel);
    void clear();

    QLineSeries *currentSeries() const { return m_current; }
    QLineSeries *ghostSeries() const { return m_ghost; }
    QStringList spokes() const { return m_spokes; }

private:
    void fill(QLineSeries *series, const Agent &agent);

    QPolarChart *m_chart;
    QLineSeries *m_current;
    QLineSeries *m_ghost;
    QCategoryAxis *m_angular;
    QValueAxis *m_radial;
    QStringList m_spokes;
};

} // namespace crucible
