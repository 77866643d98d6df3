#include "ui/matrix/matrixdocument.h"

#include "ui/matrix/matrixanalyzer.h"

#include <algorithm>

namespace crucible {

MatrixDocument::MatrixDocument(QObject *parent)
    : QObject(parent)
    , m_dimensions(new MatrixDimensionModel(this))
{
    connect(m_dimensions, &QAbstractItemModel::dataChanged, this, &MatrixDocument::changed);
    connect(m_dimensions, &QAbstractItemModel::modelReset, this, &MatrixDocument::changed);
    connect(m_dimensions, &QAbstractItemModel::rowsInserted, this, &MatrixDocument::changed);
    connect(m_dimensions, &QAbstractItemModel::rowsRemoved, this, &MatrixDocument::changed);
    connect(m_dimensions, &QAbstractItemModel::rowsMoved, this, &MatrixDocument::changed);
}

int MatrixDocument::effectiveStrength() const
{
    return std::clamp(m_strength, 1, std::max(1, m_dimensions->rowCount()));
}

QString MatrixDocument::pictText() const
{
    return MatrixAnalyzer::pictText(m_dimensions->dimensions(), m_constraints);
}

MatrixState MatrixDocument::state() const
{
    return {m_dimensions->dimensions(), m_constraints, m_strength, m_seed};
}

void MatrixDocument::setState(const MatrixState &state)
{
    QSignalBlocker blocker(this); // one `changed` at the end, not one per part
    m_dimensions->setDimensions(state.dimensions);
    setConstraints(state.constraints, 0);
    setStrength(state.strength);
    setSeed(state.seed);
    blocker.unblock();
    emit constraintsChanged(m_constraints, 0);
    emit strengthChanged(m_strength);
    emit seedChanged(m_seed);
    emit changed();
}

void MatrixDocument::setConstraints(const QString &text, int cursor)
{
    if (text == m_constraints)
        return;
    m_constraints = text;
    emit constraintsChanged(text, cursor);
    emit changed();
}

void MatrixDocument::setStrength(int strength)
{
    if (strength == m_strength)
        return;
    m_strength = strength;
    emit strengthChanged(strength);
    emit changed();
}

void MatrixDocument::setSeed(quint64 seed)
{
    if (seed == m_seed)
        return;
    m_seed = seed;
    emit seedChanged(seed);
    emit changed();
}

} // namespace crucible
