// GraphExporter: the Cypher script and the neo4j-admin CSVs describe the same graph (both parsed
// back here independently), every relationship's endpoints exist, strings survive escaping, and
// large graphs are batched.

#include "core/store/graphexporter.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/graphfileparser.h"
#include "tests/support/testworkspace.h"

#include <QDir>
#include <QFileInfo>
#include <gtest/gtest.h>
#include <set>

namespace crucible {
namespace {

using nlohmann::json;
using test::buildEvaluationScenario;
using test::EvaluationFixture;
using test::EvaluationScenario;
using test::ParsedGraph;

std::map<std::string, std::set<std::string>> nodeIds(const ParsedGraph &g)
{
    std::map<std::string, std::set<std::string>> out;
    for (const auto &[label, nodes] : g.nodes)
        for (const auto &[id, props] : nodes)
            out[label].insert(id);
    return out;
}

size_t relCount(const ParsedGraph &g, const std::string &type)
{
    return static_cast<size_t>(std::count_if(g.relationships.begin(), g.relationships.end(),
                                             [&](const auto &r) { return r.type == type; }));
}

bool hasRel(const ParsedGraph &g, const std::string &type, const QString &from, const QString &to)
{
    return std::any_of(g.relationships.begin(), g.relationships.end(), [&](const auto &r) {
        return r.type == type && r.from == from.toStdString() && r.to == to.toStdString();
    });
}

class GraphExporterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
        s = buildEvaluationScenario(*ws);
    }

    ParsedGraph cypher(GraphExportOptions options = {}, GraphExportResult *result = nullptr)
    {
        QByteArray data;
        const GraphExportResult r = GraphExporter(*ws).exportCypherBytes(data, options);
        if (result)
            *result = r;
        script = data.toStdString();
        return test::parseCypherScript(script);
    }

    ParsedGraph csv(GraphExportResult *result = nullptr)
    {
        const QString folder = dir.file(QStringLiteral("neo4j"));
        const GraphExportResult r = GraphExporter(*ws).exportCsv(folder, {});
        if (result)
            *result = r;
        return test::parseNeo4jCsvFolder(folder);
    }

    test::TempFolder dir;
    std::unique_ptr<Workspace> ws;
    EvaluationScenario s;
    std::string script;
};

TEST_F(GraphExporterTest, CypherAndCsvDescribeTheSameGraph)
{
    GraphExportResult cr, vr;
    const ParsedGraph c = cypher({}, &cr);
    const ParsedGraph v = csv(&vr);
    EXPECT_TRUE(c.errors.empty()) << c.errors.front();
    EXPECT_TRUE(v.errors.empty()) << v.errors.front();

    // Same node ids per label (the CSV names empty labels too: drop those for the comparison).
    auto cIds = nodeIds(c);
    auto vIds = nodeIds(v);
    std::erase_if(vIds, [](const auto &entry) { return entry.second.empty(); });
    EXPECT_EQ(cIds, vIds);
    // Same properties on every node and the same relationships with the same properties.
    EXPECT_EQ(c.nodes, [&] {
        auto nodes = v.nodes;
        std::erase_if(nodes, [](const auto &entry) { return entry.second.empty(); });
        return nodes;
    }());
    EXPECT_EQ(c.relationshipKeys(), v.relationshipKeys());
    EXPECT_TRUE(c.danglingRelationships().empty()) << c.danglingRelationships().front();
    EXPECT_TRUE(v.danglingRelationships().empty()) << v.danglingRelationships().front();

    EXPECT_EQ(cr.nodeCount, vr.nodeCount);
    EXPECT_EQ(cr.relationshipCount, static_cast<qint64>(c.relationships.size()));
    EXPECT_EQ(vr.relationshipCount, static_cast<qint64>(v.relationships.size()));
    // 3 problems, 1 dataset, 6 agents, 7 versions, 7 solutions, 1 critique, 4 verdicts,
    // 6 comparisons, 1 tournament.
    EXPECT_EQ(cr.nodeCount, 3 + 1 + 6 + 7 + 7 + 1 + 4 + 6 + 1);
}

TEST_F(GraphExporterTest, ConstraintsComeFirstForEveryLabel)
{
    const ParsedGraph c = cypher();
    const QStringList labels = GraphExporter::nodeLabels();
    ASSERT_EQ(c.constraintLabels.size(), static_cast<size_t>(labels.size()));
    for (int i = 0; i < labels.size(); ++i) {
        EXPECT_EQ(c.constraintLabels[static_cast<size_t>(i)], labels[i].toStdString());
        EXPECT_EQ(c.statementKinds[static_cast<size_t>(i)], "constraint");
    }
    // Nodes before relationships: a MATCH must find what the MERGEs made.
    bool seenRels = false;
    for (const std::string &kind : c.statementKinds) {
        if (kind.rfind("rels:", 0) == 0)
            seenRels = true;
        EXPECT_FALSE(seenRels && kind.rfind("nodes:", 0) == 0) << kind;
    }
}

