// The Hugging Face JSONL export of a dataset (flat, stable columns, member order), its CSV, the
// round trip through the importer, and the dataset card with full, partial and missing metadata.

#include "core/store/datasetexporter.h"
#include "core/store/datasetrepository.h"
#include "core/store/llmcallrepository.h"
#include "core/store/problemimporter.h"
#include "core/store/workspaceerror.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// A problem as the adversarial generator writes it (every provenance key set).
Problem adversarialProblem()
{
    Problem p = makeProblem(7, QStringLiteral("finance"));
    p.origin = ProblemOrigin::Adversarial;
    p.baseProblemId = QStringLiteral("prb_test_000001");
    p.sampleData = {{"rows", json::array({1, 2})}};
    p.matrixCell = {{QStringLiteral("size"), QStringLiteral("large")}};
    p.metadata = {{"generator", "adversarial"},
                  {"template", {{"id", "generate.adversarial"}, {"version", 3}}},
                  {"parameters", {{"count", 4}, {"strategy", "edge_cases"}}},
                  {"call_ids", {"call_a", "call_b"}},
                  {"job_id", "job_42"},
                  {"cost_usd", 0.125},
                  {"adversarial",
                   {{"strategy", "edge_cases"},
                    {"attack", "empty ledger"},
                    {"expected_failure", "divides by zero"},
                    {"target_capability", "robustness"},
                    {"difficulty", 4}}},
                  {"expansion",
                   {{"factors", {"time pressure", "noise"}},
                    {"details", {{"noise", "10 % of rows are duplicated"}}}}}};
    return p;
}

// The text of one "## Title" section of a card, up to the next section.
QString section(const QString &md, const QString &title)
{
    const QString heading = QStringLiteral("## ") + title + QStringLiteral("\n");
    const qsizetype start = md.indexOf(heading);
    if (start < 0)
        return {};
    const qsizetype end = md.indexOf(QStringLiteral("\n## "), start + heading.size());
    return md.mid(start, end < 0 ? -1 : end + 1 - start);
}

class DatasetExporterTest : public ::testing::Test
{
protected:
    void SetUp() override { ws = Workspace::create(dir.file(QStringLiteral("ds.crucible"))); }

    // Problems 1..4 (medium, complex, simple, medium) and a dataset of them in the order given.
    Dataset makeDataset(const QStringList &order, const json &metadata)
    {
        ProblemRepository problems(*ws);
        for (int n = 1; n <= 4; ++n)
            if (!problems.contains(makeProblem(n).id)) {
                Problem p = makeProblem(n, QStringLiteral("finance"));
                p.metadata = {{"generator", "dataset"},
                              {"template", {{"id", "generate.seeds"}, {"version", 2}}},
                              {"call_ids", {QStringLiteral("call_%1").arg(n).toStdString()}}};
                problems.insert(p);
            }
        Dataset d;
        d.id = QStringLiteral("ds_ledger");
        d.name = QStringLiteral("Ledger puzzles");
        d.domain = QStringLiteral("finance");
        d.complexityMix = {
            {Complexity::Simple, 0.5}, {Complexity::Medium, 0.3}, {Complexity::Complex, 0.2}};
        for (const QString &id : order)
            d.problemIds << id;
        d.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL, Qt::UTC);
        d.metadata = metadata;
        DatasetRepository(*ws).insert(d);
        return d;
    }

    static QString id(int n) { return makeProblem(n).id; }

    static json fullMetadata()
    {
        json rejects = json::array();
        rejects.push_back({{"reason", "near_duplicate"},
                           {"detail", "jaccard 0.91 with prb_test_000001"},
                           {"complexity", "simple"},
                           {"statement", "Reconcile | two ledgers"},
                           {"call_ids", {"call_r1"}}});
        rejects.push_back({{"reason", "invalid"},
                           {"detail", "/constraints: must be an array"},
                           {"complexity", "medium"},
                           {"statement", ""}});
        rejects.push_back(
            {{"reason", "near_duplicate"}, {"detail", "same statement"}, {"statement", "Add"}});
        return {
            {"generator", "dataset"},
            {"job_id", "job_7"},
            {"parameters",
             {{"domain", "finance"},
              {"size", 4},
              {"mix", {{"simple", 0.5}, {"medium", 0.3}, {"complex", 0.2}}},
              {"provider", "simulated"},
              {"model", "sim-1"},
              {"temperature", 0.7},
              {"dedup_threshold", 0.85},
              {"candidate_budget", 12}}},
            {"counts",
             {{"accepted", 4},
              {"rejected", 3},
              {"candidates", 7},
              {"by_complexity", {{"simple", 1}, {"medium", 2}, {"complex", 1}}}}},
            {"rejects", rejects},
            {"cost",
             {{"usd", 0.0123},
              {"tokens_in", 1200},
              {"tokens_out", 340},
              {"calls", 9},
              {"cache_hits", 2}}},
            {"diversity",
             {{"distinct_1", 0.62},
              {"distinct_2", 0.91},
              {"mean_pairwise_jaccard", 0.18},
              {"pairs_compared", 6},
              {"sampled", false},
              {"dimension_coverage",
               {{"audience",
                 {{"values", {{"expert", 3}, {"novice", 1}}}, {"covered", 2}, {"expected", 3}}}}}}},
            {"templates", {{{"id", "generate.seeds"}, {"version", 2}}}}};
    }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
};

} // namespace

