#include "ui/models/matrixdimensionmodel.h"

#include <QBrush>
#include <QColor>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace crucible {

namespace {

QStringList splitList(const QString &text)
{
    QStringList items = text.split(QLatin1Char(','));
    for (QString &item : items)
        item = item.trimmed();
    if (items.size() == 1 && items.first().isEmpty())
        items.clear();
    return items;
}

// The names a value answers to: itself and its aliases ("Win | Windows").
QStringList namesOf(const QString &value)
{
    QStringList names = value.split(QLatin1Char('|'));
    for (QString &name : names)
        name = name.trimmed();
    return names;
}

bool isWeight(const QString &text)
{
    bool ok = false;
    const int weight = text.toInt(&ok);
    return ok && weight >= 1;
}

const QRegularExpression &weightSuffix()
{
    static const QRegularExpression re(QStringLiteral("^(.*?)\\s*\\(\\s*(-?\\d+)\\s*\\)$"));
    return re;
}

QString nameIssue(const QString &name)
{
    static const QRegularExpression keyword(QStringLiteral("^(if|not)([\\s\\[(]|$)"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (name.trimmed().isEmpty())
        return MatrixDimensionModel::tr("The name is empty.");
    if (name != name.trimmed())
        return MatrixDimensionModel::tr("The name starts or ends with a space.");
    for (QChar c : {QLatin1Char('['), QLatin1Char(']'), QLatin1Char(':'), QLatin1Char('\n')}) {
        if (name.contains(c))
            return MatrixDimensionModel::tr("The name must not contain '%1'.").arg(c);
    }
    if (name.startsWith(QLatin1Char('#')) || name.startsWith(QLatin1Char('{')) ||
        name.startsWith(QLatin1Char('(')) || keyword.match(name).hasMatch())
        return MatrixDimensionModel::tr("PICT would not read '%1' as a parameter name.").arg(name);
    return {};
}

QString valueIssue(const QString &value)
{
    for (const QString &name : namesOf(value)) {
        if (name.isEmpty())
            return MatrixDimensionModel::tr("A value (or alias) is empty.");
        if (name.size() > 2 && name.startsWith(QLatin1Char('<')) && name.endsWith(QLatin1Char('>')))
            return MatrixDimensionModel::tr("'%1' looks like a parameter reference.").arg(name);
        if (weightSuffix().match(name).hasMatch())
            return MatrixDimensionModel::tr("'%1' looks like a weight.").arg(name);
    }
    return {};
}

} // namespace

MatrixDimensionModel::MatrixDimensionModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int MatrixDimensionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_dimensions.size());
}

int MatrixDimensionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MatrixDimensionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MatrixDimension &d = m_dimensions.at(index.row());
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (column) {
        case NameColumn:
            return d.name;
        case ValuesColumn:
            return valuesText(d);
        case WeightsColumn:
            return weightsText(d);
        case CountColumn:
            return static_cast<int>(d.values.size());
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole: {
        const QString problem = issue(index.row(), column);
        if (!problem.isEmpty())
            return problem;
        if (column == ValuesColumn || column == WeightsColumn) {
            QStringList parts;
            for (qsizetype v = 0; v < d.values.size(); ++v) {
                parts << QStringLiteral("%1 (%2)").arg(
                    d.values[v], v < d.weights.size() ? d.weights[v] : QStringLiteral("1"));
            }
            return tr("Values with their weights: %1").arg(parts.join(QStringLiteral(", ")));
        }
        break;
    }
    case Qt::ForegroundRole:
        if (!issue(index.row(), column).isEmpty())
            return QBrush(QColor(0xc6, 0x28, 0x28));
        break;
    case Qt::TextAlignmentRole:
        if (column == CountColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case IssueRole:
        return issue(index.row(), column);
    default:
        break;
    }
    return {};
}

QVariant MatrixDimensionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Dimension");
        case ValuesColumn:
            return tr("Values (comma-separated)");
        case WeightsColumn:
            return tr("Weights");
        case CountColumn:
            return tr("Count");
        default:
            break;
        }
    }
    if (role == Qt::ToolTipRole && section == WeightsColumn)
        return tr("Optional: one positive integer per value (\"1, 2, 1\"); empty means all 1. "
                  "You can also write \"Value (3)\" in the values.");
    return {};
}

Qt::ItemFlags MatrixDimensionModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != CountColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool MatrixDimensionModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() == CountColumn)
        return false;
    const auto column = static_cast<Column>(index.column());
    const QString text = value.toString();
    if (edited(m_dimensions.at(index.row()), column, text) == m_dimensions.at(index.row()))
        return true;
    if (m_editHandler)
        m_editHandler(index.row(), column, text);
    else
        setDimension(index.row(), edited(m_dimensions.at(index.row()), column, text));
    return true;
}

void MatrixDimensionModel::setDimensions(const QList<MatrixDimension> &dimensions)
{
    beginResetModel();
    m_dimensions = dimensions;
    endResetModel();
}

void MatrixDimensionModel::setDimension(int row, const MatrixDimension &dimension)
{
    m_dimensions[row] = dimension;
    emitRowChanged(row);
}

