#pragma once
// Helpers for the UI tests: temporary workspaces filled with predictable problems, and
// QSettings redirected to a temporary folder so tests never touch the user's settings.

#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <QDeadlineTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace crucible::uitest {

inline const QStringList kDomains = {QStringLiteral("finance"), QStringLiteral("logistics"),
                                     QStringLiteral("health")};

// Problem i: domain kDomains[i % 3], complexity i % 3, every 10th mentions "zebra", odd ones
// are variations of the problem before them.
inline Problem makeProblem(int i)
{
    Problem p;
    p.id = QStringLiteral("prb_test_%1").arg(i, 6, 10, QLatin1Char('0'));
    p.domain = kDomains[i % 3];
    p.statement = QStringLiteral("Problem number %1 about **widgets**.").arg(i);
    if (i % 10 == 0)
        p.statement += QStringLiteral(" A zebra crossing is involved.");
    p.constraints = {QStringLiteral("Finish within %1 steps").arg(i % 7 + 1)};
    p.successCriteria = {QStringLiteral("The answer is justified")};
    p.complexity = static_cast<Complexity>(i % 3);
    p.origin = i % 2 ? ProblemOrigin::Variation : ProblemOrigin::Seed;
    if (i % 2)
        p.baseProblemId = makeProblem(i - 1).id;
    p.tags = {QStringLiteral("test")};
    p.createdAt = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(i);
    return p;
}

// A workspace file in a temporary folder with `count` problems.
struct TempWorkspace
{
    QTemporaryDir dir;
    QString path;

    explicit TempWorkspace(int count, const QString &name = QStringLiteral("test.crucible"))
        : path(dir.filePath(name))
    {
        auto ws = Workspace::create(path);
        std::vector<Problem> problems;
        problems.reserve(static_cast<size_t>(count));
        for (int i = 0; i < count; ++i)
            problems.push_back(makeProblem(i));
        ProblemRepository(*ws).insertMany(problems);
    }
};

// Redirects QSettings (user scope) to a fresh folder for the lifetime of the object.
struct ScopedSettings
{
    QTemporaryDir dir;
    ScopedSettings()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QSettings().clear();
    }
};

// Processes events until `condition` holds or `timeoutMs` passes (QTRY_ macros do not fail a
// GoogleTest test).
template <typename Condition> bool waitUntil(Condition condition, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

} // namespace crucible::uitest
