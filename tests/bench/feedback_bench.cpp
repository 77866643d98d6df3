// Feedback inbox and judge calibration on the Simulated provider's fitness landscape, with judge
// errors planted in how the simulated judges score (never in what they are told):
//  (a) questions worth asking: judge B scores 1 − q instead of the true quality q on a seeded
//      15 % of solutions, as confidently as elsewhere; both judges add N(0, 0.05) noise and vary
//      their confidence. The share of planted errors (|1 − 2q| ≥ 0.25, so the score is really
//      wrong) that the first 20 % of the raised questions touch, in expected-value order and in
//      random order (mean of 500 shuffles).
//  (b) fewer interruptions: questions raised per 100 evaluated solutions, and how many of them a
//      simulated person (answering digests of 10 in expected-value order from the hidden truth:
//      rating 1 + round(4q), accept iff q ≥ the threshold) never had to answer because an
//      earlier answer resolved them.
//  (c) calibration works: judge C adds +0.3 to every score (and noise); every solution gets a
//      human rating from the truth; the solutions are judged again with calibration examples in
//      the prompt, picked as scale anchors (the default) and, in a third pass, as the ratings
//      the judge got most wrong; κ of C (and of the unbiased judge A, as a control) against the
//      held-out ratings (never shown to a judge) before and after.
//  (d) judges weighted and chosen by calibration: judges A (honest), B (1 − q on 15 %) and C
//      (+0.3) score every solution; the person rates a first part of the solutions (20, 50, 100
//      and 250 of them); on the other solutions (held out: never rated when the weights are
//      computed) the error of the judges' plain mean and of the calibration-weighted consensus
//      (JudgeConsensus) against the person's rating, and the judge chooseJudge picks.
//
//   build/tests/bench/feedback_bench --solutions 500 --seed 1 [--repeats 5 --sections ab]
//   build/tests/bench/feedback_bench --solutions 500 --seed 1 --sections d

#include "core/engine/enginejobkinds.h"
#include "core/evaluate/evaluatejob.h"
#include "core/feedback/feedbackcollector.h"
#include "core/feedback/judgecalibration.h"
#include "core/feedback/judgechoice.h"
#include "core/feedback/judgeconsensus.h"
#include "core/feedback/questionraiser.h"
#include "core/llm/llmclient.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "core/llm/simulated/rng.h"
#include "core/model/jsonsupport.h"
#include "core/store/jobrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/support/evaluationfixture.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

using namespace crucible;
using nlohmann::json;

