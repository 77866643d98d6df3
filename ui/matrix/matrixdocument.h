#pragma once
// The problem matrix being edited: dimensions (as an item model), constraint text as written,
// strength and seed. Undo commands change it; widgets show it. GUI thread only.

#include "ui/models/matrixdimensionmodel.h"

#include <QObject>

namespace crucible {

struct MatrixState
{
    QList<MatrixDimension> dimensions;
    QString constraints;
    int strength = 2;
    quint64 seed = 1;

    bool operator==(const MatrixState &) const = default;
};

class MatrixDocument final : public QObject
{
    Q_OBJECT
public:
    explicit MatrixDocument(QObject *parent = nullptr);

    MatrixDimensionModel *dimensions() const { return m_dimensions; }
    const QString &constraints() const { return m_constraints; }
    int strength() const { return m_strength; }
    // The strength used: the chosen one, limited to 1..number of dimensions.
    int effectiveStrength() const;
    quint64 seed() const { return m_seed; }
    QString pictText() const;

    MatrixState state() const;
    void setState(const MatrixState &state);
    // `cursor` is where the caret belongs after the change (for undo/redo).
    void setConstraints(const QString &text, int cursor = -1);
    void setStrength(int strength);
    void setSeed(quint64 seed);

signals:
    void changed(); // anything that affects the PICT text or the analysis
    void constraintsChanged(const QString &text, int cursor);
    void strengthChanged(int strength);
    void seedChanged(quint64 seed);

private:
    MatrixDimensionModel *m_dimensions;
    QString m_constraints;
    int m_strength = 2;
    quint64 m_seed = 1;
};

} // namespace crucible
