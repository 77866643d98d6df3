#include "ui/tournament/ratingbardelegate.h"

#include "ui/models/ratingtablemodel.h"

#include <QApplication>
#include <QPainter>

namespace crucible {

RatingBarDelegate::RatingBarDelegate(const RatingTableModel *model, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_model(model)
{
}

void RatingBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double rating = index.data(RatingTableModel::RatingRole).toDouble();
    const double low = index.data(RatingTableModel::CiLowRole).toDouble();
    const double high = index.data(RatingTableModel::CiHighRole).toDouble();
    const double min = m_model->scaleMin();
    const double max = m_model->scaleMax();
    const QRect r = opt.rect.adjusted(4, 2, -6, -2);
    const int textWidth = opt.fontMetrics.horizontalAdvance(QStringLiteral("00000")) + 6;
    const QRect textRect(r.left(), r.top(), textWidth, r.height());
    const QRect bar(r.left() + textWidth, r.top(), std::max(10, r.width() - textWidth), r.height());
    const bool selected = opt.state & QStyle::State_Selected;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignRight | Qt::AlignVCenter, text);
    auto x = [&](double v) {
        const double t = max > min ? (v - min) / (max - min) : 0.5;
        return bar.left() + std::clamp(t, 0.0, 1.0) * bar.width();
    };
    const double y = bar.center().y() + 0.5;
    // The 1000 line: the mean of the field.
    if (min < 1000 && 1000 < max) {
        painter->setPen(QPen(opt.palette.color(QPalette::Mid), 1, Qt::DotLine));
        painter->drawLine(QPointF(x(1000), bar.top()), QPointF(x(1000), bar.bottom()));
    }
    const QColor accent =
        selected ? opt.palette.color(QPalette::HighlightedText) : QColor(40, 110, 190);
    painter->setPen(QPen(accent, 2));
    painter->drawLine(QPointF(x(low), y), QPointF(x(high), y));
    painter->drawLine(QPointF(x(low), y - 4), QPointF(x(low), y + 4));
    painter->drawLine(QPointF(x(high), y - 4), QPointF(x(high), y + 4));
    painter->setBrush(accent);
    painter->drawEllipse(QPointF(x(rating), y), 3.5, 3.5);
    painter->restore();
}

QSize RatingBarDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 220));
    return s;
}

} // namespace crucible