namespace {

const QStringList kAspects = {QStringLiteral("correctness"), QStringLiteral("completeness")};

struct World
{
    QTemporaryDir dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<test::EvaluationFixture> fx;
    QStringList solutions;
    std::map<QString, double> truth; // solution → hidden quality q
    QString judgeA, judgeB, judgeC;
};

void build(World &w, int n, quint64 seed)
{
    w.ws = Workspace::open(w.dir.filePath(QStringLiteral("bench.crucible")),
                           Workspace::Mode::CreateIfMissing);
    w.fx = std::make_unique<test::EvaluationFixture>(*w.ws);
    const QString gen =
        w.fx->version(w.fx->agent(QStringLiteral("generator"), QStringLiteral("Generator")));
    w.judgeA = w.fx->version(w.fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge A")));
    w.judgeB = w.fx->version(w.fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge B")));
    w.judgeC = w.fx->version(w.fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge C")));
    QStringList problems;
    for (int p = 1; p <= std::max(1, n / 10); ++p)
        problems << w.fx->problem(p);
    simulated::Rng rng(seed);
    for (int i = 0; i < n; ++i) {
        const double q = 0.05 + 0.9 * rng.unit();
        QStringList words;
        for (int k = 0; k < 12; ++k)
            words << QStringLiteral("w%1x%2").arg(i).arg(rng.below(100000));
        const json doc = {
            {"approach", words.join(u' ').toStdString()},
            {"steps", {QStringLiteral("Step for solution %1").arg(i).toStdString()}},
            {"final_answer", QStringLiteral("Answer %1").arg(i).toStdString()},
            {"assumptions", {simulated::FitnessLandscape::qualityText(q).toStdString()}}};
        const QString id = w.fx->solution(problems[i % problems.size()], gen, doc);
        w.solutions << id;
        w.truth[id] = q;
    }
}

json evaluate(World &w, LlmClient &client, const PromptTemplates &templates,
              const QStringList &judges, int examples, const char *choice = "anchors")
{
    json params = {{"solutions", json::array()},  {"judges", json::array()},
                   {"aspects", json::array()},    {"provider", "simulated"},
                   {"concurrency", 16},           {"calibration_examples", examples},
                   {"calibration_choice", choice}};
    for (const QString &s : w.solutions)
        params["solutions"].push_back(s.toStdString());
    for (const QString &j : judges)
        params["judges"].push_back(j.toStdString());
    for (const QString &a : kAspects)
        params["aspects"].push_back(a.toStdString());
    const QString jobId = EvaluateJob::create(*w.ws, params);
    auto job = enginejobkinds::find(QString::fromLatin1(EvaluateJob::kKind))
                   ->make(*w.ws, client, templates);
    const EngineJobResult result = QCoro::waitFor(job->run(jobId));
    client.flushLedger();
    return {{"job_id", jobId.toStdString()}, {"summary", result.summary}};
}

std::shared_ptr<SimulatedProvider> provider(quint64 seed, simulated::JudgeFlaws flaws)
{
    SimulatedProvider::Options sim;
    sim.latencyMs = 0;
    sim.jitterMs = 0;
    sim.landscapeSeed = seed;
    sim.judgeFlaws = std::move(flaws);
    return std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), sim);
}

simulated::JudgeFlaw honest()
{
    simulated::JudgeFlaw f;
    f.noise = 0.05;
    f.confidenceLow = 0.45;
    f.confidenceHigh = 0.95;
    return f;
}

// Judge B's flaw: 1 − q on a seeded 15 % of the solutions.
simulated::JudgeFlaw inverting()
{
    simulated::JudgeFlaw f = honest();
    f.share = 0.15;
    f.invert = true;
    return f;
}

// Judge C's flaw: +0.3 on every score.
simulated::JudgeFlaw lenient()
{
    simulated::JudgeFlaw f = honest();
    f.share = 1.0;
    f.offset = 0.3;
    return f;
}

// A client of the simulated provider with these flaws, recording into the world's workspace.
std::unique_ptr<LlmClient> clientFor(World &w, std::shared_ptr<SimulatedProvider> sim)
{
    auto client = std::make_unique<LlmClient>(PriceTable{});
    client->addProvider(std::move(sim));
    client->setLedger(w.ws.get());
    return client;
}

struct Coverage
{
    double valueOrder = 0;
    double randomOrder = 0;
    double perHundred = 0;
    double resolvedShare = 0;
};

Coverage sectionAB(int n, quint64 seed)
{
    World w;
    build(w, n, seed);
    simulated::JudgeFlaws flaws;
    flaws[w.judgeA] = honest();
    flaws[w.judgeB] = inverting();
    const auto sim = provider(seed, flaws);
    const auto client = clientFor(w, sim);
    const PromptTemplates templates;
    const json run = evaluate(w, *client, templates, {w.judgeA, w.judgeB}, 0);
    const QString jobId = QString::fromStdString(run["job_id"].get<std::string>());

    // The planted errors the raiser is not told about.
    std::set<QString> planted;
    SolutionRepository solutions(*w.ws);
    for (const QString &s : w.solutions) {
        const double q = w.truth[s];
        if (sim->landscape()->flawed(w.judgeB, solutions.get(s)->toText()) &&
            std::abs(1 - 2 * q) >= 0.25)
            planted.insert(s);
    }
    const RaiseReport raised = QuestionRaiser(*w.ws).fromJob(jobId);
    FeedbackStore store(*w.ws);
    const std::vector<FeedbackQuestion> ranked = store.questions({});
    const size_t head = std::max<size_t>(1, (ranked.size() + 4) / 5);
    auto coverage = [&](const std::vector<FeedbackQuestion> &order) {
        std::set<QString> hit;
        for (size_t i = 0; i < std::min(head, order.size()); ++i)
            if (planted.count(order[i].solutionId))
                hit.insert(order[i].solutionId);
        return planted.empty() ? 0.0 : static_cast<double>(hit.size()) / planted.size();
    };
    std::set<QString> anyQuestion;
    for (const FeedbackQuestion &q : ranked)
        if (planted.count(q.solutionId))
            anyQuestion.insert(q.solutionId);
    simulated::Rng shuffleRng(seed ^ 0x5eedULL);
    double randomSum = 0;
    constexpr int kShuffles = 500;
    for (int r = 0; r < kShuffles; ++r) {
        std::vector<FeedbackQuestion> order = ranked;
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[shuffleRng.below(i)]);
        randomSum += coverage(order);
    }
    std::printf("(a) %d solutions, 2 judges, %zu planted errors (judge B scores 1 - q, |1 - 2q| >= "
                "0.25)\n",
                n, planted.size());
    std::printf("    questions raised: %d (", raised.raised);
    for (const auto &[kind, count] : raised.byKind)
        std::printf(" %s %d", kind.toUtf8().constData(), count);
    std::printf(" ); first 20 %% = %zu questions\n", head);
    std::printf("    planted errors with any question: %.1f %%\n",
                planted.empty() ? 0.0 : 100.0 * anyQuestion.size() / planted.size());
    Coverage out;
    out.valueOrder = coverage(ranked);
    out.randomOrder = randomSum / kShuffles;
    std::printf("    covered by the first 20 %%: expected-value order %.1f %%, random order %.1f "
                "%% (mean of %d shuffles), at most %.1f %% (%zu questions for %zu errors)\n",
                100 * coverage(ranked), 100 * randomSum / kShuffles, kShuffles,
                planted.empty() ? 0.0
                                : 100.0 * std::min<size_t>(head, planted.size()) / planted.size(),
                head, planted.size());

    // (b) a person answers digests of 10 from the hidden truth until nothing is open.
    FeedbackCollector inbox(*w.ws);
    inbox.setDigestSize(10);
    inbox.setCadenceMinutes(0);
    const RaiseOptions options;
    int answered = 0, digests = 0;
    for (;;) {
        const DigestView d = inbox.digest(jsonio::nowUtc(), true);
        if (d.questions.empty())
            break;
        ++digests;
        for (const FeedbackQuestion &q : d.questions) {
            if (!inbox.question(q.id).isOpen(jsonio::nowUtc()))
                continue; // resolved by an answer earlier in this digest
            AnswerValue v;
            v.type = q.answerType;
            const double truth = q.solutionId.isEmpty() ? 0.5 : w.truth[q.solutionId];
            if (q.answerType == AnswerType::Rating)
                for (const QString &a : q.ratedAspects())
                    v.ratings[a] = agreement::scoreToRating(truth);
            else if (q.answerType == AnswerType::YesNo)
                v.yes = truth >= options.acceptThreshold;
            else if (q.answerType == AnswerType::Choice)
                v.choice = QStringLiteral("tie");
            else
                v.text = QStringLiteral("a criterion from the person");
            inbox.answer(q.id, v);
            ++answered;
        }
    }
    const int resolved = store.count(QuestionStatus::Resolved);
    out.perHundred = 100.0 * raised.raised / n;
    out.resolvedShare = raised.raised ? static_cast<double>(resolved) / raised.raised : 0.0;
    std::printf("(b) questions per 100 evaluated solutions: %.1f; the person answered %d in %d "
                "digest(s) (%.1f per 100 solutions); %d (%.1f %%) were resolved by earlier "
                "answers\n",
                100.0 * raised.raised / n, answered, digests, 100.0 * answered / n, resolved,
                raised.raised ? 100.0 * resolved / raised.raised : 0.0);
    CalibrationOptions co;
    co.resamples = 500;
    for (const JudgeAspectCalibration &r : JudgeCalibration(*w.ws).report(co).rows)
        if (r.aspect == kAspects[0])
            std::printf("    after answering: %s κ %.2f [%.2f, %.2f] on %d inbox ratings, weight "
                        "%.2f\n",
                        r.judgeName.toUtf8().constData(), r.kappa.value, r.kappa.low, r.kappa.high,
                        r.kappa.n, r.weight);
    return out;
}

void sectionC(int n, quint64 seed, int examples)
{
    World w;
    build(w, n, seed + 1);
    simulated::JudgeFlaws flaws;
    flaws[w.judgeA] = honest();
    flaws[w.judgeC] = lenient();
    const auto client = clientFor(w, provider(seed, flaws));
    const PromptTemplates templates;
    evaluate(w, *client, templates, {w.judgeA, w.judgeC}, 0);
    VerdictRepository repo(*w.ws);
    int held = 0;
    for (const QString &s : w.solutions) {
        for (const QString &a : kAspects)
            repo.setJudgment(s, a, agreement::scoreToRating(w.truth[s]), {});
        held += JudgeCalibration::isPromptExample(s) ? 0 : 1;
    }
    std::printf("(c) %d solutions, %d held-out ratings (never in a prompt); judge C adds +0.3; "
                "%d calibration example(s) per prompt\n",
                n, held, examples);
    for (const char *choice : {"anchors", "largest_gap"}) {
        evaluate(w, *client, templates, {w.judgeA, w.judgeC}, examples, choice);
        CalibrationOptions co;
        co.resamples = 1000;
        co.aspect = kAspects[0];
        for (const JudgeAspectCalibration &r : JudgeCalibration(*w.ws).report(co).rows)
            std::printf(
                "    examples %-11s %s: held-out κ before %.2f [%.2f, %.2f] (n=%d) -> after "
                "%.2f [%.2f, %.2f] (n=%d)\n",
                choice, r.judgeName.toUtf8().constData(), r.heldOutBefore.value,
                r.heldOutBefore.low, r.heldOutBefore.high, r.heldOutBefore.n, r.heldOutAfter.value,
                r.heldOutAfter.low, r.heldOutAfter.high, r.heldOutAfter.n);
    }
}

void sectionD(int n, quint64 seed)
{
    World w;
    build(w, n, seed + 2);
    simulated::JudgeFlaws flaws;
    flaws[w.judgeA] = honest();
    flaws[w.judgeB] = inverting();
    flaws[w.judgeC] = lenient();
    const auto client = clientFor(w, provider(seed, flaws));
    const PromptTemplates templates;
    evaluate(w, *client, templates, {w.judgeA, w.judgeB, w.judgeC}, 0);
    const std::map<QString, QString> names = {{w.judgeA, QStringLiteral("A")},
                                              {w.judgeB, QStringLiteral("B")},
                                              {w.judgeC, QStringLiteral("C")}};
    // The held-out solutions: the last fifth, never rated.
    const int heldFrom = n - n / 5;
    std::printf("(d) %d solutions, judges A (honest), B (1 - q on 15 %%), C (+0.3); error against "
                "the person's rating (0..1 scale) on the %d held-out solutions\n",
                n, n - heldFrom);
    VerdictRepository repo(*w.ws);
    std::map<QString, std::vector<Verdict>> verdicts;
    for (int i = heldFrom; i < n; ++i)
        verdicts[w.solutions[i]] = repo.forSolution(w.solutions[i]);
    int rated = 0;
    for (const int target : {0, 20, 50, 100, 250, heldFrom}) {
        if (target > heldFrom || target < rated)
            continue;
        for (; rated < target; ++rated)
            for (const QString &a : kAspects)
                repo.setJudgment(w.solutions[rated], a,
                                 agreement::scoreToRating(w.truth[w.solutions[rated]]), {});
        const JudgeConsensus consensus = JudgeConsensus::fromWorkspace(*w.ws);
        const auto choice = chooseJudge(*w.ws);
        double plainAbs = 0, weightedAbs = 0, plainSq = 0, weightedSq = 0, chosenAbs = 0;
        int count = 0;
        for (const auto &[solutionId, list] : verdicts) {
            const auto c = consensus.overall(list);
            if (!c)
                continue;
            const double person =
                agreement::ratingToScore(agreement::scoreToRating(w.truth[solutionId]));
            plainAbs += std::abs(c->plainMean - person);
            weightedAbs += std::abs(c->score - person);
            plainSq += (c->plainMean - person) * (c->plainMean - person);
            weightedSq += (c->score - person) * (c->score - person);
            for (const ConsensusPart &part : c->parts)
                if (choice && part.judgeVersionId == choice->versionId)
                    chosenAbs += std::abs(part.score - person);
            ++count;
        }
        std::printf("    %3d rated: MAE plain %.3f, weighted %.3f, chosen judge alone %.3f; RMSE "
                    "plain %.3f, weighted %.3f; weights A %.2f B %.2f C %.2f; chosen judge %s%s\n",
                    rated, plainAbs / count, weightedAbs / count, chosenAbs / count,
                    std::sqrt(plainSq / count), std::sqrt(weightedSq / count),
                    consensus.weight(w.judgeA), consensus.weight(w.judgeB),
                    consensus.weight(w.judgeC),
                    choice ? names.at(choice->versionId).toUtf8().constData() : "-",
                    choice && choice->calibrated ? QStringLiteral(" (κ %1 over %2 ratings)")
                                                       .arg(choice->kappa, 0, 'f', 2)
                                                       .arg(choice->ratings)
                                                       .toUtf8()
                                                       .constData()
                                                 : " (newest: not enough ratings)");
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption solutionsOption(QStringLiteral("solutions"),
                                             QStringLiteral("Solutions to evaluate"),
                                             QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed"),
                                        QStringLiteral("s"), QStringLiteral("7"));
    const QCommandLineOption examplesOption(QStringLiteral("examples"),
                                            QStringLiteral("Calibration examples per prompt"),
                                            QStringLiteral("k"), QStringLiteral("3"));
    const QCommandLineOption sectionsOption(
        QStringLiteral("sections"), QStringLiteral("Which of a, b, c, d (a and b run together)"),
        QStringLiteral("abcd"), QStringLiteral("abcd"));
    const QCommandLineOption repeatsOption(QStringLiteral("repeats"),
                                           QStringLiteral("Runs of sections a and b"),
                                           QStringLiteral("r"), QStringLiteral("1"));
    parser.addOptions({solutionsOption, seedOption, examplesOption, sectionsOption, repeatsOption});
    parser.process(app);
    const int n = std::max(10, parser.value(solutionsOption).toInt());
    const quint64 seed = parser.value(seedOption).toULongLong();
    const QString sections = parser.value(sectionsOption);
    if (sections.contains(u'a') || sections.contains(u'b')) {
        // The job ids are random and the simulated judges' noise follows the requests, which
        // carry them: repeat to see the spread.
        const int repeats = std::max(1, parser.value(repeatsOption).toInt());
        std::vector<Coverage> runs;
        for (int r = 0; r < repeats; ++r)
            runs.push_back(sectionAB(n, seed));
        if (repeats > 1) {
            auto summary = [&runs](const char *what, double Coverage::*field, double scale) {
                double sum = 0, lo = 1e9, hi = -1e9;
                for (const Coverage &c : runs) {
                    sum += c.*field * scale;
                    lo = std::min(lo, c.*field * scale);
                    hi = std::max(hi, c.*field * scale);
                }
                std::printf("    %s: mean %.1f, range %.1f to %.1f\n", what,
                            sum / static_cast<double>(runs.size()), lo, hi);
            };
            std::printf("over %d runs of seed %llu:\n", repeats,
                        static_cast<unsigned long long>(seed));
            summary("first 20 %, expected-value order (%)", &Coverage::valueOrder, 100);
            summary("first 20 %, random order (%)", &Coverage::randomOrder, 100);
            summary("questions per 100 solutions", &Coverage::perHundred, 1);
            summary("resolved by an earlier answer (%)", &Coverage::resolvedShare, 100);
        }
    }
    if (sections.contains(u'c'))
        sectionC(n, seed, parser.value(examplesOption).toInt());
    if (sections.contains(u'd'))
        sectionD(n, seed);
    return 0;
}
