#include "ui/agents/traitradarchart.h"

#include "core/agents/traitcatalogue.h"

#include <QCategoryAxis>
#include <QLineSeries>
#include <QPolarChart>
#include <QValueAxis>

namespace crucible {

TraitRadarChart::TraitRadarChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QPolarChart)
    , m_current(new QLineSeries)
    , m_ghost(new QLineSeries)
    , m_angular(new QCategoryAxis)
    , m_radial(new QValueAxis)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(220, 200);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setBackgroundRoundness(0);

    QPen ghostPen(QColor(120, 120, 120));
    ghostPen.setStyle(Qt::DashLine);
    ghostPen.setWidthF(1.5);
    m_ghost->setPen(ghostPen);
    m_ghost->setName(tr("before"));
    QPen currentPen(QColor(0x2a, 0x7a, 0xd5));
    currentPen.setWidthF(2.5);
    m_current->setPen(currentPen);
    m_current->setName(tr("now"));
    m_current->setPointsVisible(true);
    m_chart->addSeries(m_ghost);
    m_chart->addSeries(m_current);

    m_angular->setRange(0, 360);
    m_angular->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_radial->setRange(0, 100);
    m_radial->setTickCount(5);
    m_radial->setLabelFormat(QStringLiteral("%d"));
    QFont small = m_radial->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    m_radial->setLabelsFont(small);
    m_chart->addAxis(m_angular, QPolarChart::PolarOrientationAngular);
    m_chart->addAxis(m_radial, QPolarChart::PolarOrientationRadial);
    for (QLineSeries *s : {m_ghost, m_current}) {
        s->attachAxis(m_angular);
        s->attachAxis(m_radial);
    }
    setChart(m_chart);
}

void TraitRadarChart::fill(QLineSeries *series, const Agent &agent)
{
    QList<QPointF> points;
    const int n = static_cast<int>(m_spokes.size());
    for (int i = 0; i < n; ++i) {
        const auto it = agent.traits.find(m_spokes[i]);
        points << QPointF(360.0 * i / n, it == agent.traits.end() ? 0 : it->second);
    }
    if (!points.isEmpty())
        points << QPointF(360.0, points.front().y()); // close the polygon
    series->replace(points);
}

void TraitRadarChart::setTraits(const Agent &current, const Agent *baseline,
                                const QString &baselineLabel)
{
    QStringList spokes;
    for (const TraitWording &w : TraitCatalogue::builtIn().wordings(current))
        spokes << w.trait;
    if (spokes != m_spokes) {
        m_spokes = spokes;
        for (const QString &label : m_angular->categoriesLabels())
            m_angular->remove(label);
        const int n = static_cast<int>(spokes.size());
        for (int i = 0; i < n; ++i)
            m_angular->append(
                TraitCatalogue::builtIn().wording(spokes[i], 0, current.customTraits).label,
                360.0 * i / n);
    }
    fill(m_current, current);
    if (baseline) {
        fill(m_ghost, *baseline);
        m_ghost->setName(baselineLabel.isEmpty() ? tr("before") : baselineLabel);
        m_ghost->setVisible(true);
    } else {
        m_ghost->clear();
        m_ghost->setVisible(false);
    }
}

void TraitRadarChart::clear()
{
    m_current->clear();
    m_ghost->clear();
}

} // namespace crucible
