#include "tests/support/evaluationfixture.h"

#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>
#include <QVariant>
#include <stdexcept>

namespace crucible::test {

using nlohmann::json;

namespace {

const QString kNow = QStringLiteral("2026-12-03T12:00:00Z");

QString dump(const json &j)
{
    return QString::fromStdString(j.dump());
}

} // namespace

EvaluationFixture::EvaluationFixture(Workspace &ws)
    : m_ws(ws)
{
}

QString EvaluationFixture::nextId(const char *prefix)
{
    // Several fixtures may write to one workspace: skip ids that are taken.
    static const std::map<std::string, const char *> tables = {
        {"agt", "agents"},      {"agv", "agent_versions"}, {"sol", "solutions"},
        {"crt", "critiques"},   {"vrd", "verdicts"},       {"hjd", "human_judgments"},
        {"trn", "tournaments"}, {"cmp", "comparisons"},    {"prf", "preference_pairs"}};
    for (;;) {
        const QString id =
            QStringLiteral("%1_%2").arg(QString::fromUtf8(prefix)).arg(++m_counters[prefix]);
        QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE id = ?")
                                       .arg(QString::fromUtf8(tables.at(prefix))));
        q.bindValue(0, id);
        Workspace::execPrepared(q, QStringLiteral("Checking a test id"));
        if (!q.next())
            return id;
    }
}

void EvaluationFixture::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery q = m_ws.prepare(sql);
    // A null QString binds as SQL NULL; the text columns want '' for "none".
    for (int i = 0; i < values.size(); ++i) {
        const QVariant &v = values[i];
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            q.bindValue(i, QString(QLatin1String("")));
        else
            q.bindValue(i, v);
    }
    Workspace::execPrepared(q, QStringLiteral("Writing a test row"));
}

QString EvaluationFixture::problem(int n, const QString &review, const QString &baseProblemId)
{
    Problem p = makeProblem(n);
    if (!baseProblemId.isEmpty()) {
        p.origin = ProblemOrigin::Variation;
        p.baseProblemId = baseProblemId;
    }
    ProblemRepository(m_ws).insert(p);
    if (review != QLatin1String("unreviewed"))
        exec(QStringLiteral("UPDATE problems SET review_status = ? WHERE id = ?"), {review, p.id});
    return p.id;
}

void EvaluationFixture::addToDataset(const QString &datasetId, const QString &name,
                                     const QStringList &problems)
{
    Dataset d;
    d.id = datasetId;
    d.name = name;
    d.problemIds = problems;
    DatasetRepository(m_ws).insert(d);
}

QString EvaluationFixture::agent(const QString &role, const QString &name,
                                 const QString &clonedFrom)
{
    const QString id = nextId("agt");
    exec(QStringLiteral("INSERT INTO agents (id, role, name, cloned_from, created_at, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
         {id, role, name, clonedFrom, kNow, kNow});
    return id;
}

QString EvaluationFixture::version(const QString &agentId, const QString &parent,
                                   const json &traits)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "SELECT a.role, a.name, a.cloned_from, a.head_version_id, "
        "(SELECT COALESCE(MAX(version), 0) FROM agent_versions v WHERE v.agent_id = a.id) "
        "FROM agents a WHERE a.id = ?"));
    q.bindValue(0, agentId);
    Workspace::execPrepared(q, QStringLiteral("Reading a test agent"));
    if (!q.next())
        throw std::runtime_error("no agent " + agentId.toStdString());
    const QString role = q.value(0).toString();
    const QString name = q.value(1).toString();
    const int number = q.value(4).toInt() + 1;
    QString parentId = parent;
    if (parentId.isEmpty())
        parentId = number == 1 ? q.value(2).toString() : q.value(3).toString();

    const QString id = nextId("agv");
    const json doc = {{"role", role.toStdString()},
                      {"identity",
                       {{"name", name.toStdString()},
                        {"specialization", "ledgers"},
                        {"description", "A test agent"}}},
                      {"traits", traits},
                      {"communication_style", "plain"},
                      {"knowledge_domains", {"testing"}}};
    exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, parent_version_id, "
                        "doc, system_prompt, prompt_template, created_at) VALUES (?, ?, ?, ?, ?, "
                        "?, ?, ?)"),
         {id, agentId, number, parentId, dump(doc),
          QStringLiteral("You are %1, version %2.").arg(name).arg(number),
          QStringLiteral("agent.system@1"), kNow});
    exec(QStringLiteral("UPDATE agents SET head_version_id = ? WHERE id = ?"), {id, agentId});
    return id;
}

