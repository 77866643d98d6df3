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
#include <map>
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

// The problem fields a source column can be mapped to (the import dialog's choices).
enum class ImportField {
    Id,
    Statement,
    Domain,
    Constraints,
    SuccessCriteria,
    SampleData,
    Complexity,
    Origin,
    BaseProblemId,
    MatrixCell,
    Tags,
    CreatedAt,
    Metadata
};
QString toString(ImportField f); // "id", "statement", "success_criteria", ...
std::optional<ImportField> importFieldFromString(const QString &s);
const std::vector<ImportField> &importFields();

// Which source column feeds which problem field, in column order. A column that is not listed is
// kept under metadata.source_fields. Several columns mapped to the statement are joined as
// paragraphs in this order; for the other fields the first non-empty one wins.
struct ImportMapping
{
    std::vector<std::pair<QString, ImportField>> columns;

    std::optional<ImportField> fieldOf(const QString &column) const;
    bool operator==(const ImportMapping &) const = default;
};

struct ImportOptions
{
    std::optional<ProblemFileFormat> format; // from the extension when unset
    bool skipInvalid = false;
    QString defaultDomain; // for records without a domain
    QString datasetName;   // when set, the imported problems also form a new dataset
    std::function<void(qint64 bytesRead, qint64 bytesTotal)> progress;
    // Unset: the automatic mapping, per record the first non-empty field of each field's usual
    // names (what `crucible-cli import` does). Set: exactly these columns.
    std::optional<ImportMapping> mapping;
    bool dryRun = false; // check every record exactly as the import would, then write nothing
};

// The first records of a file as the importer reads them, for a person to check the mapping.
struct ImportPreview
{
    ProblemFileFormat format = ProblemFileFormat::Jsonl;
    QStringList columns; // in the order first seen (CSV: normalised header)
    std::vector<std::map<QString, QString>> rows; // column -> value as text (JSON as compact JSON)
    ImportMapping mapping;           // what the automatic mapping does with the columns
    std::vector<ImportIssue> issues; // records among the first that cannot be read
    bool more = false;               // the file holds more records than rows
};

struct ImportResult
{
    qint64 imported = 0;
    std::vector<ImportIssue> skipped;
    QStringList problemIds; // ids of the imported problems, in file order
    QString datasetId;      // set when options.datasetName was given (and not a dry run)
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

    // The first maxRows records (no workspace needed; any thread). Throws ImportError when the
    // file cannot be read, its type is unknown, or a CSV quote is broken.
    static ImportPreview previewFile(const QString &path, std::optional<ProblemFileFormat> format,
                                     int maxRows = 50);
    static ImportPreview previewData(const QByteArray &data, const QString &name,
                                     ProblemFileFormat format, int maxRows = 50);
    // What the automatic mapping does with these columns (the first of each field's usual
    // names that is present; an Alpaca "input" next to "instruction" joins the statement).
    static ImportMapping automaticMapping(const QStringList &columns);

private:
    Workspace &m_ws;
};

} // namespace crucible
