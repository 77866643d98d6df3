#pragma once
// Helpers for tests that need a workspace file in a temporary folder.

#include "core/model/problem.h"
#include "core/store/workspace.h"

#include <QTemporaryDir>

namespace crucible::test {

// A temporary folder that holds workspace files and is removed with the object.
class TempFolder final
{
public:
    TempFolder();
    QString file(const QString &name) const;
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

// A valid problem with the given number; the statement mentions the number in words so that
// full-text search can find it.
Problem makeProblem(int n, const QString &domain = QStringLiteral("testing"));

QByteArray readAll(const QString &path);
void writeFile(const QString &path, const QByteArray &data);

} // namespace crucible::test
