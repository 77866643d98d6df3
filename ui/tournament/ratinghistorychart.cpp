#include "ui/tournament/ratinghistorychart.h"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace crucible {

namespace {

struct PointKey
{
    QDateTime at;
    QString tournamentId;
    QString label;
    // By time only: points saved within the same millisecond keep the order they were found in.
    bool operator<(const PointKey &o) const { return at < o.at; }
    bool operator==(const PointKey &o) const
    {
        return tournamentId == o.tournamentId && label == o.label;
    }
};

} // namespace

RatingHistoryChart::RatingHistoryChart(QWidget *parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignRight);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setMinimumHeight(160);
}

int RatingHistoryChart::seriesCount() const
{
    return static_cast<int>(chart()->series().size());
}

void RatingHistoryChart::setHistory(const TournamentSnapshot &snapshot, const QStringList &order)
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes())
        c->removeAxis(axis);
    m_labels.clear();

    // One x position per rating computation (a tournament's round or end), in time order.
    std::vector<PointKey> keys;
    for (const QString &entrant : order) {
        const auto it = snapshot.history.find(entrant);
        if (it == snapshot.history.end())
            continue;
        for (const RatingHistoryPoint &p : it->second) {
            const PointKey k{p.at, p.tournamentId, p.label};
            if (std::find(keys.begin(), keys.end(), k) == keys.end())
                keys.push_back(k);
        }
    }
    std::stable_sort(keys.begin(), keys.end());
    std::map<QString, int> tournamentNumber;
    for (const PointKey &k : keys)
        if (!tournamentNumber.count(k.tournamentId))
            tournamentNumber.emplace(k.tournamentId, static_cast<int>(tournamentNumber.size()) + 1);
    for (const PointKey &k : keys) {
        // Short labels fit under the axis: "R2" for round 2, "T2 R1" when several tournaments.
        QString label = k.label;
        if (label.startsWith(QLatin1String("round ")))
            label = QStringLiteral("R") + label.mid(6);
        if (tournamentNumber.size() > 1)
            label = QStringLiteral("T%1 %2").arg(tournamentNumber[k.tournamentId]).arg(label);
        m_labels << label;
    }

    double low = 1e9;
    double high = -1e9;
    for (const QString &entrant : order) {
        const auto it = snapshot.history.find(entrant);
        if (it == snapshot.history.end() || it->second.empty())
            continue;
        auto *series = new QLineSeries(c);
        series->setName(snapshot.nameOf(entrant));
        series->setPointsVisible(true);
        for (const RatingHistoryPoint &p : it->second) {
            const auto pos =
                std::find(keys.begin(), keys.end(), PointKey{p.at, p.tournamentId, p.label});
            series->append(static_cast<double>(pos - keys.begin()), p.rating);
            low = std::min(low, p.rating);
            high = std::max(high, p.rating);
        }
        c->addSeries(series);
    }
    if (c->series().isEmpty()) {
        c->setTitle(tr("No rating history yet: ratings are kept when a tournament ends (and after "
                       "every Swiss round)."));
        return;
    }
    c->setTitle(QString());
    auto *x = new QCategoryAxis(c);
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (int i = 0; i < m_labels.size(); ++i)
        x->append(m_labels[i], i);
    x->setRange(-0.3, std::max(1.0, m_labels.size() - 1 + 0.3));
    x->setTitleText(tr("rating computations, oldest first"));
    auto *y = new QValueAxis(c);
    const double pad = std::max(20.0, (high - low) * 0.1);
    y->setRange(std::floor((low - pad) / 10) * 10, std::ceil((high + pad) / 10) * 10);
    y->setLabelFormat(QStringLiteral("%.0f"));
    y->setTitleText(tr("rating"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : c->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

} // namespace crucible
