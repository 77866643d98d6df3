#pragma once
// A line diff of two prompts (longest common subsequence), and its rendering as HTML with
// removed lines struck through in red and added lines on green. Pure functions.

#include <QString>
#include <QStringList>

#include <vector>

namespace crucible::promptdiff {

struct Line
{
    enum class Kind { Same, Added, Removed };
    Kind kind = Kind::Same;
    QString text;
};

std::vector<Line> diff(const QString &before, const QString &after);
// `after` as HTML with the changes from `before` marked; with an empty `before`, plain.
QString toHtml(const std::vector<Line> &lines);
int changedLines(const std::vector<Line> &lines);

} // namespace crucible::promptdiff
