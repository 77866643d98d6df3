#pragma once
// Internal to ProblemRepository (split over problemrepository.cpp and problemcuration.cpp): the
// column lists, row readers, filter SQL and the binding of a problem to a statement.

#include "core/store/problemrepository.h"
#include "core/store/sqlitestatement.h"

#include <QSqlQuery>
#include <limits>
#include <string>
#include <string_view>

namespace crucible {

// The UTF-8 text of each column of one problem, kept alive while the statement runs.
struct ProblemRepository::Writer::Row
{
    QByteArray domain;
    QByteArray statement;
    std::string constraints;
    std::string successCriteria;
    std::string sampleData;
    QByteArray baseProblemId;
    std::string matrixCell;
    std::string tags;
    QByteArray createdAt;
    qint64 createdAtMs = std::numeric_limits<qint64>::min(); // what createdAt was formatted from
    std::string metadata;
    QByteArray reviewNote;
    QByteArray jobId;
    QByteArray id;
};

namespace problemsql {

extern const QString kSummaryColumns;
constexpr int kSummaryColumnCount = 11; // a query's next column is at this index
extern const QString kFullColumns;
constexpr int kFullColumnCount = 16;

QStringList stringListFromText(const QString &text);
ProblemSummary readSummary(const QSqlQuery &q);
Problem readFull(const QSqlQuery &q);

// FROM/WHERE clause and bound values for a filter. The sort key is the insertion order, or the
// member position inside a dataset.
struct FilterSql
{
    QString from;
    QString where;
    QString key;
    QVariantList values;
};
// ftsDriven: let the full-text index drive the query (only in insertion order).
FilterSql buildFilter(const ProblemFilter &f, bool ftsDriven = true);
void bindAll(QSqlQuery &q, const QVariantList &values);

// The same text as json(list).dump(), without building a JSON value first.
void jsonArrayText(std::string &out, const QStringList &list);
const QByteArray &utf8Name(Complexity c);
const QByteArray &utf8Name(ReviewStatus r);
const QByteArray &utf8Name(ProblemOrigin o);
std::string_view view(const QByteArray &a);
// Binds the columns in the order of the INSERT (id 16th; UPDATE ... WHERE id = ? too).
void bindProblem(SqliteStatement &s, const Problem &p, ProblemRepository::Writer::Row &row);

} // namespace problemsql
} // namespace crucible
