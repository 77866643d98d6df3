// Typed unit keys of generation jobs: their stored form, and jobs whose units were written
// before typed keys existed (the group name only) resuming without losing or repeating a unit.

#include "core/generate/generationjob.h"
#include "core/generate/strategies/generationunitkey.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

#include <set>

using namespace crucible;
using crucible::test::TempFolder;
using nlohmann::json;

namespace {

const QString kModel =
    QStringLiteral("Channel: Email, Chat, Phone\nTier: Free, Pro\nIssue: Billing, Bug, Outage\n");

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("w.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};

    Fixture()
    {
        client.setLedger(ws.get());
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    }

    GenerationResult run(const QString &jobId)
    {
        GenerationJob job(*ws, client, templates);
        return QCoro::waitFor(job.run(jobId));
    }

    // A unit as the code before typed keys wrote it: the group name, and the input
    // {"group", "avoid"} without a key.
    void startLegacyUnit(const QString &jobId, int unit, const QString &group)
    {
        JobUnit u;
        u.unit = unit;
        u.group = group;
        u.input = {{"group", group.toStdString()}, {"avoid", json::array()}};
        JobRepository(*ws).startUnit(jobId, u);
    }
};

} // namespace

TEST(GenerationUnitKey, GroupNamesAreTheOnesJobsAlwaysStored)
{
    EXPECT_EQ(GenerationUnitKey::forKind(GenerationKind::Seeds).groupName(),
              QStringLiteral("seeds"));
    EXPECT_EQ(GenerationUnitKey::forLevel(GenerationKind::Dataset, Complexity::Complex).groupName(),
              QStringLiteral("complex"));
    EXPECT_EQ(GenerationUnitKey::forStrategy(QStringLiteral("edge_case")).groupName(),
              QStringLiteral("edge_case"));
    EXPECT_EQ(GenerationUnitKey::forRow(12).groupName(), QStringLiteral("row 12"));
}

TEST(GenerationUnitKey, RoundTripsThroughTheStoredUnit)
{
    const std::vector<GenerationUnitKey> keys = {
        GenerationUnitKey::forKind(GenerationKind::Seeds),
        GenerationUnitKey::forKind(GenerationKind::Expand),
        GenerationUnitKey::forKind(GenerationKind::Interactions),
        GenerationUnitKey::forLevel(GenerationKind::Dataset, Complexity::Simple),
        GenerationUnitKey::forLevel(GenerationKind::Variations, Complexity::Medium),
        GenerationUnitKey::forStrategy(QStringLiteral("boundary")),
        GenerationUnitKey::forRow(0),
        GenerationUnitKey::forRow(41),
    };
    for (const auto &key : keys) {
        JobUnit unit;
        unit.input = {{"avoid", json::array({"x"})}};
        key.writeTo(unit);
        EXPECT_EQ(unit.group, key.groupName());
        EXPECT_EQ(unit.input["avoid"], json::array({"x"})) << "the rest of the input is kept";
        const auto back = GenerationUnitKey::readFrom(key.kind, unit);
        ASSERT_TRUE(back) << unit.input.dump();
        EXPECT_EQ(*back, key) << unit.input.dump();
        // Stored as JSON text and read back, as the workspace does.
        EXPECT_EQ(GenerationUnitKey::fromJson(json::parse(unit.input["key"].dump())), key);
    }
}

TEST(GenerationUnitKey, ReadsGroupNamesOfUnitsWrittenBeforeKeys)
{
    auto legacy = [](GenerationKind kind, const char *group) {
        JobUnit u;
        u.group = QString::fromLatin1(group);
        u.input = {{"group", group}, {"avoid", json::array()}};
        return GenerationUnitKey::readFrom(kind, u);
    };
    EXPECT_EQ(legacy(GenerationKind::Matrix, "row 7"), GenerationUnitKey::forRow(7));
    EXPECT_EQ(legacy(GenerationKind::Dataset, "complex"),
              GenerationUnitKey::forLevel(GenerationKind::Dataset, Complexity::Complex));
    EXPECT_EQ(legacy(GenerationKind::Variations, "simple"),
              GenerationUnitKey::forLevel(GenerationKind::Variations, Complexity::Simple));
    EXPECT_EQ(legacy(GenerationKind::Adversarial, "edge_case"),
              GenerationUnitKey::forStrategy(QStringLiteral("edge_case")));
    EXPECT_EQ(legacy(GenerationKind::Seeds, "seeds"),
              GenerationUnitKey::forKind(GenerationKind::Seeds));
    // Names that are no unit of the kind read as nothing rather than as a wrong unit.
    EXPECT_FALSE(legacy(GenerationKind::Matrix, "row x"));
    EXPECT_FALSE(legacy(GenerationKind::Matrix, "row -1"));
    EXPECT_FALSE(legacy(GenerationKind::Matrix, "complex"));
    EXPECT_FALSE(legacy(GenerationKind::Dataset, "row 1"));
    EXPECT_FALSE(legacy(GenerationKind::Seeds, "expand"));
    // A key of another kind is not taken for one of this kind.
    JobUnit u;
    GenerationUnitKey::forRow(3).writeTo(u);
    EXPECT_FALSE(GenerationUnitKey::readFrom(GenerationKind::Dataset, u));
}

