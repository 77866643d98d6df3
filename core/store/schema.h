#pragma once
// The workspace schema as step-wise migrations: migration N takes a file from version N-1 to N.
// Never edit a released step; add a new one and bump Workspace::kSchemaVersion.

#include <QStringList>

namespace crucible::schema {

// Statements of the step that brings a workspace from version `to - 1` to `to` (1-based).
QStringList migrationStep(int to);

// Bulk imports index full text once at the end instead of row by row (about 4x faster): they
// drop the row trigger inside their transaction, index the new rows with ftsIndexRowsAfter()
// (bound to the largest seq before the import) and re-create the trigger before committing.
QString ftsInsertTrigger();
QString ftsIndexRowsAfter();

} // namespace crucible::schema
