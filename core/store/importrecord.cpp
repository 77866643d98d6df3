#include "core/store/importrecord.h"

#include "core/store/csvreader.h"
#include "core/store/jsonlscanner.h"

namespace crucible::importing {

void readRecords(std::string_view data, const QString &name, ProblemFileFormat format,
                 const RecordVisitor &visitor)
{
    if (format == ProblemFileFormat::Jsonl)
        readJsonl(data, visitor);
    else
        readCsv(data, name, visitor);
}

} // namespace crucible::importing
