#pragma once
// Exports the workspace as a property graph for Neo4j: problems, datasets, agents and their
// versions, solutions, critiques, verdicts, comparisons and tournaments with their relations
// (DERIVED_FROM, CLONED_FROM, SOLVED, CRITIQUES, REFINES, JUDGED, BEAT, ...). Two forms from the
// same rows: a Cypher script (constraints, then batched UNWIND ... MERGE of literal lists, for
// `cypher-shell -f`) and the CSV files of `neo4j-admin database import full` with an import.sh.
// Streams the tables; lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QIODevice>
#include <QStringList>
#include <functional>
#include <map>
#include <string>

namespace crucible {

struct GraphExportOptions
{
    int batchSize = 500; // rows per UNWIND statement of the Cypher script
    std::function<void(qint64 done, qint64 total)> progress;
};

struct GraphExportResult
{
    std::map<QString, qint64> nodes;         // per label, every label present (0 when none)
    std::map<QString, qint64> relationships; // per type, every type present
    qint64 nodeCount = 0;
    qint64 relationshipCount = 0;
    qint64 statements = 0; // Cypher: statements written (constraints included)
    QStringList files;     // CSV: the files written, import.sh last
};

class GraphExporter final
{
public:
    explicit GraphExporter(Workspace &ws);

    // The Cypher script. Throws WorkspaceError on I/O failure; a failed export leaves any
    // previous file unchanged.
    GraphExportResult exportCypher(const QString &path, const GraphExportOptions &options = {});
    GraphExportResult exportCypherBytes(QByteArray &data, const GraphExportOptions &options = {});

    // The neo4j-admin CSVs and import.sh into folder (created when missing; files of the same
    // names are replaced, all of them only when every one was written).
    GraphExportResult exportCsv(const QString &folder, const GraphExportOptions &options = {});

    // Nodes the workspace would export (problems count too: a graph of problems alone is
    // useful), and the nodes of the evaluation tables alone (agents, solutions, comparisons...).
    qint64 nodeTotal() const;
    qint64 evaluationNodeTotal() const;

    static QStringList nodeLabels();
    static QStringList relationshipTypes();
    // Names of the CSV files inside the export folder.
    static QString nodeFileName(const QString &label);        // "nodes_Problem.csv"
    static QString relationshipFileName(const QString &type); // "rels_DERIVED_FROM.csv"
    // The neo4j-admin command that imports the CSVs (run from inside the folder).
    static QString importCommand(const QString &database = QStringLiteral("neo4j"));

    // Literals as the script writes them: a single-quoted Cypher string with \\, \', control
    // characters and ';' escaped (so a statement never ends inside a string), and one CSV field
    // in double quotes with quotes doubled.
    static std::string cypherString(const std::string &utf8);
    static std::string csvString(const std::string &utf8);

private:
    class Sink;
    class CypherSink;
    class CsvSink;
    GraphExportResult run(Sink &sink, const GraphExportOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