json EvaluationFixture::solutionDoc(const QString &answer)
{
    return {{"approach", "Work through the ledger."},
            {"steps", {"Read the entries", "Add them up"}},
            {"final_answer", answer.toStdString()},
            {"assumptions", {"Amounts are in USD"}}};
}

QString EvaluationFixture::solution(const QString &problemId, const QString &versionId,
                                    const json &doc, const QString &refinedFrom,
                                    const QString &critiqueId)
{
    const QString id = nextId("sol");
    const QString text = QString::fromStdString(doc.dump());
    exec(QStringLiteral("INSERT INTO solutions (id, problem_id, agent_version_id, stage, "
                        "refined_from, critique_id, doc, text_length, cost_usd, tokens, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
         {id, problemId, versionId,
          refinedFrom.isEmpty() ? QStringLiteral("solve") : QStringLiteral("refine"), refinedFrom,
          critiqueId, text, text.size(), 0.0012, 345, kNow});
    return id;
}

QString EvaluationFixture::critique(const QString &solutionId, const QString &versionId,
                                    const QString &summary)
{
    const QString id = nextId("crt");
    const json doc = {{"summary", summary.toStdString()},
                      {"issues",
                       {{{"severity", "major"},
                         {"criterion", "budget under 100"},
                         {"description", "The total exceeds the budget."},
                         {"suggestion", "Drop the optional item."}}}},
                      {"verdict", "revise"}};
    exec(QStringLiteral("INSERT INTO critiques (id, solution_id, agent_version_id, doc, "
                        "created_at) VALUES (?, ?, ?, ?, ?)"),
         {id, solutionId, versionId, dump(doc), kNow});
    return id;
}

QString EvaluationFixture::verdict(const QString &solutionId, const QString &judgeId,
                                   double overall, const QString &rationale)
{
    const QString id = nextId("vrd");
    const json scores = {
        {"correctness", {{"score", overall}, {"rationale", rationale.toStdString()}}},
        {"coherence", {{"score", 0.9}, {"rationale", "Reads well."}}}};
    const json checks = {{"required_fields", {{"passed", true}, {"detail", ""}}}};
    exec(QStringLiteral("INSERT INTO verdicts (id, solution_id, judge_version_id, status, "
                        "overall, confidence, novelty, scores, checks, rubric_version, "
                        "prompt_template, created_at) VALUES (?, ?, ?, 'ok', ?, 0.75, 0.5, ?, ?, "
                        "'rubric@abc', 'evaluate@1', ?)"),
         {id, solutionId, judgeId, overall, dump(scores), dump(checks), kNow});
    return id;
}

QString EvaluationFixture::scoredVerdict(const QString &solutionId, const QString &judgeId,
                                         const Scored &s)
{
    const QString id = nextId("vrd");
    json scores = json::object();
    double sum = 0;
    for (const auto &[aspect, score] : s.scores) {
        const auto own = s.rationales.find(aspect);
        const QString why = own == s.rationales.end() ? s.rationale : own->second;
        scores[aspect.toStdString()] = {{"score", score}, {"rationale", why.toStdString()}};
        sum += score;
    }
    const double overall = s.scores.empty() ? 0.0 : sum / static_cast<double>(s.scores.size());
    json calibration = json::array();
    for (const QString &c : s.calibration)
        calibration.push_back(c.toStdString());
    const QString at = jsonio::formatTimestamp(jsonio::nowUtc().addSecs(s.secondsLater));
    const QString job = s.jobId.isNull() ? QStringLiteral("") : s.jobId; // NOT NULL column
    exec(
        QStringLiteral("INSERT INTO verdicts (id, solution_id, judge_version_id, status, "
                       "overall, confidence, scores, rubric_version, job_id, calibration, "
                       "created_at) VALUES (?, ?, ?, 'ok', ?, ?, ?, 'r00000001', ?, ?, ?)"),
        {id, solutionId, judgeId, overall, s.confidence, dump(scores), job, dump(calibration), at});
    return id;
}

QString EvaluationFixture::failedVerdict(const QString &solutionId, const QString &judgeId)
{
    const QString id = nextId("vrd");
    exec(QStringLiteral("INSERT INTO verdicts (id, solution_id, judge_version_id, status, error, "
                        "created_at) VALUES (?, ?, ?, 'failed', 'invalid JSON after 2 repairs', "
                        "?)"),
         {id, solutionId, judgeId, kNow});
    return id;
}

QString EvaluationFixture::judgment(const QString &solutionId, const QString &aspect, int rating,
                                    const QString &note)
{
    const QString id = nextId("hjd");
    exec(QStringLiteral("INSERT INTO human_judgments (id, solution_id, aspect, rating, note, "
                        "rater, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'ann', ?, ?)"),
         {id, solutionId, aspect, rating, note, kNow, kNow});
    return id;
}

QString EvaluationFixture::tournament(const QString &name)
{
    const QString id = nextId("trn");
    exec(QStringLiteral("INSERT INTO tournaments (id, name, format, created_at) VALUES (?, ?, "
                        "'round-robin', ?)"),
         {id, name, kNow});
    return id;
}

QString EvaluationFixture::comparison(const QString &tournamentId, const QString &problemId,
                                      const QString &a, const QString &b, const QString &judge,
                                      const QString &ab, const QString &ba)
{
    QString winner = ab == ba ? ab : QStringLiteral("tie");
    if (ab == QLatin1String("failed") || ba == QLatin1String("failed"))
        winner = QStringLiteral("failed");
    const QString id = nextId("cmp");
    const json doc = {{"ab", {{"rationale", "A is clearer."}}},
                      {"ba", {{"rationale", "A is still clearer."}}},
                      {"length_a", 120},
                      {"length_b", 140}};
    exec(QStringLiteral("INSERT INTO comparisons (id, tournament_id, problem_id, solution_a, "
                        "solution_b, entrant_a, entrant_b, judge_version_id, verdict_ab, "
                        "verdict_ba, winner, doc, created_at) VALUES (?, ?, ?, ?, ?, '', '', ?, "
                        "?, ?, ?, ?, ?)"),
         {id, tournamentId, problemId, a, b, judge, ab, ba, winner, dump(doc), kNow});
    return id;
}

QString EvaluationFixture::pair(const QString &comparisonId, std::optional<double> chosenScore,
                                std::optional<double> rejectedScore, const QString &prompt,
                                const QString &chosen, const QString &rejected)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "SELECT problem_id, solution_a, solution_b, winner, judge_version_id FROM comparisons "
        "WHERE id = ?"));
    q.bindValue(0, comparisonId);
    Workspace::execPrepared(q, QStringLiteral("Reading a test comparison"));
    if (!q.next())
        throw std::runtime_error("no comparison " + comparisonId.toStdString());
    const bool aWon = q.value(3).toString() == QLatin1String("a");
    const QString chosenId = aWon ? q.value(1).toString() : q.value(2).toString();
    const QString rejectedId = aWon ? q.value(2).toString() : q.value(1).toString();
    json doc = {{"chosen_rationale", "Clearer steps."},
                {"rejected_rationale", "Over budget."},
                {"judges", {q.value(4).toString().toStdString()}}};
    if (!prompt.isEmpty())
        doc["prompt"] = prompt.toStdString();
    if (!chosen.isEmpty())
        doc["chosen"] = chosen.toStdString();
    if (!rejected.isEmpty())
        doc["rejected"] = rejected.toStdString();
    const QString id = nextId("prf");
    auto score = [](std::optional<double> s) {
        return s ? QVariant(*s) : QVariant(QMetaType(QMetaType::Double));
    };
    exec(QStringLiteral("INSERT INTO preference_pairs (id, comparison_id, problem_id, "
                        "chosen_solution_id, rejected_solution_id, chosen_score, rejected_score, "
                        "doc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
         {id, comparisonId, q.value(0).toString(), chosenId, rejectedId, score(chosenScore),
          score(rejectedScore), dump(doc), kNow});
    return id;
}

} // namespace crucible::test

