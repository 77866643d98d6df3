#include "core/store/exportfile.h"

#include "core/store/workspaceerror.h"

#include <QBuffer>
#include <QSaveFile>

namespace crucible {

void writeFileAtomically(const QString &path, const std::function<void(QIODevice &)> &content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Cannot write %1: %2. Check the folder exists and is "
                                            "writable.")
                                 .arg(path, file.errorString()));
    content(file);
    if (!file.commit())
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Cannot finish writing %1: %2 (disk full?). The "
                                            "previous file, if any, is unchanged.")
                                 .arg(path, file.errorString()));
}

QByteArray writeToBytes(const std::function<void(QIODevice &)> &content)
{
    QByteArray data;
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    content(buffer);
    return data;
}

void writeOrThrow(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) != bytes.size())
        throw WorkspaceError(
            WorkspaceError::Kind::Io,
            QStringLiteral("Writing the export failed: %1").arg(out.errorString()));
}

} // namespace crucible
