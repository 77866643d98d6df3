#pragma once
// Draws a rating cell as its number and a bar: the bootstrap 95 % interval as a line with end
// ticks, the rating as a dot, all on the scale of the whole ranking (so intervals that overlap
// look it). GUI thread only; the model is borrowed.

#include <QStyledItemDelegate>

namespace crucible {

class RatingTableModel;

class RatingBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    RatingBarDelegate(const RatingTableModel *model, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const RatingTableModel *m_model;
};

} // namespace crucible