TEST(DatasetHfRecord, MapsEveryFieldAndFlattensProvenance)
{
    const Problem p = adversarialProblem();
    const ordered_json r = DatasetExporter::hfRecord(p);

    QStringList keys;
    for (const auto &[k, v] : r.items())
        keys << QString::fromStdString(k);
    EXPECT_EQ(keys, DatasetExporter::jsonlColumns());

    EXPECT_EQ(r["id"], p.id.toStdString());
    EXPECT_EQ(r["domain"], "finance");
    EXPECT_EQ(r["statement"], p.statement.toStdString());
    EXPECT_EQ(r["constraints"], ordered_json({"constraint A7", "budget under 100"}));
    EXPECT_EQ(r["success_criteria"], ordered_json({"criterion 7"}));
    EXPECT_EQ(r["complexity"], "medium");
    EXPECT_EQ(r["origin"], "adversarial");
    EXPECT_EQ(r["base_problem_id"], "prb_test_000001");
    EXPECT_EQ(r["matrix_cell"], ordered_json({{"size", "large"}}));
    EXPECT_EQ(r["tags"], ordered_json({"t2"}));
    EXPECT_EQ(r["sample_data"], R"({"rows":[1,2]})"); // JSON text keeps the column one type
    EXPECT_EQ(r["created_at"], "2023-11-14T22:13:27.000Z");
    EXPECT_EQ(r["generator"], "adversarial");
    EXPECT_EQ(r["template_id"], "generate.adversarial");
    EXPECT_EQ(r["template_version"], 3);
    EXPECT_EQ(r["job_id"], "job_42");
    EXPECT_DOUBLE_EQ(r["cost_usd"].get<double>(), 0.125);
    EXPECT_EQ(r["call_ids"], ordered_json({"call_a", "call_b"}));
    EXPECT_EQ(json::parse(r["parameters"].get<std::string>()),
              json({{"count", 4}, {"strategy", "edge_cases"}}));
    EXPECT_EQ(r["adversarial_strategy"], "edge_cases");
    EXPECT_EQ(r["adversarial_attack"], "empty ledger");
    EXPECT_EQ(r["adversarial_expected_failure"], "divides by zero");
    EXPECT_EQ(r["adversarial_target_capability"], "robustness");
    EXPECT_EQ(r["adversarial_difficulty"], "4"); // text, whatever the generator wrote
    EXPECT_EQ(r["expansion_factors"], ordered_json({"time pressure", "noise"}));
    EXPECT_EQ(json::parse(r["expansion_details"].get<std::string>()),
              json({{"noise", "10 % of rows are duplicated"}}));
}

