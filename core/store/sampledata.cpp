#include "core/store/sampledata.h"

#include "core/store/problemimporter.h"

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

} // namespace crucible
