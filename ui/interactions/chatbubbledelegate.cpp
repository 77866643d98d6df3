#include "ui/interactions/chatbubbledelegate.h"

#include "ui/models/transcriptmodel.h"

#include <QAbstractScrollArea>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>

namespace crucible {

namespace {

constexpr int kSideMargin = 14;
constexpr int kTopGap = 10;
constexpr int kBottomGap = 4;
constexpr int kAvatar = 30;
constexpr int kAvatarGap = 8;
constexpr int kPadX = 12;
constexpr int kPadY = 8;
constexpr int kHeaderGap = 3;
constexpr qreal kRadius = 12;
constexpr double kMaxBubbleShare = 0.72;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    return f;
}

QFont nameFont(const QFont &base)
{
    QFont f = base;
    f.setBold(true);
    return f;
}

int viewportWidth(const QStyleOptionViewItem &option)
{
    if (const auto *area = qobject_cast<const QAbstractScrollArea *>(option.widget))
        return area->viewport()->width();
    return option.rect.width();
}

QString initials(const QString &name)
{
    QString out;
    const QStringList words = name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &w : words) {
        if (w.at(0).isLetterOrNumber())
            out += w.at(0).toUpper();
        if (out.size() == 2)
            break;
    }
    return out.isEmpty() ? QStringLiteral("?") : out;
}

} // namespace

ChatBubbleDelegate::ChatBubbleDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QColor ChatBubbleDelegate::accentColor(int participant)
{
    static const std::array<QColor, 7> colors = {QColor(0x3b, 0x6f, 0xb6), QColor(0x2f, 0x8a, 0x5b),
                                                 QColor(0xc2, 0x71, 0x1d), QColor(0x7a, 0x4f, 0xb5),
                                                 QColor(0x1f, 0x8a, 0x8a), QColor(0xb5, 0x47, 0x6a),
                                                 QColor(0x7d, 0x7d, 0x24)};
    return colors[static_cast<size_t>(std::max(0, participant)) % colors.size()];
}

QColor ChatBubbleDelegate::intentColor(const QString &intent)
{
    if (intent == QLatin1String("propose"))
        return QColor(0x2b, 0x6c, 0xb0);
    if (intent == QLatin1String("question"))
        return QColor(0xb7, 0x79, 0x1f);
    if (intent == QLatin1String("critique"))
        return QColor(0xc5, 0x30, 0x30);
    if (intent == QLatin1String("agree"))
        return QColor(0x2f, 0x85, 0x5a);
    if (intent == QLatin1String("refine"))
        return QColor(0x6b, 0x46, 0xc1);
    if (intent == QLatin1String("summarize"))
        return QColor(0x31, 0x79, 0x7b);
    return QColor(0x71, 0x80, 0x96);
}

ChatBubbleDelegate::Layout ChatBubbleDelegate::layout(const QStyleOptionViewItem &option,
                                                      const QModelIndex &index) const
{
    Layout l;
    const bool user = index.data(TranscriptModel::IsUserRole).toBool();
    const QString text = index.data(Qt::DisplayRole).toString();
    const QFontMetrics fm(option.font);
    const QFontMetrics nameFm(nameFont(option.font));

    const int width = std::max(240, viewportWidth(option));
    const int left = option.rect.left();
    const int usable = width - 2 * kSideMargin - kAvatar - kAvatarGap;
    const int maxBubble = std::max(160, static_cast<int>(usable * kMaxBubbleShare));
    const int maxText = maxBubble - 2 * kPadX;

    l.textFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    QRect textSize = fm.boundingRect(QRect(0, 0, maxText, 1 << 20), l.textFlags, text);
    if (textSize.width() > maxText) { // a word longer than a line (a URL, an id)
        l.textFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWrapAnywhere;
        textSize = fm.boundingRect(QRect(0, 0, maxText, 1 << 20), l.textFlags, text);
    }
    const int headerHeight = nameFm.height() + 2;
    const int bubbleW = std::max(textSize.width() + 2 * kPadX, 48);
    const int bubbleH = textSize.height() + 2 * kPadY;

    const int top = option.rect.top() + kTopGap;
    const int bubbleTop = top + headerHeight + kHeaderGap;
    int bubbleLeft = 0;
    if (user) {
        l.avatar = QRect(left + kSideMargin, bubbleTop, kAvatar, kAvatar);
        bubbleLeft = l.avatar.right() + 1 + kAvatarGap;
        l.header = QRect(bubbleLeft + 2, top, usable, headerHeight);
    } else {
        l.avatar = QRect(left + width - kSideMargin - kAvatar, bubbleTop, kAvatar, kAvatar);
        bubbleLeft = l.avatar.left() - kAvatarGap - bubbleW;
        l.header = QRect(l.avatar.left() - kAvatarGap - usable - 2, top, usable, headerHeight);
    }
    l.bubble = QRect(bubbleLeft, bubbleTop, bubbleW, bubbleH);
    l.text = l.bubble.adjusted(kPadX, kPadY, -kPadX, -kPadY);
    l.height = kTopGap + headerHeight + kHeaderGap + std::max(bubbleH, kAvatar) + kBottomGap;
    return l;
}

