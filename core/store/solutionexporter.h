#pragma once
// Exports solutions as JSONL, one solution a line with everything known about it: the problem,
// the agent version that wrote it, its stage and text, the critiques of it, the verdicts (scores
// and rationales), the human judgments and its refinement lineage. Streams in pages through
// QSaveFile; lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QIODevice>
#include <functional>
#include <nlohmann/json.hpp>

namespace crucible {

struct SolutionExportOptions
{
    bool onlyAccepted = false; // only solutions of problems a reviewer accepted
    QString datasetId;         // only solutions of this dataset's problems when set
    std::function<void(qint64 done, qint64 total)> progress;
};

struct SolutionExportResult
{
    qint64 available = 0; // solutions in the workspace
    qint64 written = 0;
};

class SolutionExporter final
{
public:
    explicit SolutionExporter(Workspace &ws);

    // Throws WorkspaceError on I/O failure; a failed export leaves any previous file unchanged.
    SolutionExportResult exportToFile(const QString &path, const SolutionExportOptions &options);
    SolutionExportResult exportToBytes(QByteArray &data, const SolutionExportOptions &options);

    qint64 available() const;
    qint64 count(const SolutionExportOptions &options) const;

private:
    SolutionExportResult write(QIODevice &out, const SolutionExportOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