TEST_F(GraphExporterTest, TheRelationsOfTheEvaluationHistory)
{
    const ParsedGraph g = cypher();
    EXPECT_TRUE(hasRel(g, "DERIVED_FROM", s.p3, s.p1));
    EXPECT_EQ(relCount(g, "DERIVED_FROM"), 1u);
    EXPECT_TRUE(hasRel(g, "IN_DATASET", s.p1, s.dataset));
    EXPECT_TRUE(hasRel(g, "IN_DATASET", s.p3, s.dataset));
    EXPECT_TRUE(hasRel(g, "VERSION_OF", s.genV2, s.gen));
    EXPECT_TRUE(hasRel(g, "PREVIOUS_VERSION", s.genV2, s.genV1));
    EXPECT_EQ(relCount(g, "PREVIOUS_VERSION"), 1u);
    EXPECT_TRUE(hasRel(g, "CLONED_FROM", s.cloneV1, s.genV2));
    EXPECT_EQ(relCount(g, "CLONED_FROM"), 1u);
    EXPECT_TRUE(hasRel(g, "SOLVED", s.refinerV1, s.s3));
    EXPECT_EQ(relCount(g, "SOLVED"), 7u);
    EXPECT_TRUE(hasRel(g, "FOR_PROBLEM", s.s4, s.p2));
    EXPECT_TRUE(hasRel(g, "CRITIQUES", s.critique1, s.s1));
    EXPECT_TRUE(hasRel(g, "AUTHORED", s.criticV1, s.critique1));
    EXPECT_TRUE(hasRel(g, "REFINES", s.s3, s.s1));
    EXPECT_TRUE(hasRel(g, "ADDRESSES", s.s3, s.critique1));
    EXPECT_EQ(relCount(g, "JUDGED"), 4u);
    EXPECT_EQ(relCount(g, "ISSUED"), 4u);
    EXPECT_EQ(relCount(g, "COMPARED_IN"), 12u);
    EXPECT_EQ(relCount(g, "PART_OF"), 6u);
    // Decisive comparisons only (cmp4 is a tie), each with its comparison id.
    EXPECT_EQ(relCount(g, "BEAT"), 5u);
    EXPECT_TRUE(hasRel(g, "BEAT", s.s3, s.s2)); // cmp1
    EXPECT_TRUE(hasRel(g, "BEAT", s.s2, s.s3)); // cmp2
    EXPECT_TRUE(hasRel(g, "BEAT", s.s7, s.s6)); // cmp5
    for (const auto &r : g.relationships) {
        if (r.type == "BEAT") {
            EXPECT_TRUE(r.props.contains("comparison_id")) << r.key();
        }
    }
}

TEST_F(GraphExporterTest, QuotesNewlinesBackslashesAndSemicolonsSurviveBothFormats)
{
    const std::string tricky = EvaluationScenario::kTrickyStatement.toStdString();
    const ParsedGraph c = cypher();
    const ParsedGraph v = csv();
    EXPECT_EQ(c.nodes.at("Problem").at(s.p2.toStdString()).at("statement"), tricky);
    EXPECT_EQ(v.nodes.at("Problem").at(s.p2.toStdString()).at("statement"), tricky);
    const std::string answer = "Final answer: It's 7; \"seven\"";
    EXPECT_NE(
        c.nodes.at("Solution").at(s.s4.toStdString()).at("text").get<std::string>().find(answer),
        std::string::npos);
    // A statement never ends inside a string: every ';' of the script ends a line.
    size_t semicolons = 0;
    for (size_t i = 0; i < script.size(); ++i)
        if (script[i] == ';') {
            ++semicolons;
            EXPECT_TRUE(i + 1 == script.size() || script[i + 1] == '\n') << i;
        }
    EXPECT_EQ(semicolons, c.statementKinds.size());
    // Typed values keep their types.
    const json &verdict = c.nodes.at("Verdict").begin()->second;
    EXPECT_TRUE(verdict.at("overall").is_number_float());
    EXPECT_TRUE(c.nodes.at("Agent").begin()->second.at("is_template").is_boolean());
    EXPECT_TRUE(c.nodes.at("AgentVersion").begin()->second.at("version").is_number_integer());
}

