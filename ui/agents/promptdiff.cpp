#include "ui/agents/promptdiff.h"

#include <QStringBuilder>

namespace crucible::promptdiff {

std::vector<Line> diff(const QString &before, const QString &after)
{
    const QStringList a = before.split(u'\n');
    const QStringList b = after.split(u'\n');
    const auto n = static_cast<size_t>(a.size());
    const auto m = static_cast<size_t>(b.size());
    // lcs[i][j]: common lines of a[i..] and b[j..]. Prompts are a few dozen lines.
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = a[static_cast<qsizetype>(i)] == b[static_cast<qsizetype>(j)]
                            ? lcs[i + 1][j + 1] + 1
                            : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::vector<Line> out;
    size_t i = 0;
    size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[static_cast<qsizetype>(i)] == b[static_cast<qsizetype>(j)]) {
            out.push_back({Line::Kind::Same, b[static_cast<qsizetype>(j)]});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            // Removed lines first, then what replaces them, as diffs read.
            out.push_back({Line::Kind::Removed, a[static_cast<qsizetype>(i)]});
            ++i;
        } else {
            out.push_back({Line::Kind::Added, b[static_cast<qsizetype>(j)]});
            ++j;
        }
    }
    return out;
}

QString toHtml(const std::vector<Line> &lines)
{
    QString html = QStringLiteral("<div style=\"white-space: pre-wrap; font-family: monospace;\">");
    for (const Line &line : lines) {
        const QString text =
            line.text.isEmpty() ? QStringLiteral("&nbsp;") : line.text.toHtmlEscaped();
        switch (line.kind) {
        case Line::Kind::Same:
            html += text % QStringLiteral("<br>");
            break;
        case Line::Kind::Added:
            html += QStringLiteral("<span style=\"background-color:#d4f7d4;\">+ ") % text %
                    QStringLiteral("</span><br>");
            break;
        case Line::Kind::Removed:
            html +=
                QStringLiteral("<span style=\"color:#b00020; text-decoration: line-through;\">- ") %
                text % QStringLiteral("</span><br>");
            break;
        }
    }
    return html + QStringLiteral("</div>");
}

int changedLines(const std::vector<Line> &lines)
{
    int n = 0;
    for (const Line &l : lines)
        n += l.kind != Line::Kind::Same;
    return n;
}

} // namespace crucible::promptdiff
