#pragma once
// The dimensions of the problem matrix being edited: one row per PICT parameter, with inline
// validation. Edits from views go through an optional edit handler (the panel routes them to
// its undo stack); the set*/insert/remove/move methods apply directly. GUI thread only.

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <functional>

namespace crucible {

// One dimension as the user wrote it. A value may carry PICT aliases ("Win | Windows").
// Weights are kept as typed (so a bad one can be shown); empty means all 1.
struct MatrixDimension
{
    QString name;
    QStringList values;
    QStringList weights;

    bool operator==(const MatrixDimension &) const = default;
};

class MatrixDimensionModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ValuesColumn, WeightsColumn, CountColumn, ColumnCount };
    enum Role { IssueRole = Qt::UserRole }; // the problem with a cell, empty when fine

    using EditHandler = std::function<void(int row, Column column, const QString &text)>;

    explicit MatrixDimensionModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // Without a handler, setData() applies edits itself.
    void setEditHandler(EditHandler handler) { m_editHandler = std::move(handler); }

    const QList<MatrixDimension> &dimensions() const { return m_dimensions; }
    const MatrixDimension &dimension(int row) const { return m_dimensions.at(row); }
    void setDimensions(const QList<MatrixDimension> &dimensions); // resets the model
    void setDimension(int row, const MatrixDimension &dimension);
    void insertDimension(int row, const MatrixDimension &dimension);
    void removeDimension(int row);
    void moveDimension(int from, int to); // `to` is the final row

    // What editing a cell with `text` turns the dimension into (values may carry "(weight)").
    static MatrixDimension edited(const MatrixDimension &dimension, Column column,
                                  const QString &text);
    static QString valuesText(const MatrixDimension &dimension);
    static QString weightsText(const MatrixDimension &dimension);

    QString issue(int row, Column column) const;
    QString firstIssue() const; // "Dimension 2 (Tier): duplicate value 'Pro'", empty when valid
    bool isValid() const { return firstIssue().isEmpty(); }
    QString uniqueName(const QString &base) const; // base, base 2, base 3, …

private:
    void emitRowChanged(int row);

    QList<MatrixDimension> m_dimensions;
    EditHandler m_editHandler;
};

} // namespace crucible
