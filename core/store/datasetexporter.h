#pragma once
// Exports a dataset for sharing: a Hugging Face friendly JSONL (flat, stable columns, one problem
// per line in member order) and a Markdown dataset card built from the dataset's provenance.
// Lives on the Workspace's thread; files are written through QSaveFile.

#include "core/store/problemexporter.h"

#include <functional>

namespace crucible {

struct DatasetJsonlOptions
{
    ProblemFilter filter; // filter.datasetId exports one dataset in its member order
    std::function<void(qint64 written, qint64 total)> progress;
};

// What the card says about the data file it sits next to (for "How to load").
enum class DatasetFileKind { HfJsonl, ProblemJsonl, Csv };

struct DatasetCardOptions
{
    QString dataFile = QStringLiteral("data.jsonl"); // as written in the load snippet
    DatasetFileKind dataKind = DatasetFileKind::HfJsonl;
    int maxRejectExamples = 10;
    bool onlyAccepted = false; // the data file holds only the members a reviewer accepted
};

class DatasetExporter final
{
public:
    explicit DatasetExporter(Workspace &ws);

    // One flat record per problem; every record has every column of jsonlColumns(), in that
    // order, with null for what the problem does not have (Arrow needs stable types: sample_data,
    // parameters and expansion_details are JSON text).
    static nlohmann::ordered_json hfRecord(const Problem &p);
    static const QStringList &jsonlColumns();

    // Returns the number of problems written. Throws WorkspaceError on I/O failure.
    qint64 exportJsonl(const QString &path, const DatasetJsonlOptions &options);
    QByteArray exportJsonlBytes(const DatasetJsonlOptions &options);

    // The Markdown card of a dataset (deterministic for the same workspace content). Throws
    // WorkspaceError when there is no dataset with that id.
    QString card(const QString &datasetId, const DatasetCardOptions &options = {});
    void writeCard(const QString &datasetId, const QString &path,
                   const DatasetCardOptions &options = {});

    // Whether a generation parameter applies to a job of this kind ("dataset", "matrix", ...):
    // the card lists only those. Parameters it does not know apply to every kind.
    static bool parameterApplies(const QString &kind, const QString &parameter);

    // "out/ds.jsonl" -> "out/ds.md".
    static QString defaultCardPath(const QString &dataPath);

private:
    qint64 writeJsonl(QIODevice &out, const DatasetJsonlOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