TEST(DatasetHfRecord, ABareProblemHasEveryColumnWithStableEmptyValues)
{
    const ordered_json r = DatasetExporter::hfRecord(makeProblem(3));
    EXPECT_EQ(static_cast<qsizetype>(r.size()), DatasetExporter::jsonlColumns().size());
    for (const char *nullColumn :
         {"base_problem_id", "matrix_cell", "sample_data", "generator", "template_id",
          "template_version", "job_id", "cost_usd", "parameters", "adversarial_strategy",
          "adversarial_attack", "adversarial_expected_failure", "adversarial_target_capability",
          "adversarial_difficulty", "expansion_details"})
        EXPECT_TRUE(r.at(nullColumn).is_null()) << nullColumn;
    // Lists stay lists (empty), never null, so Arrow infers one type per column.
    EXPECT_EQ(r["call_ids"], ordered_json::array());
    EXPECT_EQ(r["expansion_factors"], ordered_json::array());
    EXPECT_EQ(r["complexity"], "simple");
    EXPECT_EQ(r["origin"], "manual");
}

TEST(DatasetHfRecord, OddlyTypedProvenanceIsNormalised)
{
    Problem p = makeProblem(1);
    p.metadata = {{"generator", "seeds"},
                  {"template", {{"id", "generate.seeds"}, {"version", "5"}}},
                  {"cost_usd", 2}, // an integer: written as a double
                  {"call_ids", "not-a-list"},
                  {"adversarial", "not-an-object"}};
    const ordered_json r = DatasetExporter::hfRecord(p);
    EXPECT_EQ(r["template_version"], 5);
    ASSERT_TRUE(r["cost_usd"].is_number_float());
    EXPECT_EQ(r["cost_usd"].dump(), "2.0");
    EXPECT_EQ(r["call_ids"], ordered_json::array());
    EXPECT_TRUE(r["adversarial_attack"].is_null());

    p.metadata = {{"cost_usd", nullptr}}; // unpriced
    EXPECT_TRUE(DatasetExporter::hfRecord(p)["cost_usd"].is_null());
}

TEST_F(DatasetExporterTest, JsonlFollowsMemberOrderAndReportsProgress)
{
    makeDataset({id(3), id(1), id(4)}, json::object());
    DatasetJsonlOptions options;
    options.filter.datasetId = QStringLiteral("ds_ledger");
    std::vector<std::pair<qint64, qint64>> calls;
    options.progress = [&](qint64 done, qint64 total) { calls.emplace_back(done, total); };
    const QString path = dir.file(QStringLiteral("ledger.jsonl"));
    EXPECT_EQ(DatasetExporter(*ws).exportJsonl(path, options), 3);

    const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 3);
    QStringList ids;
    for (const QByteArray &line : lines) {
        const json j = json::parse(line.toStdString());
        ids << QString::fromStdString(j.at("id").get<std::string>());
        EXPECT_EQ(j.at("generator"), "dataset");
        EXPECT_EQ(j.at("template_version"), 2);
    }
    EXPECT_EQ(ids, (QStringList{id(3), id(1), id(4)}));
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back(), (std::pair<qint64, qint64>{3, 3}));
}

