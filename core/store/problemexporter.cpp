#include "core/store/problemexporter.h"

#include "core/store/exportfile.h"

#include <QSaveFile>

namespace crucible {

using nlohmann::json;

namespace {

QByteArray csvField(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') ||
        bytes.contains('\r') || bytes.startsWith(' ') || bytes.endsWith(' ')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

QString jsonText(const json &j)
{
    return QString::fromStdString(j.dump());
}

QByteArray csvRow(const Problem &p)
{
    json cell = json::object();
    for (const auto &[k, v] : p.matrixCell)
        cell[k.toStdString()] = v.toStdString();
    const QStringList values{
        p.id,
        p.domain,
        p.statement,
        jsonText(json(p.constraints)),
        jsonText(json(p.successCriteria)),
        p.sampleData.is_null() ? QString() : jsonText(p.sampleData),
        toString(p.complexity),
        toString(p.origin),
        p.baseProblemId,
        p.matrixCell.empty() ? QString() : jsonText(cell),
        jsonText(json(p.tags)),
        jsonio::formatTimestamp(p.createdAt),
        p.metadata.empty() ? QString() : jsonText(p.metadata),
    };
    QByteArray row;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            row += ',';
        row += csvField(values[i]);
    }
    row += "\r\n";
    return row;
}

} // namespace

ProblemExporter::ProblemExporter(Workspace &ws)
    : m_ws(ws)
{
}

QStringList ProblemExporter::csvHeader()
{
    return {QStringLiteral("id"),
            QStringLiteral("domain"),
            QStringLiteral("statement"),
            QStringLiteral("constraints"),
            QStringLiteral("success_criteria"),
            QStringLiteral("sample_data"),
            QStringLiteral("complexity"),
            QStringLiteral("origin"),
            QStringLiteral("base_problem_id"),
            QStringLiteral("matrix_cell"),
            QStringLiteral("tags"),
            QStringLiteral("created_at"),
            QStringLiteral("metadata")};
}

qint64 ProblemExporter::write(QIODevice &out, const ExportOptions &options)
{
    if (options.format == ProblemFileFormat::Csv)
        writeOrThrow(out, csvHeader().join(u',').toUtf8() + "\r\n");
    qint64 written = 0;
    ProblemRepository(m_ws).forEachPage(options.filter, [&](const std::vector<Problem> &page) {
        for (const Problem &p : page)
            writeOrThrow(out, options.format == ProblemFileFormat::Csv
                                  ? csvRow(p)
                                  : QByteArray::fromStdString(p.toJson().dump()) + '\n');
        written += static_cast<qint64>(page.size());
        if (options.progress)
            options.progress(written);
    });
    return written;
}

qint64 ProblemExporter::exportToFile(const QString &path, const ExportOptions &options)
{
    qint64 n = 0;
    writeFileAtomically(path, [&](QIODevice &out) { n = write(out, options); });
    return n;
}

QByteArray ProblemExporter::exportToBytes(const ExportOptions &options)
{
    return writeToBytes([&](QIODevice &out) { write(out, options); });
}

} // namespace crucible
