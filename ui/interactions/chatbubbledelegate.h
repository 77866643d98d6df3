#pragma once
// Paints one turn of a TranscriptModel as a chat bubble: user personas on the left, agents on
// the right, a colour per participant, the speaker's name and intent badge above the bubble.
// Sizes follow the view's viewport width (use a QListView in Adjust resize mode).

#include <QStyledItemDelegate>

namespace crucible {

class ChatBubbleDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ChatBubbleDelegate(QObject *parent = nullptr);

    // The colour of participant index (TranscriptModel::ParticipantIndexRole).
    static QColor accentColor(int participant);
    static QColor intentColor(const QString &intent);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    struct Layout
    {
        QRect avatar;
        QRect header; // name, badge and turn number
        QRect bubble;
        QRect text;
        int textFlags = 0;
        int height = 0;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace crucible
