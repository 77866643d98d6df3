// The LLM summary of a training run: written from the run's measurements (the prompt carries
// them and the held-out interval), stored in the run, and then part of every report, labelled as
// the model's; an answer that stays invalid writes nothing; a run without cycles is refused.

#include "core/evolve/evolutionmonitor.h"
#include "core/evolve/runsummaryjob.h"
#include "core/llm/llmclient.h"
#include "core/llm/pricetable.h"
#include "core/model/validationerror.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/workspace.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <gtest/gtest.h>

using namespace crucible;
using evolve::EvolutionMonitor;
using evolve::RunSummaryJob;
using nlohmann::json;

namespace {

struct Fixture
{
    test::TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("s.crucible")));
    LlmClient client{PriceTable::withUserOverrides()};
    std::shared_ptr<test::ScriptedProvider> provider;
    PromptTemplates templates;

    Fixture()
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("p"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("m");
        provider = std::make_shared<test::ScriptedProvider>(c);
        client.addProvider(provider);
        client.setLedger(ws.get());
        TrainingRun run;
        run.id = QStringLiteral("trn_s");
        run.name = QStringLiteral("train Solver (reflective)");
        run.state = TrainingRun::State::Finished;
        run.config = {
            {"domain", "logistics"},
            {"optimizer", "reflective"},
            {"budget_calls", 100},
            {"report",
             {{"test", {{"problems", 9}, {"improvement", 0.12}, {"ci95", {0.05, 0.2}}}}}}};
        for (int c = 0; c < 4; ++c)
            run.metrics.push_back({{"cycle", c},
                                   {"accepted", c == 2},
                                   {"calls_used", 10 * (c + 1)},
                                   {"best_validation", c < 2 ? 0.5 : 0.6}});
        EntityStore(*ws).put(run);
    }

    EngineJobResult summarise()
    {
        const QString id =
            RunSummaryJob::create(*ws, {{"run_id", "trn_s"}, {"provider", "p"}, {"model", "m"}});
        RunSummaryJob job(*ws, client, templates);
        return QCoro::waitFor(job.run(id));
    }
};

const json kSummary = {
    {"summary", "The run improved the held-out score by 0.12 (95 % interval 0.05 to 0.20) over "
                "nine problems."},
    {"highlights", {"The best version was found at cycle 2."}},
    {"risks", {"Nine held-out problems are few."}},
    {"next_steps", {"Generate more problems and run again."}}};

} // namespace

TEST(RunSummaryJob, WritesTheSummaryFromTheMeasurementsAndEveryReportIncludesIt)
{
    Fixture f;
    f.provider->pushOk(QString::fromStdString(kSummary.dump()));
    const EngineJobResult r = f.summarise();
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(f.provider->calls(), 1);
    // The prompt carries the measurements and the held-out interval, nothing invented.
    const QString prompt = f.provider->requests().front().messages.back().content;
    EXPECT_TRUE(prompt.contains(QStringLiteral("0.120"))) << prompt.toStdString();
    EXPECT_TRUE(prompt.contains(QStringLiteral("0.050 to 0.200"))) << prompt.toStdString();
    EXPECT_TRUE(prompt.contains(QStringLiteral("calls used: 40 of 100"))) << prompt.toStdString();

    const auto run = EntityStore(*f.ws).get<TrainingRun>(QStringLiteral("trn_s"));
    ASSERT_TRUE(run);
    const json &stored = run->config["summary"];
    EXPECT_EQ(stored["summary"], kSummary["summary"]);
    EXPECT_EQ(stored["model"], "m");
    EXPECT_EQ(stored["cycles"], 4);
    const auto s = EvolutionMonitor::status(*run);
    const QString md = EvolutionMonitor::toMarkdown(s);
    EXPECT_TRUE(md.contains(QStringLiteral("## Summary"))) << md.toStdString();
    EXPECT_TRUE(md.contains(QStringLiteral("Written by the model m"))) << md.toStdString();
    EXPECT_TRUE(md.contains(QStringLiteral("- Nine held-out problems are few.")))
        << md.toStdString();
    EXPECT_TRUE(EvolutionMonitor::toHtml(s).contains(QStringLiteral("Risks and caveats")));
    EXPECT_EQ(EvolutionMonitor::toJson(s)["summary"]["next_steps"].size(), 1u);
}

TEST(RunSummaryJob, AnAnswerThatStaysInvalidWritesNothing)
{
    Fixture f;
    for (int i = 0; i < 4; ++i) // the answer and every repair: too short a summary
        f.provider->pushOk(QStringLiteral(
            R"({"summary": "ok", "highlights": [], "risks": [], "next_steps": []})"));
    const EngineJobResult r = f.summarise();
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_TRUE(r.error.contains(QStringLiteral("could not be used"))) << r.error.toStdString();
    const auto run = EntityStore(*f.ws).get<TrainingRun>(QStringLiteral("trn_s"));
    EXPECT_FALSE(run->config.contains("summary"));
    EXPECT_FALSE(EvolutionMonitor::toMarkdown(EvolutionMonitor::status(*run))
                     .contains(QStringLiteral("## Summary")));
}

TEST(RunSummaryJob, ARunWithoutCyclesOrAnUnknownRunIsRefused)
{
    Fixture f;
    TrainingRun empty;
    empty.id = QStringLiteral("trn_empty");
    EntityStore(*f.ws).put(empty);
    EXPECT_THROW(RunSummaryJob::create(*f.ws, {{"run_id", "trn_empty"}}), ValidationError);
    EXPECT_THROW(RunSummaryJob::create(*f.ws, {{"run_id", "trn_nope"}}), ValidationError);
    EXPECT_THROW(RunSummaryJob::create(*f.ws, json::object()), ValidationError);
    EXPECT_EQ(f.provider->calls(), 0);
}
