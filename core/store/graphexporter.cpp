#include "core/store/graphexporter.h"

#include "core/store/evaluationrows.h"
#include "core/store/exportfile.h"
#include "core/store/workspaceerror.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QSqlQuery>
#include <QVariant>
#include <charconv>
#include <cmath>

namespace crucible {

using nlohmann::json;
using namespace evaluationrows;

namespace {

// How a column becomes a property. SolutionText renders a solution document as plain text.
enum class Kind { String, Int, Double, Bool, SolutionText };

struct Prop
{
    const char *name;
    Kind kind;
};

// sql selects the node id, then one column per property in order.
struct NodeSpec
{
    const char *label;
    const char *sql;
    std::vector<Prop> props;
};

// sql selects the start id, the end id, then one column per property. key: a property that
// tells apart several relationships of this type between the same two nodes (MERGE uses it).
struct RelSpec
{
    const char *type;
    const char *from;
    const char *to;
    const char *sql;
    std::vector<Prop> props;
    const char *key = nullptr;
};

// JSON members are read with CASE WHEN json_valid(...): json_extract fails the whole query on
// one damaged document.
const std::vector<NodeSpec> &nodeSpecs()
{
    static const std::vector<NodeSpec> specs = {
        {"Problem",
         R"(SELECT id, statement, domain, complexity, origin, review_status, constraints,
                   success_criteria, tags, created_at FROM problems ORDER BY seq)",
         {{"statement", Kind::String},
          {"domain", Kind::String},
          {"complexity", Kind::String},
          {"origin", Kind::String},
          {"review_status", Kind::String},
          {"constraints", Kind::String},
          {"success_criteria", Kind::String},
          {"tags", Kind::String},
          {"created_at", Kind::String}}},
        {"Dataset",
         "SELECT id, name, domain, created_at FROM datasets ORDER BY created_at, id",
         {{"name", Kind::String}, {"domain", Kind::String}, {"created_at", Kind::String}}},
        {"Agent",
         R"(SELECT id, name, role, is_template, archived, head_version_id, created_at
            FROM agents ORDER BY seq)",
         {{"name", Kind::String},
          {"role", Kind::String},
          {"is_template", Kind::Bool},
          {"archived", Kind::Bool},
          {"head_version_id", Kind::String},
          {"created_at", Kind::String}}},
        {"AgentVersion",
         R"(SELECT v.id, v.agent_id, v.version, a.name, a.role,
                   CASE WHEN json_valid(v.doc)
                        THEN json_extract(v.doc, '$.identity.specialization') END,
                   CASE WHEN json_valid(v.doc) THEN json_extract(v.doc, '$.traits') END,
                   CASE WHEN json_valid(v.doc)
                        THEN json_extract(v.doc, '$.communication_style') END,
                   v.system_prompt, v.prompt_template, v.note, v.created_at
            FROM agent_versions v JOIN agents a ON a.id = v.agent_id ORDER BY v.seq)",
         {{"agent_id", Kind::String},
          {"version", Kind::Int},
          {"name", Kind::String},
          {"role", Kind::String},
          {"specialization", Kind::String},
          {"traits", Kind::String},
          {"communication_style", Kind::String},
          {"system_prompt", Kind::String},
          {"prompt_template", Kind::String},
          {"note", Kind::String},
          {"created_at", Kind::String}}},
        {"Solution",
         R"(SELECT id, problem_id, stage, doc,
                   CASE WHEN json_valid(doc) THEN json_extract(doc, '$.final_answer') END,
                   text_length, cost_usd, tokens, created_at FROM solutions ORDER BY seq)",
         {{"problem_id", Kind::String},
          {"stage", Kind::String},
          {"text", Kind::SolutionText},
          {"final_answer", Kind::String},
          {"text_length", Kind::Int},
          {"cost_usd", Kind::Double},
          {"tokens", Kind::Int},
          {"created_at", Kind::String}}},
        {"Critique",
         R"(SELECT id, solution_id, agent_version_id,
                   CASE WHEN json_valid(doc) THEN json_extract(doc, '$.summary') END,
                   CASE WHEN json_valid(doc) THEN json_extract(doc, '$.verdict') END,
                   CASE WHEN json_valid(doc) THEN json_array_length(doc, '$.issues') END,
                   CASE WHEN json_valid(doc) THEN json_extract(doc, '$.issues') END,
                   created_at FROM critiques ORDER BY seq)",
         {{"solution_id", Kind::String},
          {"agent_version_id", Kind::String},
          {"summary", Kind::String},
          {"verdict", Kind::String},
          {"issue_count", Kind::Int},
          {"issues", Kind::String},
          {"created_at", Kind::String}}},
        {"Verdict",
         R"(SELECT id, solution_id, judge_version_id, status, overall, confidence, novelty,
                   scores, checks, rubric_version, error, created_at FROM verdicts ORDER BY seq)",
         {{"solution_id", Kind::String},
          {"judge_version_id", Kind::String},
          {"status", Kind::String},
          {"overall", Kind::Double},
          {"confidence", Kind::Double},
          {"novelty", Kind::Double},
          {"scores", Kind::String},
          {"checks", Kind::String},
          {"rubric_version", Kind::String},
          {"error", Kind::String},
          {"created_at", Kind::String}}},
        {"Comparison",
         R"(SELECT id, problem_id, tournament_id, winner, verdict_ab, verdict_ba, entrant_a,
                   entrant_b, judge_version_id, created_at FROM comparisons ORDER BY seq)",
         {{"problem_id", Kind::String},
          {"tournament_id", Kind::String},
          {"winner", Kind::String},
          {"verdict_ab", Kind::String},
          {"verdict_ba", Kind::String},
          {"entrant_a", Kind::String},
          {"entrant_b", Kind::String},
          {"judge_version_id", Kind::String},
          {"created_at", Kind::String}}},
        {"Tournament",
         "SELECT id, name, format, created_at FROM tournaments ORDER BY created_at, id",
         {{"name", Kind::String}, {"format", Kind::String}, {"created_at", Kind::String}}},
    };
    return specs;
}