TEST(GraphExporterEscaping, LiteralsOfBothFormats)
{
    EXPECT_EQ(GraphExporter::cypherString("a'b\\c\nd;e\"f\x01"),
              "'a\\'b\\\\c\\nd\\u003Be\"f\\u0001'");
    EXPECT_EQ(GraphExporter::csvString("a\"b,c\nd\\e"), "\"a\"\"b,c\nd\\e\"");
    const auto records = test::parseCsv("x,\"a\"\"b,c\nd\",,\"\"\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0], (std::vector<std::string>{"x", "a\"b,c\nd", test::kCsvNull, ""}));
}

TEST(GraphExporterBatches, LargeGraphsAreBatched)
{
    test::TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
    EvaluationFixture f(*ws);
    const int n = 1203;
    {
        Workspace::Transaction t(*ws);
        QString first;
        for (int i = 1; i <= n; ++i) {
            const QString id = f.problem(i, QStringLiteral("unreviewed"), first);
            if (first.isEmpty())
                first = id;
        }
        t.commit();
    }
    QByteArray data;
    GraphExportOptions options;
    options.batchSize = 500;
    qint64 lastDone = 0, lastTotal = 0;
    options.progress = [&](qint64 done, qint64 total) {
        lastDone = done;
        lastTotal = total;
    };
    const GraphExportResult r = GraphExporter(*ws).exportCypherBytes(data, options);
    const ParsedGraph g = test::parseCypherScript(data.toStdString());
    EXPECT_TRUE(g.errors.empty());
    EXPECT_EQ(g.batchSizes.at("Problem"), (std::vector<int>{500, 500, 203}));
    EXPECT_EQ(g.batchSizes.at("DERIVED_FROM"), (std::vector<int>{500, 500, 202}));
    EXPECT_EQ(r.nodes.at(QStringLiteral("Problem")), n);
    EXPECT_EQ(r.relationships.at(QStringLiteral("DERIVED_FROM")), n - 1);
    EXPECT_EQ(r.statements, GraphExporter::nodeLabels().size() + 3 + 3);
    EXPECT_EQ(lastDone, lastTotal);
    EXPECT_EQ(lastTotal, 2 * n - 1);
}

TEST_F(GraphExporterTest, TheCsvFolderHasEveryFileAndAnExecutableImportScript)
{
    GraphExportResult r;
    csv(&r);
    const QDir folder(dir.file(QStringLiteral("neo4j")));
    const QString scriptPath = folder.filePath(QStringLiteral("import.sh"));
    ASSERT_TRUE(QFileInfo::exists(scriptPath));
    EXPECT_TRUE(QFileInfo(scriptPath).isExecutable());
    const QString importScript = QString::fromUtf8(test::readAll(scriptPath));
    EXPECT_TRUE(importScript.contains(QStringLiteral("database import full")));
    EXPECT_TRUE(importScript.contains(QStringLiteral("--multiline-fields=true")));
    for (const QString &label : GraphExporter::nodeLabels()) {
        EXPECT_TRUE(QFileInfo::exists(folder.filePath(GraphExporter::nodeFileName(label))));
        EXPECT_TRUE(
            importScript.contains(QStringLiteral("--nodes=") + GraphExporter::nodeFileName(label)));
    }
    for (const QString &type : GraphExporter::relationshipTypes()) {
        EXPECT_TRUE(QFileInfo::exists(folder.filePath(GraphExporter::relationshipFileName(type))));
        EXPECT_TRUE(importScript.contains(QStringLiteral("--relationships=") +
                                          GraphExporter::relationshipFileName(type)));
    }
    EXPECT_EQ(r.files.size(),
              GraphExporter::nodeLabels().size() + GraphExporter::relationshipTypes().size() + 1);
    const QByteArray header =
        test::readAll(folder.filePath(GraphExporter::nodeFileName(QStringLiteral("Verdict"))))
            .split('\n')
            .front();
    EXPECT_EQ(header, "id:ID(Verdict),solution_id,judge_version_id,status,overall:double,"
                      "confidence:double,novelty:double,scores,checks,rubric_version,error,"
                      "created_at,:LABEL");
    const QByteArray relHeader =
        test::readAll(folder.filePath(GraphExporter::relationshipFileName(QStringLiteral("BEAT"))))
            .split('\n')
            .front();
    EXPECT_EQ(relHeader, ":START_ID(Solution),:END_ID(Solution),comparison_id,tournament_id,"
                         "judge_version_id,:TYPE");
}

TEST_F(GraphExporterTest, AFolderThatCannotBeMadeIsAClearError)
{
    test::writeFile(dir.file(QStringLiteral("file")), "x");
    try {
        GraphExporter(*ws).exportCsv(dir.file(QStringLiteral("file/sub")));
        FAIL() << "no error";
    } catch (const WorkspaceError &e) {
        EXPECT_TRUE(e.message().contains(QStringLiteral("Cannot create the folder")))
            << e.message().toStdString();
    }
}

} // namespace
} // namespace crucible
