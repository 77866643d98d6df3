#pragma once
// Reading the evaluation tables of schema v7 for the exporters: forward-only queries (rows are
// streamed from SQLite, never all held), tolerant parsing of the JSON document columns, and a
// solution's document rendered as plain text. Same thread as the Workspace.

#include "core/store/workspace.h"

#include <QSqlQuery>
#include <QString>
#include <nlohmann/json.hpp>

namespace crucible::evaluationrows {

// Prepares sql forward-only on the workspace's connection; bind, then run with execOrThrow.
QSqlQuery streamQuery(const Workspace &ws, const QString &sql);
void execOrThrow(QSqlQuery &query, const QString &what);

// A JSON column: the parsed document, or null when the text is empty or not JSON (an export
// never fails on one damaged row; the row's plain columns still go out).
nlohmann::json parseDoc(const QVariant &text);

// A string member of a JSON object, or "" when absent or not a string.
std::string stringField(const nlohmann::json &doc, const char *key);

// A solution document ({"approach", "steps", "final_answer", "assumptions"}) as the plain text a
// person or a model reads: the approach, numbered steps, the final answer, the assumptions.
// Documents of another shape are dumped as JSON rather than lost.
std::string solutionText(const nlohmann::json &doc);

// A text parameter that is never SQL NULL (a null QString binds as NULL, and NULL = '' is not
// true).
QVariant textParam(const QString &text);

// A nullable REAL column as JSON (null when NULL).
nlohmann::json realOrNull(const QVariant &value);

} // namespace crucible::evaluationrows