QSize ChatBubbleDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.rect.moveTo(0, 0);
    const Layout l = layout(opt, index);
    return {std::max(240, viewportWidth(opt)), l.height};
}

void ChatBubbleDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Layout l = layout(opt, index);
    const QPalette &pal = opt.palette;
    const bool dark = isDark(pal);
    const bool user = index.data(TranscriptModel::IsUserRole).toBool();
    const QColor accent = accentColor(index.data(TranscriptModel::ParticipantIndexRole).toInt());
    const QColor base = pal.color(QPalette::Base);
    const QColor textColor = pal.color(QPalette::Text);
    const QString speaker = index.data(TranscriptModel::SpeakerRole).toString();
    const QString intent = index.data(TranscriptModel::IntentRole).toString();
    const int turn = index.data(TranscriptModel::TurnNumberRole).toInt();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    // Avatar: a disc in the speaker's colour with their initials.
    painter->setPen(Qt::NoPen);
    painter->setBrush(accent);
    painter->drawEllipse(l.avatar);
    QFont avatarFont = smallFont(opt.font);
    avatarFont.setBold(true);
    painter->setFont(avatarFont);
    painter->setPen(Qt::white);
    painter->drawText(l.avatar, Qt::AlignCenter, initials(speaker));

    // Bubble.
    QPainterPath path;
    path.addRoundedRect(QRectF(l.bubble).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
    painter->setBrush(mix(base, accent, dark ? 0.30 : 0.11));
    painter->setPen(QPen(mix(base, accent, dark ? 0.55 : 0.32), 1));
    painter->drawPath(path);
    painter->setFont(opt.font);
    painter->setPen(textColor);
    painter->drawText(l.text, l.textFlags, index.data(Qt::DisplayRole).toString());

    // Header: name, intent badge, turn number (mirrored for agents).
    const QFont nf = nameFont(opt.font);
    const QFont sf = smallFont(opt.font);
    const QFontMetrics nameFm(nf);
    const QFontMetrics smallFm(sf);
    const int nameW = nameFm.horizontalAdvance(speaker);
    const QString badgeText = intent;
    const int badgeW = intent.isEmpty() ? 0 : smallFm.horizontalAdvance(badgeText) + 14;
    const QString number = QStringLiteral("#%1").arg(turn);
    const int numberW = smallFm.horizontalAdvance(number);
    constexpr int kGap = 8;
    const int totalW = nameW + (badgeW ? kGap + badgeW : 0) + kGap + numberW;
    int x = user ? l.header.left() : l.header.right() - totalW;
    const int cy = l.header.center().y();

    painter->setFont(nf);
    painter->setPen(dark ? accent.lighter(150) : accent.darker(115));
    painter->drawText(QRect(x, l.header.top(), nameW + 1, l.header.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, speaker);
    x += nameW + kGap;
    if (badgeW) {
        const QColor ic = intentColor(intent);
        const QRect badge(x, cy - smallFm.height() / 2 - 1, badgeW, smallFm.height() + 2);
        painter->setPen(QPen(mix(base, ic, 0.45), 1));
        painter->setBrush(mix(base, ic, dark ? 0.35 : 0.12));
        painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), badge.height() / 2.0,
                                 badge.height() / 2.0);
        painter->setFont(sf);
        painter->setPen(dark ? ic.lighter(160) : ic.darker(120));
        painter->drawText(badge, Qt::AlignCenter, badgeText);
        x += badgeW + kGap;
    }
    painter->setFont(sf);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(QRect(x, l.header.top(), numberW + 1, l.header.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, number);
    painter->restore();
}

} // namespace crucible
