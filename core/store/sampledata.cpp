#include "core/store/sampledata.h"

#include "core/store/problemimporter.h"
#include "core/store/workspace.h"
#include "core/store/workspaceerror.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace crucible {

QByteArray SampleData::sampleProblemsJsonl()
{
    QFile f(QStringLiteral(":/samples/problems.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool SampleData::ensureWorkspace(const QString &path)
{
    if (QFileInfo::exists(path))
        return false;
    auto ws = Workspace::create(path);
    ImportOptions options;
    options.format = ProblemFileFormat::Jsonl;
    ProblemImporter(*ws).importData(sampleProblemsJsonl(), QStringLiteral("samples/problems.jsonl"),
                                    options);
    return true;
}

QString SampleData::exampleWorkspacePath()
{
    return QFileInfo(Workspace::defaultPath()).absolutePath() + QStringLiteral("/example.crucible");
}

QString SampleData::ensureExampleWorkspace(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists())
        return info.absoluteFilePath();
    const QString dir = info.absolutePath();
    if (!QDir().mkpath(dir))
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Could not create the folder %1 for the example "
                                            "workspace. Check that it is writable.")
                                 .arg(QDir::toNativeSeparators(dir)));
    const QString partial = info.absoluteFilePath() + QStringLiteral(".partial");
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(partial + suffix); // left over from an interrupted attempt
    try {
        ensureWorkspace(partial); // closes the workspace (and checkpoints its WAL) on return
    } catch (...) {
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(partial + suffix);
        throw;
    }
    if (!QFile::rename(partial, info.absoluteFilePath())) {
        QFile::remove(partial);
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Could not write the example workspace %1. Check that "
                                            "the folder is writable.")
                                 .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
    }
    return info.absoluteFilePath();
}

} // namespace crucible
