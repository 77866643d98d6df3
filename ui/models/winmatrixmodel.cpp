#include "ui/models/winmatrixmodel.h"

#include <QColor>

#include <algorithm>

namespace crucible {

WinMatrixModel::WinMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void WinMatrixModel::setData(QStringList entrants, const std::vector<ComparisonRecord> &comparisons,
                             std::map<QString, QString> names)
{
    beginResetModel();
    m_entrants = std::move(entrants);
    m_names = std::move(names);
    const auto n = static_cast<size_t>(m_entrants.size());
    m_cells.assign(n * n, Cell{});
    for (const ComparisonRecord &c : comparisons) {
        const auto a = m_entrants.indexOf(c.entrantA);
        const auto b = m_entrants.indexOf(c.entrantB);
        if (a < 0 || b < 0 || a == b)
            continue;
        Cell &ab = m_cells[static_cast<size_t>(a) * n + static_cast<size_t>(b)];
        Cell &ba = m_cells[static_cast<size_t>(b) * n + static_cast<size_t>(a)];
        if (c.winner == u"a") {
            ++ab.wins;
            ++ba.losses;
        } else if (c.winner == u"b") {
            ++ab.losses;
            ++ba.wins;
        } else if (c.winner == u"tie") {
            ++ab.ties;
            ++ba.ties;
        } else {
            ++ab.failed;
            ++ba.failed;
        }
    }
    endResetModel();
}

WinMatrixModel::Cell WinMatrixModel::cell(int row, int column) const
{
    const auto n = static_cast<int>(m_entrants.size());
    if (row < 0 || column < 0 || row >= n || column >= n)
        return {};
    return m_cells[static_cast<size_t>(row) * static_cast<size_t>(n) + static_cast<size_t>(column)];
}

QColor WinMatrixModel::heat(double share)
{
    share = std::clamp(share, 0.0, 1.0);
    const QColor lose(214, 96, 77);
    const QColor even(247, 247, 247);
    const QColor win(77, 172, 106);
    const QColor &to = share < 0.5 ? lose : win;
    const double t = std::abs(share - 0.5) * 2;
    return QColor(static_cast<int>(even.red() + (to.red() - even.red()) * t),
                  static_cast<int>(even.green() + (to.green() - even.green()) * t),
                  static_cast<int>(even.blue() + (to.blue() - even.blue()) * t));
}

QString WinMatrixModel::nameOf(const QString &entrant) const
{
    const auto it = m_names.find(entrant);
    return it != m_names.end() && !it->second.isEmpty() ? it->second : entrant;
}

int WinMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entrants.size());
}

int WinMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entrants.size());
}

QVariant WinMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Cell c = cell(index.row(), index.column());
    const bool diagonal = index.row() == index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (diagonal)
            return QStringLiteral("—");
        if (c.games() == 0)
            return c.failed > 0 ? tr("failed") : QString();
        return QStringLiteral("%1 %").arg(100.0 * c.share(), 0, 'f', 0);
    case Qt::BackgroundRole:
        if (diagonal || c.games() == 0)
            return {};
        return heat(c.share());
    case Qt::ForegroundRole:
        if (diagonal || c.games() == 0)
            return {};
        return QColor(Qt::black); // readable on the heat colours in dark themes too
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case Qt::ToolTipRole:
        if (diagonal)
            return {};
        return tr("%1 against %2: %3 won, %4 lost, %5 tied%6")
            .arg(nameOf(m_entrants[index.row()]), nameOf(m_entrants[index.column()]))
            .arg(c.wins)
            .arg(c.losses)
            .arg(c.ties)
            .arg(c.failed > 0 ? tr(", %1 failed (not counted)").arg(c.failed) : QString());
    case RowEntrantRole:
        return m_entrants[index.row()];
    case ColumnEntrantRole:
        return m_entrants[index.column()];
    case ShareRole:
        return c.share();
    case GamesRole:
        return c.games();
    default:
        return {};
    }
}

QVariant WinMatrixModel::headerData(int section, Qt::Orientation, int role) const
{
    if (section < 0 || section >= static_cast<int>(m_entrants.size()))
        return {};
    // Entrants are in ranking order: rows and columns carry the rank of the ranking table beside
    // the matrix (names do not fit across); the tooltip names the entrant.
    if (role == Qt::DisplayRole)
        return QStringLiteral("#%1").arg(section + 1);
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1 (%2)").arg(nameOf(m_entrants[section]), m_entrants[section]);
    return {};
}

} // namespace crucible
