#pragma once
// Small text helpers shared by the views. Pure functions, any thread.

#include <QString>

namespace crucible {

// One line of readable text from Markdown: collapses whitespace and drops the emphasis, code
// and heading markers, without a full parse (cheap enough for every table row).
QString markdownToPlainLine(const QString &markdown);

// text cut to at most maxChars characters, ending in an ellipsis when it was cut.
QString elided(const QString &text, int maxChars);

} // namespace crucible