TEST_F(DatasetExporterTest, JsonlRoundTripsThroughTheImporter)
{
    ProblemRepository(*ws).insert(makeProblem(1, QStringLiteral("finance")));
    Problem adv = adversarialProblem();
    ProblemRepository(*ws).insert(adv);
    const QByteArray bytes = DatasetExporter(*ws).exportJsonlBytes({});

    auto copy = Workspace::create(dir.file(QStringLiteral("copy.crucible")));
    const ImportResult imported =
        ProblemImporter(*copy).importData(bytes, QStringLiteral("hf.jsonl"), {});
    ASSERT_EQ(imported.imported, 2);
    const std::optional<Problem> back = ProblemRepository(*copy).get(adv.id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->domain, adv.domain);
    EXPECT_EQ(back->statement, adv.statement);
    EXPECT_EQ(back->constraints, adv.constraints);
    EXPECT_EQ(back->successCriteria, adv.successCriteria);
    EXPECT_EQ(back->complexity, adv.complexity);
    EXPECT_EQ(back->origin, adv.origin);
    EXPECT_EQ(back->baseProblemId, adv.baseProblemId);
    EXPECT_EQ(back->matrixCell, adv.matrixCell);
    EXPECT_EQ(back->tags, adv.tags);
    EXPECT_EQ(back->createdAt, adv.createdAt);
    // sample_data travels as JSON text in this format (one Arrow type per column).
    EXPECT_EQ(back->sampleData, json(adv.sampleData.dump()));
    // The flattened provenance is kept by the importer under source_fields.
    const json &source = back->metadata.at("source_fields");
    EXPECT_EQ(source.at("generator"), "adversarial");
    EXPECT_EQ(source.at("template_id"), "generate.adversarial");
    EXPECT_EQ(source.at("template_version"), 3);
    EXPECT_EQ(source.at("call_ids"), json({"call_a", "call_b"}));
    EXPECT_FALSE(source.contains("cost_usd") && source.at("cost_usd").is_null());

    const std::optional<Problem> plain = ProblemRepository(*copy).get(makeProblem(1).id);
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->sampleData.is_null());
    EXPECT_TRUE(plain->matrixCell.empty());
    EXPECT_TRUE(plain->baseProblemId.isEmpty());
}

TEST_F(DatasetExporterTest, CsvOfADatasetIsInMemberOrderAndImportsBack)
{
    makeDataset({id(4), id(2)}, json::object());
    ExportOptions options;
    options.format = ProblemFileFormat::Csv;
    options.filter.datasetId = QStringLiteral("ds_ledger");
    const QString path = dir.file(QStringLiteral("ledger.csv"));
    EXPECT_EQ(ProblemExporter(*ws).exportToFile(path, options), 2);
    const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 3);
    EXPECT_TRUE(lines[1].startsWith(QByteArray(id(4).toUtf8() + ',')));
    EXPECT_TRUE(lines[2].startsWith(QByteArray(id(2).toUtf8() + ',')));

    auto copy = Workspace::create(dir.file(QStringLiteral("copy.crucible")));
    ProblemImporter(*copy).importFile(path);
    for (int n : {4, 2})
        EXPECT_EQ(ProblemRepository(*copy).get(id(n))->toJson(),
                  ProblemRepository(*ws).get(id(n))->toJson());
}

