#include "core/store/problemimporter.h"

#include "core/store/datasetrepository.h"
#include "core/store/importfieldmapping.h"
#include "core/store/importrecord.h"
#include "core/store/problemrepository.h"
#include "core/store/schema.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <string_view>

namespace crucible {

using namespace importing;

namespace {

QString fromUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Turns SQLite's CHECK constraints off on the workspace's connection for its lifetime. The only
// CHECK on problems is complexity IN ('simple', 'medium', 'complex'), and SQLite 3.40 evaluates
// that list through a temporary b-tree for every row (about a tenth of an import's work); the
// Writer binds complexity from the enum, so the constraint holds by construction.
class CheckConstraintsOff final
{
public:
    explicit CheckConstraintsOff(Workspace &ws)
        : m_ws(ws)
    {
        m_ws.exec(QStringLiteral("PRAGMA ignore_check_constraints = ON"));
    }
    ~CheckConstraintsOff()
    {
        QSqlQuery q(m_ws.database());
        if (!q.exec(QStringLiteral("PRAGMA ignore_check_constraints = OFF")))
            qWarning("Could not turn CHECK constraints back on for %s: %s", qPrintable(m_ws.path()),
                     qPrintable(q.lastError().text()));
    }
    CheckConstraintsOff(const CheckConstraintsOff &) = delete;
    CheckConstraintsOff &operator=(const CheckConstraintsOff &) = delete;

private:
    Workspace &m_ws;
};

// Imports records one by one inside the caller's transaction.
class ImportRun final
{
public:
    ImportRun(Workspace &ws, const QString &file, const ImportOptions &options)
        : m_writer(ws)
        , m_file(file)
        , m_options(options)
        , m_names(FieldNames::from(options))
    {
    }

    void add(const Record &r)
    {
        try {
            Problem p = toProblem(r, m_names, m_options.defaultDomain);
            if (m_seenIds.contains(p.id))
                throw RecordError(
                    locationOf(r, "id"),
                    QStringLiteral("id %1 appears more than once in this file").arg(p.id));
            m_seenIds.insert(p.id);
            try {
                m_writer.insert(p);
            } catch (const WorkspaceError &e) {
                if (e.kind() != WorkspaceError::Kind::Constraint)
                    throw;
                throw RecordError(r.start, e.message());
            }
            m_result.problemIds << p.id;
            ++m_result.imported;
        } catch (const RecordError &e) {
            fail(e.location, QString::fromStdString(e.what()));
        } catch (const ValidationError &e) {
            fail(r.start, e.message());
        }
    }

    void fail(Location loc, const QString &reason)
    {
        ImportIssue issue{m_file, loc.line, loc.column, reason};
        if (!m_options.skipInvalid)
            throw ImportError(issue);
        m_result.skipped.push_back(std::move(issue));
    }

    ImportResult &result() { return m_result; }

private:
    ProblemRepository::Writer m_writer;
    QString m_file;
    const ImportOptions &m_options;
    FieldNames m_names;
    ImportResult m_result;
    QSet<QString> m_seenIds;
};

} // namespace

QString ImportIssue::toString() const
{
    return QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(reason);
}

std::optional<ProblemFileFormat> problemFileFormatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("jsonl") || n == QLatin1String("ndjson") || n == QLatin1String("json"))
        return ProblemFileFormat::Jsonl;
    if (n == QLatin1String("csv") || n == QLatin1String("tsv"))
        return ProblemFileFormat::Csv;
    return std::nullopt;
}

std::optional<ProblemFileFormat> problemFileFormatFromPath(const QString &path)
{
    return problemFileFormatFromName(QFileInfo(path).suffix());
}

ProblemImporter::ProblemImporter(Workspace &ws)
    : m_ws(ws)
{
}

namespace {

// Hands the file's bytes to use (mapped when possible: large files stay cheap in memory).
template <typename Use>
auto withFileData(const QString &path, std::optional<ProblemFileFormat> &format, Use use)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ImportError(
            {path, 0, 0, QStringLiteral("cannot read the file: %1").arg(file.errorString())});
    if (!format)
        format = problemFileFormatFromPath(path);
    if (!format)
        throw ImportError({path, 0, 0,
                           QStringLiteral("unknown file type; use a .jsonl or .csv file, or give "
                                          "the format explicitly (--format jsonl|csv)")});
    if (file.size() == 0)
        return use(QByteArray());
    uchar *mapped = file.map(0, file.size());
    if (mapped) {
        const QByteArray view =
            QByteArray::fromRawData(reinterpret_cast<const char *>(mapped), file.size());
        auto r = use(view);
        file.unmap(mapped);
        return r;
    }
    return use(file.readAll());
}

QString valuePreview(const Value &v)
{
    if (v.kind == Value::Kind::Text)
        return fromUtf8(v.text);
    return QString::fromStdString(v.toJson().dump());
}

} // namespace

ImportResult ProblemImporter::importFile(const QString &path, const ImportOptions &options)
{
    ImportOptions effective = options;
    return withFileData(path, effective.format,
                        [&](const QByteArray &data) { return importData(data, path, effective); });
}

