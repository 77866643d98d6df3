#pragma once
// Writes an export file atomically through QSaveFile: the content callback streams into the
// device, and the file only replaces the old one when everything was written.

#include <QIODevice>
#include <QString>
#include <functional>

namespace crucible {

// Throws WorkspaceError (Io) naming the path when the file cannot be opened, written or
// committed; a failed export leaves any previous file unchanged.
void writeFileAtomically(const QString &path, const std::function<void(QIODevice &)> &content);

// The same content into memory (tests, previews).
QByteArray writeToBytes(const std::function<void(QIODevice &)> &content);

// Writes bytes to out or throws WorkspaceError (Io) with the device's error.
void writeOrThrow(QIODevice &out, const QByteArray &bytes);

} // namespace crucible