TEST_F(DatasetExporterTest, CardWithFullMetadata)
{
    makeDataset({id(1), id(2), id(3), id(4)}, fullMetadata());
    DatasetCardOptions options;
    options.dataFile = QStringLiteral("ledger.jsonl");
    const QString md = DatasetExporter(*ws).card(QStringLiteral("ds_ledger"), options);
    EXPECT_EQ(md, DatasetExporter(*ws).card(QStringLiteral("ds_ledger"), options));

    EXPECT_TRUE(md.startsWith(QStringLiteral("---\n"
                                             "pretty_name: \"Ledger puzzles\"\n"
                                             "size_categories:\n- n<1K\n"
                                             "task_categories:\n- text-generation\n"
                                             "language:\n- en\n"
                                             "tags:\n- synthetic\n- crucible\n"
                                             "---\n\n"
                                             "# Ledger puzzles\n\n")))
        << md.toStdString();
    EXPECT_EQ(section(md, QStringLiteral("Origin")),
              QStringLiteral("## Origin\n\n| Field | Value |\n|---|---|\n"
                             "| Generator | dataset |\n"
                             "| Domain | finance |\n"
                             "| Provider / model | simulated/sim-1 |\n"
                             "| Templates | generate.seeds v2 |\n"
                             "| Job | job_7 |\n"
                             "| Dataset id | ds_ledger |\n"
                             "| Created | 2023-11-14T22:13:20.000Z |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Parameters")),
              QStringLiteral("## Parameters\n\n| Parameter | Value |\n|---|---|\n"
                             "| candidate_budget | 12 |\n"
                             "| dedup_threshold | 0.85 |\n"
                             "| domain | finance |\n"
                             "| mix | complex: 0.2, medium: 0.3, simple: 0.5 |\n"
                             "| model | sim-1 |\n"
                             "| provider | simulated |\n"
                             "| size | 4 |\n"
                             "| temperature | 0.7 |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Counts")),
              QStringLiteral("## Counts\n\n| Count | Value |\n|---|---|\n"
                             "| Accepted (members) | 4 |\n"
                             "| Rejected | 3 |\n"
                             "| Candidates | 7 |\n\n"
                             "| Complexity | Target mix | Actual | Actual share |\n"
                             "|---|---|---|---|\n"
                             "| simple | 50.0 % | 1 | 25.0 % |\n"
                             "| medium | 30.0 % | 2 | 50.0 % |\n"
                             "| complex | 20.0 % | 1 | 25.0 % |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Rejects")),
              QStringLiteral("## Rejects\n\n| Reason | Count |\n|---|---|\n"
                             "| invalid | 1 |\n"
                             "| near_duplicate | 2 |\n\n"
                             "Examples (3 of 3):\n\n"
                             "1. **near_duplicate** (simple): \"Reconcile | two ledgers\" — "
                             "jaccard 0.91 with prb_test_000001\n"
                             "2. **invalid** (medium): (no statement) — /constraints: must be "
                             "an array\n"
                             "3. **near_duplicate**: \"Add\" — same statement\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Diversity")),
              QStringLiteral("## Diversity\n\n| Metric | Value |\n|---|---|\n"
                             "| Distinct-1 (unique unigrams / unigrams) | 0.62 |\n"
                             "| Distinct-2 (unique bigrams / bigrams) | 0.91 |\n"
                             "| Mean pairwise Jaccard similarity | 0.18 |\n"
                             "| Pairs compared | 6 |\n"
                             "| Sampled | false |\n\n"
                             "Dimension coverage:\n\n"
                             "| Dimension | Covered / expected | Values |\n|---|---|---|\n"
                             "| audience | 2 / 3 | expert (3), novice (1) |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Cost")),
              QStringLiteral("## Cost\n\n| Item | Value |\n|---|---|\n"
                             "| Cost | $0.0123 |\n"
                             "| Tokens in | 1200 |\n"
                             "| Tokens out | 340 |\n"
                             "| Calls | 9 |\n"
                             "| Cache hits | 2 |\n\n"
                             "Source: the dataset's metadata.\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("How to load")),
              QStringLiteral("## How to load\n\n```python\nfrom datasets import load_dataset\n\n"
                             "ds = load_dataset(\"json\", data_files=\"ledger.jsonl\", "
                             "split=\"train\")\n```\n\n"));
    const QString fields = section(md, QStringLiteral("Fields"));
    for (const QString &column : DatasetExporter::jsonlColumns())
        EXPECT_TRUE(fields.contains(QStringLiteral("| `") + column + QStringLiteral("` |")))
            << column.toStdString();
}