ImportPreview ProblemImporter::previewFile(const QString &path,
                                           std::optional<ProblemFileFormat> format, int maxRows)
{
    return withFileData(path, format, [&](const QByteArray &data) {
        return previewData(data, path, *format, maxRows);
    });
}

ImportPreview ProblemImporter::previewData(const QByteArray &data, const QString &name,
                                           ProblemFileFormat format, int maxRows)
{
    ImportPreview preview;
    preview.format = format;
    RecordVisitor visitor;
    visitor.record = [&](const Record &r) {
        if (static_cast<int>(preview.rows.size()) >= maxRows) {
            preview.more = true;
            return false;
        }
        std::map<QString, QString> row;
        // Columns in file order (a JSON line parsed as a document lists its keys sorted).
        std::vector<const Field *> fields;
        for (const Field &f : r.fields)
            fields.push_back(&f);
        if (!r.line.empty())
            std::stable_sort(fields.begin(), fields.end(), [&r](const Field *x, const Field *y) {
                return r.line.find('"' + x->name + '"') < r.line.find('"' + y->name + '"');
            });
        for (const Field *field : fields) {
            const Field &f = *field;
            const QString column = fromUtf8(f.name);
            if (!preview.columns.contains(column))
                preview.columns << column;
            row[column] = valuePreview(f.value);
        }
        preview.rows.push_back(std::move(row));
        return true;
    };
    visitor.invalid = [&](Location where, const QString &reason) {
        if (static_cast<int>(preview.issues.size()) < maxRows)
            preview.issues.push_back({name, where.line, where.column, reason});
    };
    readRecords(std::string_view(data.constData(), static_cast<size_t>(data.size())), name, format,
                visitor);
    preview.mapping = automaticMapping(preview.columns);
    return preview;
}

ImportMapping ProblemImporter::automaticMapping(const QStringList &columns)
{
    return importing::automaticMapping(columns);
}

ImportResult ProblemImporter::importData(const QByteArray &data, const QString &name,
                                         const ImportOptions &options)
{
    const ProblemFileFormat format = options.format.value_or(ProblemFileFormat::Jsonl);
    if (m_ws.isReadOnly())
        throw WorkspaceError(
            WorkspaceError::Kind::Io,
            QStringLiteral("%1 is open read-only; cannot import into it").arg(m_ws.path()));
    Workspace::Transaction tx(m_ws);
    // Index full text once for all new rows (see schema::ftsIndexRowsAfter); a failed import
    // rolls the trigger back with everything else.
    QSqlQuery maxSeq = m_ws.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM problems"));
    const qint64 seqBefore = maxSeq.next() ? maxSeq.value(0).toLongLong() : 0;
    m_ws.exec(QStringLiteral("DROP TRIGGER problems_fts_insert"));
    ImportResult result;
    {
        const CheckConstraintsOff checksOff(m_ws);
        ImportRun run(m_ws, name, options);
        const std::string_view view(data.constData(), static_cast<size_t>(data.size()));
        RecordVisitor visitor;
        visitor.record = [&run](const Record &r) {
            run.add(r);
            return true;
        };
        visitor.invalid = [&run](Location where, const QString &reason) {
            run.fail(where, reason);
        };
        visitor.progress = options.progress;
        readRecords(view, name, format, visitor);
        result = std::move(run.result());
    }
    if (!options.dryRun) {
        // FTS5 writes its pending terms out as a new segment, and merges segments, every time
        // they pass 'hashsize' (1 MB by default): a larger buffer for this one statement saves a
        // quarter of the indexing work on large imports. The setting is put back before commit.
        QSqlQuery old =
            m_ws.exec(QStringLiteral("SELECT v FROM problems_fts_config WHERE k = 'hashsize'"));
        const qint64 hashSize = old.next() ? old.value(0).toLongLong() : 1024 * 1024;
        m_ws.exec(QStringLiteral(
            "INSERT INTO problems_fts(problems_fts, rank) VALUES ('hashsize', 8388608)"));
        QSqlQuery index = m_ws.prepare(schema::ftsIndexRowsAfter());
        index.addBindValue(seqBefore);
        Workspace::execPrepared(index, QStringLiteral("Indexing the imported problems for search"));
        m_ws.exec(QStringLiteral("INSERT INTO problems_fts(problems_fts, rank) VALUES ('hashsize', "
                                 "%1)")
                      .arg(hashSize));
    }
    m_ws.exec(schema::ftsInsertTrigger());
    if (!options.datasetName.isEmpty()) {
        Dataset d;
        d.id = jsonio::newId("ds");
        d.name = options.datasetName;
        d.domain = options.defaultDomain;
        d.problemIds = result.problemIds;
        d.createdAt = jsonio::nowUtc();
        d.metadata = {{"source", QFileInfo(name).fileName().toStdString()},
                      {"skipped", result.skipped.size()}};
        DatasetRepository(m_ws).insert(d);
        result.datasetId = d.id;
    }
    if (options.dryRun) {
        result.datasetId.clear();
        return result; // the transaction rolls back
    }
    tx.commit();
    if (options.progress)
        options.progress(data.size(), data.size());
    return result;
}

} // namespace crucible