void MatrixDimensionModel::insertDimension(int row, const MatrixDimension &dimension)
{
    beginInsertRows({}, row, row);
    m_dimensions.insert(row, dimension);
    endInsertRows();
    emitRowChanged(row);
}

void MatrixDimensionModel::removeDimension(int row)
{
    beginRemoveRows({}, row, row);
    m_dimensions.removeAt(row);
    endRemoveRows();
    if (!m_dimensions.isEmpty())
        emitRowChanged(0);
}

void MatrixDimensionModel::moveDimension(int from, int to)
{
    if (from == to)
        return;
    // beginMoveRows wants the row *before which* the moved row lands, in the old numbering.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    m_dimensions.move(from, to);
    endMoveRows();
}

void MatrixDimensionModel::emitRowChanged(int row)
{
    Q_UNUSED(row)
    // A name or value can make another row valid or invalid (duplicates), so refresh them all.
    if (!m_dimensions.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

MatrixDimension MatrixDimensionModel::edited(const MatrixDimension &dimension, Column column,
                                             const QString &text)
{
    MatrixDimension d = dimension;
    switch (column) {
    case NameColumn:
        d.name = text.trimmed();
        break;
    case WeightsColumn: {
        d.weights = splitList(text);
        if (std::all_of(d.weights.begin(), d.weights.end(),
                        [](const QString &w) { return w == QStringLiteral("1"); }))
            d.weights.clear();
        break;
    }
    case ValuesColumn: {
        // Keep each value's weight by name; "Value (3)" sets it.
        QStringList values;
        QStringList weights;
        for (const QString &item : splitList(text)) {
            const QRegularExpressionMatch m = weightSuffix().match(item);
            QString value = m.hasMatch() ? m.captured(1).trimmed() : item;
            QString weight = QStringLiteral("1");
            if (m.hasMatch()) {
                weight = m.captured(2);
            } else if (const qsizetype old = dimension.values.indexOf(value);
                       old >= 0 && old < dimension.weights.size()) {
                weight = dimension.weights[old];
            }
            values << value;
            weights << weight;
        }
        d.values = values;
        d.weights = weights;
        if (std::all_of(d.weights.begin(), d.weights.end(),
                        [](const QString &w) { return w == QStringLiteral("1"); }))
            d.weights.clear();
        break;
    }
    case CountColumn:
    case ColumnCount:
        break;
    }
    return d;
}

QString MatrixDimensionModel::valuesText(const MatrixDimension &dimension)
{
    return dimension.values.join(QStringLiteral(", "));
}

QString MatrixDimensionModel::weightsText(const MatrixDimension &dimension)
{
    return dimension.weights.join(QStringLiteral(", "));
}

QString MatrixDimensionModel::issue(int row, Column column) const
{
    const MatrixDimension &d = m_dimensions.at(row);
    switch (column) {
    case NameColumn: {
        if (QString problem = nameIssue(d.name); !problem.isEmpty())
            return problem;
        for (int other = 0; other < row; ++other) {
            if (m_dimensions[other].name.compare(d.name, Qt::CaseInsensitive) == 0)
                return tr("Another dimension (row %1) is already called '%2'.")
                    .arg(other + 1)
                    .arg(m_dimensions[other].name);
        }
        return {};
    }
    case ValuesColumn:
    case CountColumn: {
        if (d.values.isEmpty())
            return tr("The dimension has no values.");
        QSet<QString> seen;
        for (const QString &value : d.values) {
            if (QString problem = valueIssue(value); !problem.isEmpty())
                return problem;
            for (const QString &name : namesOf(value)) {
                if (seen.contains(name.toCaseFolded()))
                    return tr("Duplicate value '%1'.").arg(name);
                seen.insert(name.toCaseFolded());
            }
        }
        return {};
    }
    case WeightsColumn:
        if (d.weights.isEmpty())
            return {};
        if (d.weights.size() != d.values.size())
            return tr("%1 weights for %2 values: give one per value, or none.")
                .arg(d.weights.size())
                .arg(d.values.size());
        for (const QString &w : d.weights) {
            if (!isWeight(w))
                return tr("Weight '%1' is not a positive integer.").arg(w);
        }
        return {};
    case ColumnCount:
        break;
    }
    return {};
}

QString MatrixDimensionModel::firstIssue() const
{
    if (m_dimensions.isEmpty())
        return tr("Add a dimension to start.");
    for (int row = 0; row < rowCount(); ++row) {
        for (Column column : {NameColumn, ValuesColumn, WeightsColumn}) {
            if (QString problem = issue(row, column); !problem.isEmpty()) {
                const QString name = m_dimensions[row].name.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (%1)").arg(m_dimensions[row].name);
                return tr("Dimension %1%2: %3").arg(row + 1).arg(name, problem);
            }
        }
    }
    return {};
}

QString MatrixDimensionModel::uniqueName(const QString &base) const
{
    auto taken = [this](const QString &name) {
        return std::any_of(m_dimensions.begin(), m_dimensions.end(), [&](const MatrixDimension &d) {
            return d.name.compare(name, Qt::CaseInsensitive) == 0;
        });
    };
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1 %2").arg(base).arg(n);
        if (!taken(candidate))
            return candidate;
    }
}

} // namespace crucible