TEST_F(DatasetExporterTest, CardOfADatasetWithoutMetadataSaysWhatIsMissing)
{
    makeDataset({id(1), id(2)}, json::object());
    Dataset bare;
    bare.id = QStringLiteral("ds_bare");
    bare.name = QStringLiteral("Hand \"made\"");
    bare.createdAt = QDateTime::fromMSecsSinceEpoch(1'704'164'645'000LL, Qt::UTC);
    DatasetRepository(*ws).insert(bare);

    DatasetCardOptions options;
    options.dataFile = QStringLiteral("bare.csv");
    options.dataKind = DatasetFileKind::Csv;
    const QString md = DatasetExporter(*ws).card(QStringLiteral("ds_bare"), options);
    EXPECT_TRUE(md.startsWith(QStringLiteral("---\npretty_name: \"Hand \\\"made\\\"\"\n")))
        << md.toStdString();
    EXPECT_EQ(section(md, QStringLiteral("Origin")),
              QStringLiteral("## Origin\n\n| Field | Value |\n|---|---|\n"
                             "| Generator | not recorded |\n"
                             "| Domain | not recorded |\n"
                             "| Provider / model | not recorded |\n"
                             "| Templates | not recorded |\n"
                             "| Job | not recorded |\n"
                             "| Dataset id | ds_bare |\n"
                             "| Created | 2024-01-02T03:04:05.000Z |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Parameters")),
              QStringLiteral("## Parameters\n\nNot recorded for this dataset.\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Counts")),
              QStringLiteral("## Counts\n\n| Count | Value |\n|---|---|\n"
                             "| Accepted (members) | 0 |\n"
                             "| Rejected | not recorded |\n"
                             "| Candidates | not recorded |\n\n"
                             "| Complexity | Target mix | Actual | Actual share |\n"
                             "|---|---|---|---|\n"
                             "| simple | - | 0 | - |\n"
                             "| medium | - | 0 | - |\n"
                             "| complex | - | 0 | - |\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Rejects")),
              QStringLiteral("## Rejects\n\nNot recorded for this dataset.\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Diversity")),
              QStringLiteral("## Diversity\n\nNot recorded for this dataset.\n\n"));
    EXPECT_EQ(section(md, QStringLiteral("Cost")),
              QStringLiteral("## Cost\n\nNot recorded for this dataset.\n\n"));
    EXPECT_TRUE(section(md, QStringLiteral("How to load"))
                    .contains(QStringLiteral("load_dataset(\"csv\", data_files=\"bare.csv\"")));
    EXPECT_TRUE(section(md, QStringLiteral("Fields")).isEmpty()); // not the HF columns

    // Without a recorded domain the card names the members' domains.
    Dataset mixed;
    mixed.id = QStringLiteral("ds_mixed");
    mixed.name = QStringLiteral("Mixed");
    ProblemRepository(*ws).insert(makeProblem(9, QStringLiteral("logistics")));
    mixed.problemIds = {id(1), id(9)};
    DatasetRepository(*ws).insert(mixed);
    EXPECT_TRUE(section(DatasetExporter(*ws).card(mixed.id), QStringLiteral("Origin"))
                    .contains(QStringLiteral("| Domain | finance, logistics |\n")));
}

TEST_F(DatasetExporterTest, CardFallsBackToMembersAndTheLedger)
{
    // Metadata without cost, provider or templates: they come from the problems and the ledger.
    makeDataset({id(1), id(2), id(3)}, {{"rejects", json::array({{{"reason", "llm_error"},
                                                                  {"detail", "HTTP 500"},
                                                                  {"call_ids", {"call_r"}}}})}});
    LlmCallRepository calls(*ws);
    auto call = [](const QString &callId, std::optional<double> usd, bool cacheHit) {
        LlmCall c;
        c.id = callId;
        c.provider = QStringLiteral("openai");
        c.model = QStringLiteral("gpt-x");
        c.status = QStringLiteral("ok");
        c.tokensIn = 100;
        c.tokensOut = 20;
        c.costUsd = usd;
        c.cacheHit = cacheHit;
        c.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL, Qt::UTC);
        return c;
    };
    calls.record(call(QStringLiteral("call_1"), 0.01, false));
    calls.record(call(QStringLiteral("call_2"), 0.0, true));
    calls.record(call(QStringLiteral("call_r"), 0.005, false));
    // call_3 is not in the ledger.

    const QString md = DatasetExporter(*ws).card(QStringLiteral("ds_ledger"));
    EXPECT_TRUE(section(md, QStringLiteral("Origin"))
                    .contains(QStringLiteral("| Generator | dataset |\n")));
    EXPECT_TRUE(section(md, QStringLiteral("Origin"))
                    .contains(QStringLiteral(
                        "| Provider / model | openai/gpt-x (from the call ledger) |\n")));
    EXPECT_TRUE(section(md, QStringLiteral("Origin"))
                    .contains(QStringLiteral("| Templates | generate.seeds v2 |\n")));
    EXPECT_EQ(section(md, QStringLiteral("Cost")),
              QStringLiteral("## Cost\n\n| Item | Value |\n|---|---|\n"
                             "| Cost | $0.0150 |\n"
                             "| Tokens in | 300 |\n"
                             "| Tokens out | 60 |\n"
                             "| Calls | 3 |\n"
                             "| Cache hits | 1 |\n\n"
                             "Source: computed from the workspace's LLM call ledger (4 calls "
                             "referenced by the problems and rejects; 1 not found in the "
                             "ledger).\n\n"));
    EXPECT_TRUE(
        section(md, QStringLiteral("Counts")).contains(QStringLiteral("| Rejected | 1 |\n")));
}