TEST(GenerationUnitKey, MatrixJobWrittenByTheOldCodeResumesRowByRow)
{
    Fixture f;
    GenerationSpec s;
    s.kind = GenerationKind::Matrix;
    s.domain = QStringLiteral("support");
    s.pictModel = kModel;
    s.statementTemplate = QStringLiteral("A {Tier} customer reports a {Issue} issue by {Channel}.");
    const QString jobId = GenerationJob::create(*f.ws, s);
    const auto job = JobRepository(*f.ws).get(jobId);
    ASSERT_TRUE(job);
    const json rows = job->params["matrix"]["rows"];
    ASSERT_GE(rows.size(), 6u);

    // The old code's state at a kill: row 0 done (its problem stored), rows 1 and 2 started.
    Problem done = test::makeProblem(1, QStringLiteral("support"));
    done.origin = ProblemOrigin::Matrix;
    done.metadata = {{"job_id", jobId.toStdString()}, {"unit", 0}};
    ProblemRepository(*f.ws).insert(done);
    f.startLegacyUnit(jobId, 0, QStringLiteral("row 0"));
    JobRepository(*f.ws).finishUnit(jobId, 0,
                                    {{"accepted", json::array({done.id.toStdString()})},
                                     {"rejects", json::array()},
                                     {"calls", 0}});
    f.startLegacyUnit(jobId, 1, QStringLiteral("row 1"));
    f.startLegacyUnit(jobId, 2, QStringLiteral("row 2"));

    const GenerationResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), rows.size()) << "one problem per row, row 0 not made again";
    EXPECT_EQ(r.problemIds.front(), done.id);

    // Every other row made exactly once, by the unit that was started for it.
    std::set<int> madeRows;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds) {
        if (id == done.id)
            continue;
        const auto p = repo.get(id);
        ASSERT_TRUE(p);
        const int row = p->metadata["matrix"]["row"].get<int>();
        EXPECT_TRUE(madeRows.insert(row).second) << "row " << row << " made twice";
        EXPECT_EQ(p->metadata["parameters"]["group"], "row " + std::to_string(row));
        EXPECT_EQ(p->matrixCell.at(QStringLiteral("Channel")).toStdString(),
                  rows[static_cast<std::size_t>(row)][0].get<std::string>());
        if (row == 1 || row == 2) {
            EXPECT_EQ(p->metadata["unit"].get<int>(), row) << "the started unit ran again";
        }
    }
    EXPECT_EQ(madeRows.size(), rows.size() - 1);
    EXPECT_FALSE(madeRows.count(0));

    // New units carry the typed key next to the group name.
    for (const JobUnit &u : JobRepository(*f.ws).units(jobId)) {
        if (u.unit < 3)
            continue;
        ASSERT_TRUE(u.input.contains("key")) << u.input.dump();
        EXPECT_EQ(u.input["key"]["kind"], "matrix");
        EXPECT_EQ(u.group, QStringLiteral("row %1").arg(u.input["key"]["row"].get<int>()));
    }
    EXPECT_TRUE(DatasetRepository(*f.ws).get(r.datasetId));
}

TEST(GenerationUnitKey, DatasetJobWrittenByTheOldCodeKeepsItsMix)
{
    Fixture f;
    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.domain = QStringLiteral("harbours");
    s.count = 6;
    s.mix = {{Complexity::Simple, 1.0 / 3},
             {Complexity::Medium, 1.0 / 3},
             {Complexity::Complex, 1.0 / 3}};
    s.providerId = ProviderFactory::simulatedDefault().id;
    s.concurrency = 2;
    const QString jobId = GenerationJob::create(*f.ws, s);
    // Killed by the old code with two "complex" units in flight.
    f.startLegacyUnit(jobId, 0, QStringLiteral("complex"));
    f.startLegacyUnit(jobId, 1, QStringLiteral("complex"));

    const GenerationResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 6);
    std::map<Complexity, int> byLevel;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        ASSERT_TRUE(p);
        ++byLevel[p->complexity];
        const int unit = p->metadata["unit"].get<int>();
        if (unit < 2) {
            EXPECT_EQ(p->complexity, Complexity::Complex) << "the legacy unit kept its level";
        }
    }
    EXPECT_EQ(byLevel[Complexity::Simple], 2);
    EXPECT_EQ(byLevel[Complexity::Medium], 2);
    EXPECT_EQ(byLevel[Complexity::Complex], 2);
    EXPECT_EQ(r.summary["counts"]["by_complexity"]["complex"], 2);
}