// Every query joins both ends, so that no relationship points at a node that is not exported.
const std::vector<RelSpec> &relSpecs()
{
    static const std::vector<RelSpec> specs = {
        {"DERIVED_FROM",
         "Problem",
         "Problem",
         R"(SELECT p.id, b.id FROM problems p JOIN problems b ON b.id = p.base_problem_id
            WHERE p.id <> b.id ORDER BY p.seq)",
         {}},
        {"IN_DATASET",
         "Problem",
         "Dataset",
         R"(SELECT dp.problem_id, dp.dataset_id, dp.position FROM dataset_problems dp
            JOIN problems p ON p.id = dp.problem_id JOIN datasets d ON d.id = dp.dataset_id
            ORDER BY dp.dataset_id, dp.position)",
         {{"position", Kind::Int}}},
        {"VERSION_OF",
         "AgentVersion",
         "Agent",
         R"(SELECT v.id, a.id, v.version FROM agent_versions v JOIN agents a ON a.id = v.agent_id
            ORDER BY v.seq)",
         {{"version", Kind::Int}}},
        {"PREVIOUS_VERSION",
         "AgentVersion",
         "AgentVersion",
         R"(SELECT v.id, p.id FROM agent_versions v JOIN agent_versions p
              ON p.id = v.parent_version_id
            WHERE p.agent_id = v.agent_id AND p.id <> v.id ORDER BY v.seq)",
         {}},
        // A clone's first version points at the version it was cloned from (parent_version_id
        // of another agent, or agents.cloned_from).
        {"CLONED_FROM",
         "AgentVersion",
         "AgentVersion",
         R"(SELECT v.id, p.id FROM agent_versions v JOIN agent_versions p
              ON p.id = v.parent_version_id WHERE p.agent_id <> v.agent_id
            UNION
            SELECT v.id, src.id FROM agents a
              JOIN agent_versions v ON v.agent_id = a.id AND v.version = 1
              JOIN agent_versions src ON src.id = a.cloned_from AND src.agent_id <> a.id
            ORDER BY 1, 2)",
         {}},
        {"SOLVED",
         "AgentVersion",
         "Solution",
         R"(SELECT s.agent_version_id, s.id, s.stage FROM solutions s
            JOIN agent_versions v ON v.id = s.agent_version_id ORDER BY s.seq)",
         {{"stage", Kind::String}}},
        {"FOR_PROBLEM",
         "Solution",
         "Problem",
         R"(SELECT s.id, p.id FROM solutions s JOIN problems p ON p.id = s.problem_id
            ORDER BY s.seq)",
         {}},
        {"AUTHORED",
         "AgentVersion",
         "Critique",
         R"(SELECT c.agent_version_id, c.id FROM critiques c
            JOIN agent_versions v ON v.id = c.agent_version_id ORDER BY c.seq)",
         {}},
        {"CRITIQUES",
         "Critique",
         "Solution",
         R"(SELECT c.id, s.id FROM critiques c JOIN solutions s ON s.id = c.solution_id
            ORDER BY c.seq)",
         {}},
        {"REFINES",
         "Solution",
         "Solution",
         R"(SELECT s.id, o.id, s.critique_id FROM solutions s
            JOIN solutions o ON o.id = s.refined_from WHERE o.id <> s.id ORDER BY s.seq)",
         {{"critique_id", Kind::String}}},
        {"ADDRESSES",
         "Solution",
         "Critique",
         R"(SELECT s.id, c.id FROM solutions s JOIN critiques c ON c.id = s.critique_id
            ORDER BY s.seq)",
         {}},
        {"ISSUED",
         "AgentVersion",
         "Verdict",
         R"(SELECT v.judge_version_id, v.id FROM verdicts v
            JOIN agent_versions j ON j.id = v.judge_version_id ORDER BY v.seq)",
         {}},
        {"JUDGED",
         "Verdict",
         "Solution",
         R"(SELECT v.id, s.id, v.status, v.overall, v.judge_version_id FROM verdicts v
            JOIN solutions s ON s.id = v.solution_id ORDER BY v.seq)",
         {{"status", Kind::String}, {"overall", Kind::Double}, {"judge_version_id", Kind::String}}},
        {"COMPARED_IN",
         "Solution",
         "Comparison",
         R"(SELECT s, c, side FROM (
              SELECT c.solution_a AS s, c.id AS c, 'a' AS side, c.seq AS seq FROM comparisons c
              UNION ALL
              SELECT c.solution_b, c.id, 'b', c.seq FROM comparisons c) x
            WHERE EXISTS (SELECT 1 FROM solutions WHERE id = x.s) ORDER BY seq, side)",
         {{"side", Kind::String}},
         "side"},
        {"PART_OF",
         "Comparison",
         "Tournament",
         R"(SELECT c.id, t.id FROM comparisons c JOIN tournaments t ON t.id = c.tournament_id
            ORDER BY c.seq)",
         {}},
        // A decisive comparison: both orders named the same winner.
        {"BEAT",
         "Solution",
         "Solution",
         R"(SELECT w.id, l.id, c.id, c.tournament_id, c.judge_version_id FROM comparisons c
            JOIN solutions w ON w.id = CASE c.winner WHEN 'a' THEN c.solution_a
                                                     ELSE c.solution_b END
            JOIN solutions l ON l.id = CASE c.winner WHEN 'a' THEN c.solution_b
                                                     ELSE c.solution_a END
            WHERE c.winner IN ('a', 'b') ORDER BY c.seq)",
         {{"comparison_id", Kind::String},
          {"tournament_id", Kind::String},
          {"judge_version_id", Kind::String}},
         "comparison_id"},
    };
    return specs;
}