TEST_F(DatasetExporterTest, CardOfUnpricedCallsSaysUnpriced)
{
    json meta = fullMetadata();
    meta["cost"]["usd"] = nullptr;
    makeDataset({id(1)}, meta);
    EXPECT_TRUE(
        section(DatasetExporter(*ws).card(QStringLiteral("ds_ledger")), QStringLiteral("Cost"))
            .contains(QStringLiteral("| Cost | unpriced |\n")));
}

TEST_F(DatasetExporterTest, CardListsAtMostTenRejectExamples)
{
    json meta = fullMetadata();
    meta["rejects"] = json::array();
    for (int i = 0; i < 12; ++i)
        meta["rejects"].push_back({{"reason", "invalid"},
                                   {"statement", "candidate " + std::to_string(i)},
                                   {"detail", "bad"}});
    meta["counts"]["rejected"] = 40;
    makeDataset({id(1)}, meta);
    const QString rejects =
        section(DatasetExporter(*ws).card(QStringLiteral("ds_ledger")), QStringLiteral("Rejects"));
    EXPECT_TRUE(rejects.contains(QStringLiteral("| invalid | 12 |\n")));
    EXPECT_TRUE(rejects.contains(QStringLiteral("12 of 40 rejects are listed in the metadata.")));
    EXPECT_TRUE(rejects.contains(QStringLiteral("Examples (10 of 12):")));
    EXPECT_TRUE(rejects.contains(QStringLiteral("10. **invalid**: \"candidate 9\"")));
    EXPECT_FALSE(rejects.contains(QStringLiteral("candidate 10")));
}

TEST_F(DatasetExporterTest, WritesTheCardNextToTheData)
{
    makeDataset({id(1)}, fullMetadata());
    EXPECT_EQ(DatasetExporter::defaultCardPath(QStringLiteral("/tmp/out/ledger.jsonl")),
              QStringLiteral("/tmp/out/ledger.md"));
    const QString path = dir.file(QStringLiteral("ledger.md"));
    DatasetExporter(*ws).writeCard(QStringLiteral("ds_ledger"), path);
    EXPECT_EQ(QString::fromUtf8(readAll(path)),
              DatasetExporter(*ws).card(QStringLiteral("ds_ledger")));

    try {
        DatasetExporter(*ws).card(QStringLiteral("ds_nope"));
        ADD_FAILURE() << "expected WorkspaceError";
    } catch (const WorkspaceError &e) {
        EXPECT_EQ(e.kind(), WorkspaceError::Kind::NotFound);
        EXPECT_TRUE(e.message().contains(QStringLiteral("ds_nope")));
    }
}