namespace crucible::test {

const QString EvaluationScenario::kTrickyStatement =
    QStringLiteral("It's a \"quoted\" ledger; back\\slash \\n (not a newline)\nsecond line\ttab, "
                   "// not a comment, ünïcode ✓, comma, and \"\"doubled\"\"");

EvaluationScenario buildEvaluationScenario(Workspace &ws)
{
    EvaluationFixture f(ws);
    EvaluationScenario s;
    s.p1 = f.problem(1, QStringLiteral("accepted"));
    s.p2 = f.problem(2);
    f.exec(QStringLiteral("UPDATE problems SET statement = ? WHERE id = ?"),
           {EvaluationScenario::kTrickyStatement, s.p2});
    s.p3 = f.problem(3, QStringLiteral("accepted"), s.p1);
    s.dataset = QStringLiteral("ds_1");
    f.addToDataset(s.dataset, QStringLiteral("Ledgers"), {s.p1, s.p3});

    s.gen = f.agent(QStringLiteral("generator"), QStringLiteral("Gen"));
    s.genV1 = f.version(s.gen);
    s.genV2 = f.version(s.gen, {}, {{"creativity", 80}});
    s.clone = f.agent(QStringLiteral("generator"), QStringLiteral("Gen (ledgers)"), s.genV2);
    s.cloneV1 = f.version(s.clone);
    s.critic = f.agent(QStringLiteral("critic"), QStringLiteral("Crit"));
    s.criticV1 = f.version(s.critic);
    s.refiner = f.agent(QStringLiteral("refiner"), QStringLiteral("Ref"));
    s.refinerV1 = f.version(s.refiner);
    s.judgeA = f.agent(QStringLiteral("evaluator"), QStringLiteral("Judge A"));
    s.judgeAV1 = f.version(s.judgeA);
    s.judgeB = f.agent(QStringLiteral("evaluator"), QStringLiteral("Judge B"));
    s.judgeBV1 = f.version(s.judgeB);

    using F = EvaluationFixture;
    s.s1 = f.solution(s.p1, s.genV2, F::solutionDoc(QStringLiteral("42 USD")));
    s.s2 = f.solution(s.p1, s.cloneV1, F::solutionDoc(QStringLiteral("41 USD")));
    s.critique1 = f.critique(s.s1, s.criticV1);
    s.s3 =
        f.solution(s.p1, s.refinerV1, F::solutionDoc(QStringLiteral("40 USD")), s.s1, s.critique1);
    s.s4 = f.solution(s.p2, s.genV2, F::solutionDoc(QStringLiteral("It's 7; \"seven\"")));
    s.s5 = f.solution(s.p2, s.cloneV1, F::solutionDoc(QStringLiteral("8")));
    s.s6 = f.solution(s.p3, s.genV2, F::solutionDoc(QStringLiteral("9")));
    s.s7 = f.solution(s.p3, s.cloneV1, F::solutionDoc(QStringLiteral("10")));

    f.verdict(s.s1, s.judgeAV1, 0.6);
    f.verdict(s.s3, s.judgeAV1, 0.85, QStringLiteral("Fixed the budget issue."));
    f.verdict(s.s2, s.judgeAV1, 0.7);
    f.failedVerdict(s.s4, s.judgeAV1);
    f.judgment(s.s3, QStringLiteral("correctness"), 4);
    f.judgment(s.s3, QStringLiteral("clarity"), 5, QStringLiteral("nice"));

    s.tournament = f.tournament(QStringLiteral("Ledger cup"));
    const QString a = QStringLiteral("a"), b = QStringLiteral("b");
    // Judge A prefers the refinement s3, judge B prefers s2: the judges disagree.
    s.cmp1 = f.comparison(s.tournament, s.p1, s.s3, s.s2, s.judgeAV1, a, a);
    s.pair1 = f.pair(s.cmp1, 0.85, 0.7, QStringLiteral("Solve the ledger puzzle."),
                     QStringLiteral("Refined: 40 USD"), QStringLiteral("Clone: 41 USD"));
    s.cmp2 = f.comparison(s.tournament, s.p1, s.s3, s.s2, s.judgeBV1, b, b);
    s.pair2 = f.pair(s.cmp2, 0.7, 0.85, QStringLiteral("Solve the ledger puzzle."),
                     QStringLiteral("Clone: 41 USD"), QStringLiteral("Refined: 40 USD"));
    // No texts in the pair's document: the exporter renders the problem and the solutions.
    s.cmp3 = f.comparison(s.tournament, s.p2, s.s4, s.s5, s.judgeAV1, a, a);
    s.pair3 = f.pair(s.cmp3, 0.9, 0.3, {}, {}, {});
    // A tie (orders disagree), then judge B decides for s7 without scores.
    s.cmp4 = f.comparison(s.tournament, s.p3, s.s6, s.s7, s.judgeAV1, a, b);
    s.cmp5 = f.comparison(s.tournament, s.p3, s.s6, s.s7, s.judgeBV1, b, b);
    s.pair5 = f.pair(s.cmp5, std::nullopt, std::nullopt, QStringLiteral("Variation puzzle."),
                     QStringLiteral("Ten."), QStringLiteral("Nine."));
    // The only judge of s1 against s2 chose s1 although its score is lower.
    s.cmp6 = f.comparison(s.tournament, s.p1, s.s1, s.s2, s.judgeAV1, a, a);
    s.pair6 = f.pair(s.cmp6, 0.6, 0.7, QStringLiteral("Solve the ledger puzzle."),
                     QStringLiteral("Original: 42 USD"), QStringLiteral("Clone: 41 USD"));
    return s;
}

} // namespace crucible::test
