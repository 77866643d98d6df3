#pragma once
// How the fields of an imported record become a problem: the usual source names of each problem
// field (statement, problem_statement, prompt, instruction, question, ...) or the columns a person
// mapped, the conversion of text, lists and JSON values, and the checks with file locations.
// Internal to core/store; pure functions, usable from any thread.

#include "core/model/problem.h"
#include "core/store/importrecord.h"
#include "core/store/problemimporter.h"

#include <QString>
#include <QStringList>
#include <array>
#include <string>
#include <vector>

namespace crucible::importing {

constexpr size_t kFieldCount = static_cast<size_t>(ImportField::Metadata) + 1;

// The source names each problem field is read from: the synonyms, or the columns a person
// mapped to it (then nothing else is).
struct FieldNames
{
    std::array<std::vector<std::string>, kFieldCount> names;
    bool explicitMapping = false;

    const std::vector<std::string> &operator[](ImportField f) const
    {
        return names[static_cast<size_t>(f)];
    }

    static FieldNames from(const ImportOptions &options);
};

// Where the field `field` of r starts (the record's start when it has no such field).
Location locationOf(const Record &r, const std::string &field);

// The problem a record describes; fields that are not mapped are kept under
// metadata.source_fields. Throws RecordError (with the location of the offending field) when a
// value has the wrong type or the problem does not validate.
Problem toProblem(const Record &r, const FieldNames &names, const QString &defaultDomain);

// What the automatic mapping does with these columns (see ProblemImporter::automaticMapping).
ImportMapping automaticMapping(const QStringList &columns);

} // namespace crucible::importing