TEST_F(DatasetExporterTest, OnlyAcceptedExportsTheAcceptedMembersAndTheCardSaysSo)
{
    makeDataset({id(4), id(1), id(2), id(3)}, fullMetadata());
    ProblemRepository problems(*ws);
    for (int n : {1, 4}) {
        Problem p = *problems.get(id(n));
        p.reviewStatus = ReviewStatus::Accepted;
        problems.update(p);
    }
    Problem rejected = *problems.get(id(2));
    rejected.reviewStatus = ReviewStatus::Rejected;
    problems.update(rejected);

    DatasetJsonlOptions options;
    options.filter.datasetId = QStringLiteral("ds_ledger");
    options.filter.reviewStatus = ReviewStatus::Accepted;
    const QList<QByteArray> lines = DatasetExporter(*ws).exportJsonlBytes(options).split('\n');
    ASSERT_EQ(lines.size(), 3); // two records and the empty tail
    EXPECT_EQ(json::parse(lines[0].toStdString())["id"], id(4).toStdString()); // member order
    EXPECT_EQ(json::parse(lines[1].toStdString())["id"], id(1).toStdString());

    DatasetCardOptions cardOptions;
    cardOptions.onlyAccepted = true;
    const QString md = DatasetExporter(*ws).card(QStringLiteral("ds_ledger"), cardOptions);
    EXPECT_TRUE(md.contains(QStringLiteral("generated with Crucible. 2 problems.\n\n"
                                           "Only the problems a reviewer accepted: 2 of the "
                                           "dataset's 4 members.")))
        << md.toStdString();
    EXPECT_TRUE(section(md, QStringLiteral("Counts"))
                    .contains(QStringLiteral("| Accepted (members) | 2 |")));
    const QString all = DatasetExporter(*ws).card(QStringLiteral("ds_ledger"));
    EXPECT_FALSE(all.contains(QStringLiteral("Only the problems a reviewer accepted")));
}

TEST_F(DatasetExporterTest, CardListsOnlyTheParametersOfTheJobKind)
{
    // Every parameter a job records (GenerationSpec::toJson), as a dataset job stores them.
    const json params = {{"kind", "dataset"},
                         {"provider", "simulated"},
                         {"model", ""},
                         {"domain", "finance"},
                         {"context", ""},
                         {"count", 4},
                         {"base_problem_id", ""},
                         {"dataset_name", "Ledger puzzles"},
                         {"per_level", 3},
                         {"target_capability", "careful reasoning"},
                         {"difficulty", "medium"},
                         {"strategies", json::array()},
                         {"factors", json::array()},
                         {"detail_level", "moderate"},
                         {"turn_limit", 6},
                         {"pict_model", ""},
                         {"strength", 2},
                         {"seed", 1},
                         {"statement_template", ""},
                         {"temperature", 0.9},
                         {"max_tokens", 1200},
                         {"dedup", false},
                         {"dedup_threshold", 0.8},
                         {"candidate_budget", 0},
                         {"concurrency", 8},
                         {"mix", {{"simple", 0.5}, {"complex", 0.5}}},
                         {"levels", {"simple", "medium", "complex"}},
                         {"roles", json::array()},
                         {"dataset_id", "ds_ledger"}};
    makeDataset({id(1)}, {{"generator", "dataset"}, {"kind", "dataset"}, {"parameters", params}});
    const QString md = section(DatasetExporter(*ws).card(QStringLiteral("ds_ledger")),
                               QStringLiteral("Parameters"));
    EXPECT_EQ(md, QStringLiteral("## Parameters\n\n| Parameter | Value |\n|---|---|\n"
                                 "| candidate_budget | 0 |\n"
                                 "| concurrency | 8 |\n"
                                 "| count | 4 |\n"
                                 "| dataset_name | Ledger puzzles |\n"
                                 "| dedup | false |\n"
                                 "| domain | finance |\n"
                                 "| max_tokens | 1200 |\n"
                                 "| mix | complex: 0.5, simple: 0.5 |\n"
                                 "| provider | simulated |\n"
                                 "| temperature | 0.9 |\n\n"));

    EXPECT_TRUE(
        DatasetExporter::parameterApplies(QStringLiteral("matrix"), QStringLiteral("pict_model")));
    EXPECT_FALSE(
        DatasetExporter::parameterApplies(QStringLiteral("dataset"), QStringLiteral("pict_model")));
    EXPECT_TRUE(DatasetExporter::parameterApplies(QStringLiteral("adversarial"),
                                                  QStringLiteral("strategies")));
    EXPECT_FALSE(
        DatasetExporter::parameterApplies(QStringLiteral("matrix"), QStringLiteral("mix")));
    // Parameters the card does not know (added later) apply to every kind.
    EXPECT_TRUE(
        DatasetExporter::parameterApplies(QStringLiteral("dataset"), QStringLiteral("budget_usd")));
}
