#pragma once
// Rubric: what a judge scores a solution on, compiled from the problem's constraints and
// success criteria and the aspects asked for. Its version is a short hash of the compiled
// text, so a verdict names exactly the rubric it was judged by. Value type.

#include "core/model/problem.h"

#include <QStringList>

#include <optional>

namespace crucible {

struct Rubric
{
    QStringList aspects;
    QStringList constraints;
    QStringList criteria;
    QString text;    // the rubric as the judge reads it
    QString version; // "r" + 8 hex digits of SHA-256 of `text`

    static Rubric compile(const Problem &problem, const QStringList &aspects);
    // correctness, completeness, efficiency, novelty, coherence.
    static const QStringList &defaultAspects();
    // What an aspect means to the judge (a generic sentence for user-defined ones).
    static QString describeAspect(const QString &aspect);
    // Parses "a,b,c" into aspect names; returns an error (what and what to do) for an empty
    // list, a malformed or repeated name.
    static std::optional<QString> parseAspects(const QString &text, QStringList &out);
};

} // namespace crucible
