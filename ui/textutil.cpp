#include "ui/textutil.h"

#include <QStringList>
#include <algorithm>

namespace crucible {

QString markdownToPlainLine(const QString &markdown)
{
    QString out;
    out.reserve(markdown.size());
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (const QString &rawLine : lines) {
        QString line = rawLine.trimmed();
        while (line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char('>')))
            line = line.mid(1).trimmed();
        if (line.isEmpty())
            continue;
        if (!out.isEmpty())
            out += QLatin1Char(' ');
        out += line;
    }
    out.remove(QStringLiteral("**"));
    out.remove(QStringLiteral("__"));
    out.remove(QLatin1Char('`'));
    return out.simplified();
}

QString elided(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    return text.left(std::max(0, maxChars - 1)) + QChar(0x2026);
}

} // namespace crucible
