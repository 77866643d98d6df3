#pragma once
// Imports problems from JSONL or CSV into a workspace, streaming, in one transaction.
// Field names are mapped (statement, problem_statement, prompt, instruction, question, ...).
// A malformed record fails the whole import with file:line:column and nothing is written,
// unless skipInvalid is set, in which case the rest is imported and the skips are listed.

#include "core/store/workspace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

namespace crucible {

enum class ProblemFileFormat { Jsonl, Csv };

// Guesses the format from the extension (.jsonl/.ndjson/.json -> JSONL, .csv -> CSV).
std::optional<ProblemFileFormat> problemFileFormatFromPath(const QString &path);
std::optional<ProblemFileFormat> problemFileFormatFromName(const QString &name);

struct ImportIssue
{
    QString file;
    int line = 0;
    int column = 0;
    QString reason;
    QString toString() const; // "file:line:column: reason"
};

struct ImportOptions
{
    std::optional<ProblemFileFormat> format; // from the extension when unset
    bool skipInvalid = false;
    QString defaultDomain; // for records without a domain
    QString datasetName;   // when set, the imported problems also form a new dataset
    std::function<void(qint64 bytesRead, qint64 bytesTotal)> progress;
};

struct ImportResult
{
    qint64 imported = 0;
    std::vector<ImportIssue> skipped;
    QStringList problemIds; // ids of the imported problems, in file order
    QString datasetId;      // set when options.datasetName was given
};

class ImportError final : public std::runtime_error
{
public:
    explicit ImportError(ImportIssue issue)
        : std::runtime_error(issue.toString().toStdString())
        , m_issue(std::move(issue))
    {
    }
    const ImportIssue &issue() const { return m_issue; }

private:
    ImportIssue m_issue;
};

class ProblemImporter final
{
public:
    explicit ProblemImporter(Workspace &ws);

    // Throws ImportError (first invalid record, nothing written) or WorkspaceError.
    ImportResult importFile(const QString &path, const ImportOptions &options = {});
    // Same, reading from memory; name is used in messages.
    ImportResult importData(const QByteArray &data, const QString &name,
                            const ImportOptions &options);

private:
    Workspace &m_ws;
};

} // namespace crucible
