#pragma once
// Exports problems (all, a filter, or one dataset) to JSONL or CSV, streaming in pages.
// Writes through QSaveFile: a failed export never leaves a half-written file behind.

#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"

namespace crucible {

struct ExportOptions
{
    ProblemFileFormat format = ProblemFileFormat::Jsonl;
    ProblemFilter filter; // filter.datasetId exports one dataset in its member order
    std::function<void(qint64 written)> progress;
};

class ProblemExporter final
{
public:
    explicit ProblemExporter(Workspace &ws);

    // Returns the number of problems written. Throws WorkspaceError on I/O failure.
    qint64 exportToFile(const QString &path, const ExportOptions &options);
    QByteArray exportToBytes(const ExportOptions &options);

    static QStringList csvHeader();

private:
    qint64 write(QIODevice &out, const ExportOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