std::string doubleText(double v)
{
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    std::string text(buffer, r.ptr);
    if (text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

// One property value: null when absent (NULL, '' or not finite), else its literal text for
// Cypher or CSV. Strings are kept as UTF-8.
struct Value
{
    enum class Type { Null, String, Number, Bool } type = Type::Null;
    std::string text; // the string itself, or the number/bool literal
};

Value valueOf(const QVariant &v, Kind kind)
{
    if (v.isNull())
        return {};
    switch (kind) {
    case Kind::String: {
        std::string s = v.toString().toStdString();
        if (s.empty())
            return {};
        return {Value::Type::String, std::move(s)};
    }
    case Kind::SolutionText: {
        std::string s = solutionText(parseDoc(v));
        if (s.empty())
            return {};
        return {Value::Type::String, std::move(s)};
    }
    case Kind::Int:
        return {Value::Type::Number, std::to_string(v.toLongLong())};
    case Kind::Double: {
        const double d = v.toDouble();
        if (!std::isfinite(d))
            return {};
        return {Value::Type::Number, doubleText(d)};
    }
    case Kind::Bool:
        return {Value::Type::Bool, v.toLongLong() != 0 ? "true" : "false"};
    }
    return {};
}

const char *csvType(Kind kind)
{
    switch (kind) {
    case Kind::Int:
        return ":long";
    case Kind::Double:
        return ":double";
    case Kind::Bool:
        return ":boolean";
    case Kind::String:
    case Kind::SolutionText:
        return "";
    }
    return "";
}

qint64 countOf(const Workspace &ws, const char *sql)
{
    QSqlQuery q = ws.exec(QStringLiteral("SELECT COUNT(*) FROM (%1)").arg(QString::fromUtf8(sql)));
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace

// Receives the graph label by label (all nodes first, then the relationships type by type).
class GraphExporter::Sink
{
public:
    virtual ~Sink() = default;
    virtual void begin() = 0;
    virtual void beginNodes(const NodeSpec &spec) = 0;
    virtual void node(const std::string &id, const std::vector<Value> &values) = 0;
    virtual void endNodes() = 0;
    virtual void beginRels(const RelSpec &spec) = 0;
    virtual void rel(const std::string &from, const std::string &to,
                     const std::vector<Value> &values) = 0;
    virtual void endRels() = 0;
    virtual void finish(GraphExportResult &result) = 0;
};

class GraphExporter::CypherSink final : public GraphExporter::Sink
{
public:
    CypherSink(QIODevice &out, int batchSize, QString source)
        : m_out(out)
        , m_batch(std::max(1, batchSize))
        , m_source(std::move(source))
    {
    }

    void begin() override
    {
        std::string head = "// Crucible graph export of " + m_source.toStdString() +
                           "\n// Run against an empty or existing database (MERGE makes it "
                           "idempotent):\n//   cypher-shell -u neo4j -p PASSWORD -f "
                           "graph.cypher\n\n";
        for (const NodeSpec &spec : nodeSpecs()) {
            const std::string label = spec.label;
            std::string name;
            for (char c : label)
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            head += "CREATE CONSTRAINT crucible_" + name + "_id IF NOT EXISTS FOR (n:" + label +
                    ") REQUIRE n.id IS UNIQUE;\n";
            ++m_statements;
        }
        writeOrThrow(m_out, QByteArray::fromStdString(head));
    }

    void beginNodes(const NodeSpec &spec) override
    {
        m_props = &spec.props;
        m_tail = "] AS row\nMERGE (n:" + std::string(spec.label) +
                 " {id: row.id}) SET n += row.props;\n";
    }

    void node(const std::string &id, const std::vector<Value> &values) override
    {
        std::string row = "{id: " + cypherString(id) + ", props: " + map(values) + "}";
        add(row);
    }

    void endNodes() override { flush(); }

    void beginRels(const RelSpec &spec) override
    {
        m_props = &spec.props;
        std::string merge = "MERGE (a)-[r:" + std::string(spec.type);
        if (spec.key)
            merge += " {" + std::string(spec.key) + ": row.props." + spec.key + "}";
        m_tail = "] AS row\nMATCH (a:" + std::string(spec.from) +
                 " {id: row.from})\nMATCH (b:" + spec.to + " {id: row.to})\n" + merge +
                 "]->(b) SET r += row.props;\n";
    }

    void rel(const std::string &from, const std::string &to,
             const std::vector<Value> &values) override
    {
        add("{from: " + cypherString(from) + ", to: " + cypherString(to) +
            ", props: " + map(values) + "}");
    }

    void endRels() override { flush(); }

    void finish(GraphExportResult &result) override { result.statements = m_statements; }

private:
    std::string map(const std::vector<Value> &values) const
    {
        std::string out = "{";
        bool first = true;
        for (size_t i = 0; i < values.size(); ++i) {
            const Value &v = values[i];
            if (v.type == Value::Type::Null)
                continue;
            if (!first)
                out += ", ";
            first = false;
            out += (*m_props)[i].name;
            out += ": ";
            out += v.type == Value::Type::String ? cypherString(v.text) : v.text;
        }
        return out + "}";
    }

    void add(const std::string &row)
    {
        if (m_rows == 0)
            m_text = "\nUNWIND [\n";
        else
            m_text += ",\n";
        m_text += row;
        if (++m_rows >= m_batch)
            flush();
    }

    void flush()
    {
        if (m_rows == 0)
            return;
        m_text += "\n" + m_tail;
        writeOrThrow(m_out, QByteArray::fromStdString(m_text));
        m_text.clear();
        m_rows = 0;
        ++m_statements;
    }

    QIODevice &m_out;
    int m_batch;
    QString m_source;
    const std::vector<Prop> *m_props = nullptr;
    std::string m_tail;
    std::string m_text;
    int m_rows = 0;
    qint64 m_statements = 0;
};

class GraphExporter::CsvSink final : public GraphExporter::Sink
{
public:
    explicit CsvSink(QString folder)
        : m_folder(std::move(folder))
    {
    }

    void begin() override
    {
        if (!QDir().mkpath(m_folder))
            throw WorkspaceError(WorkspaceError::Kind::Io,
                                 QStringLiteral("Cannot create the folder %1. Check that its "
                                                "parent exists and is writable.")
                                     .arg(m_folder));
    }

    void beginNodes(const NodeSpec &spec) override
    {
        m_kindLabel = spec.label;
        std::string header = "id:ID(" + std::string(spec.label) + ")";
        for (const Prop &p : spec.props)
            header += "," + std::string(p.name) + csvType(p.kind);
        header += ",:LABEL\n";
        open(nodeFileName(QString::fromUtf8(spec.label)), header);
    }

    void node(const std::string &id, const std::vector<Value> &values) override
    {
        std::string line = csvString(id);
        appendValues(line, values);
        line += "," + m_kindLabel + "\n";
        append(line);
    }

    void endNodes() override { flush(); }

    void beginRels(const RelSpec &spec) override
    {
        m_kindLabel = spec.type;
        std::string header = ":START_ID(" + std::string(spec.from) + "),:END_ID(" + spec.to + ")";
        for (const Prop &p : spec.props)
            header += "," + std::string(p.name) + csvType(p.kind);
        header += ",:TYPE\n";
        open(relationshipFileName(QString::fromUtf8(spec.type)), header);
    }

    void rel(const std::string &from, const std::string &to,
             const std::vector<Value> &values) override
    {
        std::string line = csvString(from) + "," + csvString(to);
        appendValues(line, values);
        line += "," + m_kindLabel + "\n";
        append(line);
    }

    void endRels() override { flush(); }

    void finish(GraphExportResult &result) override
    {
        const QString script =
            QStringLiteral("#!/bin/sh\n"
                           "# Imports this folder into a new (or overwritten) Neo4j "
                           "database with neo4j-admin (Neo4j 5).\n"
                           "# Stop the database first. Usage: ./import.sh [DATABASE] "
                           "(default neo4j); NEO4J_ADMIN=/path/to/neo4j-admin to choose "
                           "the binary.\n"
                           "set -e\ncd \"$(dirname \"$0\")\"\n") +
            importCommand(QStringLiteral("\"${1:-neo4j}\""))
                .replace(QStringLiteral("neo4j-admin "),
                         QStringLiteral("\"${NEO4J_ADMIN:-neo4j-admin}\" ")) +
            QStringLiteral("\n");
        open(QStringLiteral("import.sh"), script.toStdString());
        m_files.back()->setPermissions(m_files.back()->permissions() | QFileDevice::ExeOwner |
                                       QFileDevice::ExeGroup | QFileDevice::ExeOther);
        flush();
        // Every file is complete: only now do they replace the old ones.
        for (const auto &file : m_files) {
            if (!file->commit())
                throw WorkspaceError(WorkspaceError::Kind::Io,
                                     QStringLiteral("Cannot finish writing %1: %2 (disk full?).")
                                         .arg(file->fileName(), file->errorString()));
            result.files << file->fileName();
        }
    }

private:
    void open(const QString &name, const std::string &header)
    {
        flush();
        auto file = std::make_unique<QSaveFile>(QDir(m_folder).filePath(name));
        if (!file->open(QIODevice::WriteOnly))
            throw WorkspaceError(WorkspaceError::Kind::Io,
                                 QStringLiteral("Cannot write %1: %2. Check the folder is "
                                                "writable.")
                                     .arg(file->fileName(), file->errorString()));
        m_files.push_back(std::move(file));
        m_chunk = header;
    }

    static void appendValues(std::string &line, const std::vector<Value> &values)
    {
        for (const Value &v : values) {
            line += ',';
            if (v.type == Value::Type::String)
                line += csvString(v.text);
            else if (v.type != Value::Type::Null)
                line += v.text;
        }
    }

    void append(const std::string &line)
    {
        m_chunk += line;
        if (m_chunk.size() > (1 << 20))
            flush();
    }

    void flush()
    {
        if (m_chunk.empty() || m_files.empty())
            return;
        writeOrThrow(*m_files.back(), QByteArray::fromStdString(m_chunk));
        m_chunk.clear();
    }

    QString m_folder;
    std::vector<std::unique_ptr<QSaveFile>> m_files;
    std::string m_kindLabel;
    std::string m_chunk;
};

GraphExporter::GraphExporter(Workspace &ws)
    : m_ws(ws)
{
}

QStringList GraphExporter::nodeLabels()
{
    QStringList out;
    for (const NodeSpec &spec : nodeSpecs())
        out << QString::fromUtf8(spec.label);
    return out;
}

QStringList GraphExporter::relationshipTypes()
{
    QStringList out;
    for (const RelSpec &spec : relSpecs())
        out << QString::fromUtf8(spec.type);
    return out;
}

QString GraphExporter::nodeFileName(const QString &label)
{
    return QStringLiteral("nodes_%1.csv").arg(label);
}

QString GraphExporter::relationshipFileName(const QString &type)
{
    return QStringLiteral("rels_%1.csv").arg(type);
}

QString GraphExporter::importCommand(const QString &database)
{
    QString command = QStringLiteral("neo4j-admin database import full %1 --overwrite-destination "
                                     "--multiline-fields=true")
                          .arg(database);
    for (const QString &label : nodeLabels())
        command += QStringLiteral(" \\\n  --nodes=") + nodeFileName(label);
    for (const QString &type : relationshipTypes())
        command += QStringLiteral(" \\\n  --relationships=") + relationshipFileName(type);
    return command;
}

std::string GraphExporter::cypherString(const std::string &utf8)
{
    std::string out;
    out.reserve(utf8.size() + 2);
    out += '\'';
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\'':
            out += "\\'";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case ';':
            out += "\\u003B";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789ABCDEF";
                out += "\\u00";
                out += hex[(c >> 4) & 0xF];
                out += hex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '\'';
    return out;
}

std::string GraphExporter::csvString(const std::string &utf8)
{
    std::string out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

qint64 GraphExporter::nodeTotal() const
{
    qint64 total = 0;
    for (const NodeSpec &spec : nodeSpecs())
        total += countOf(m_ws, spec.sql);
    return total;
}

qint64 GraphExporter::evaluationNodeTotal() const
{
    qint64 total = 0;
    for (const NodeSpec &spec : nodeSpecs()) {
        const std::string label = spec.label;
        if (label != "Problem" && label != "Dataset")
            total += countOf(m_ws, spec.sql);
    }
    return total;
}

GraphExportResult GraphExporter::run(Sink &sink, const GraphExportOptions &options)
{
    GraphExportResult result;
    qint64 total = 0;
    for (const NodeSpec &spec : nodeSpecs())
        total += countOf(m_ws, spec.sql);
    for (const RelSpec &spec : relSpecs())
        total += countOf(m_ws, spec.sql);
    qint64 done = 0;
    auto tick = [&] {
        if (++done % 1000 == 0 && options.progress)
            options.progress(done, total);
    };

    sink.begin();
    std::vector<Value> values;
    for (const NodeSpec &spec : nodeSpecs()) {
        sink.beginNodes(spec);
        QSqlQuery q = streamQuery(m_ws, QString::fromUtf8(spec.sql));
        execOrThrow(q, QStringLiteral("Reading %1 nodes").arg(QString::fromUtf8(spec.label)));
        qint64 &count = result.nodes[QString::fromUtf8(spec.label)];
        while (q.next()) {
            values.clear();
            for (size_t i = 0; i < spec.props.size(); ++i)
                values.push_back(valueOf(q.value(static_cast<int>(i) + 1), spec.props[i].kind));
            sink.node(q.value(0).toString().toStdString(), values);
            ++count;
            tick();
        }
        sink.endNodes();
        result.nodeCount += count;
    }
    for (const RelSpec &spec : relSpecs()) {
        sink.beginRels(spec);
        QSqlQuery q = streamQuery(m_ws, QString::fromUtf8(spec.sql));
        execOrThrow(q,
                    QStringLiteral("Reading %1 relationships").arg(QString::fromUtf8(spec.type)));
        qint64 &count = result.relationships[QString::fromUtf8(spec.type)];
        while (q.next()) {
            values.clear();
            for (size_t i = 0; i < spec.props.size(); ++i)
                values.push_back(valueOf(q.value(static_cast<int>(i) + 2), spec.props[i].kind));
            sink.rel(q.value(0).toString().toStdString(), q.value(1).toString().toStdString(),
                     values);
            ++count;
            tick();
        }
        sink.endRels();
        result.relationshipCount += count;
    }
    sink.finish(result);
    if (options.progress)
        options.progress(total, total);
    return result;
}

GraphExportResult GraphExporter::exportCypher(const QString &path,
                                              const GraphExportOptions &options)
{
    GraphExportResult result;
    writeFileAtomically(path, [&](QIODevice &out) {
        CypherSink sink(out, options.batchSize, m_ws.path());
        result = run(sink, options);
    });
    return result;
}

GraphExportResult GraphExporter::exportCypherBytes(QByteArray &data,
                                                   const GraphExportOptions &options)
{
    data.clear();
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    CypherSink sink(buffer, options.batchSize, m_ws.path());
    return run(sink, options);
}

GraphExportResult GraphExporter::exportCsv(const QString &folder, const GraphExportOptions &options)
{
    CsvSink sink(folder);
    return run(sink, options);
}

} // namespace crucible
