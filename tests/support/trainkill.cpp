#include "tests/support/trainkill.h"

#include "core/model/trainingrun.h"
#include "core/store/entityrepository.h"
#include "core/store/workspace.h"
#include "tests/support/generationanswers.h"
#include "tests/support/llmtestwire.h"
#include "tests/support/solvefixtures.h"

#include <QCryptographicHash>

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>

#include <random>
#include <set>

namespace crucible::test {

using nlohmann::json;

QByteArray trainingAnswer(const json &fullRequest)
{
    // The answer depends on what is asked (messages and schema) only, not on transport fields
    // (stream, token limits) that a retry after a fault may change.
    json request = json::object();
    for (const char *key : {"messages", "system", "response_format", "tools", "tool_choice"})
        if (fullRequest.contains(key))
            request[key] = fullRequest[key];
    const auto requested = wire::requestedSchema(request);
    static const std::set<std::string> solving{"solution", "critique", "verdict"};
    if (!requested || solving.count(requested->name))
        return solveAnswer(request);
    const QByteArray digest = QCryptographicHash::hash(QByteArray::fromStdString(request.dump()),
                                                       QCryptographicHash::Sha256);
    const auto byte = [&digest](int i) { return static_cast<unsigned char>(digest[i]); };
    if (requested->name == "agent_specialization") { // the run's start: two bounded trait moves
        static const char *traits[] = {"rigor", "creativity", "skepticism", "verbosity"};
        json adjustments = json::array();
        for (int i = 0; i < 2; ++i)
            adjustments.push_back({{"trait", traits[(byte(i) + i) % 4]},
                                   {"delta", static_cast<int>(byte(i + 2) % 21) - 10},
                                   {"reason", "The domain's problems ask for it."}});
        return QByteArray::fromStdString(json{
            {"adjustments", adjustments},
            {"knowledge_domains",
             {"testing", "budgets"}}}.dump());
    }
    // Generation (a variation round's problems) answers as a seeded model would: two runs that
    // ask the same get the same problems, so the run left alone and the run killed can agree.
    if (requested->name != "reflection")
        return generationAnswer(request, 0.0, Sampling::Seeded);
    static const char *phrases[] = {"State the budget first.",   "Check every constraint.",
                                    "Name the trade-off.",       "Prefer the simplest plan.",
                                    "Quantify the risk.",        "Give a fallback.",
                                    "Cite the rubric item met.", "Keep steps under five."};
    json lessons = json::array();
    for (int i = 0; i < 1 + byte(0) % 3; ++i)
        lessons.push_back(phrases[byte(i + 1) % 8]);
    return QByteArray::fromStdString(
        json{{"analysis", "The traces show missed constraints."}, {"lessons", lessons}}.dump());
}

int trainingCallsUsed(const QString &workspace, const QString &runId)
{
    try {
        auto ws = Workspace::open(workspace, Workspace::Mode::ReadOnly);
        const auto run = EntityStore(*ws).get<TrainingRun>(runId);
        if (!run)
            return -1;
        return run->config.value("checkpoint", json::object())
            .value("budget", json::object())
            .value("used", -1);
    } catch (const std::exception &) {
        return -1; // being written: look again
    }
}

QString integrityCheck(const QString &workspace)
{
    try {
        auto ws = Workspace::open(workspace, Workspace::Mode::ReadOnly);
        QSqlQuery q = ws->exec(QStringLiteral("PRAGMA integrity_check"));
        return q.next() ? q.value(0).toString() : QStringLiteral("no answer");
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
}

json trainingHistory(const QString &workspace, const QString &runId)
{
    auto ws = Workspace::open(workspace, Workspace::Mode::ReadOnly);
    const auto run = EntityStore(*ws).get<TrainingRun>(runId);
    return run ? run->metrics : json();
}

namespace {

void startProcess(QProcess &p, const QString &cli, const QStringList &args)
{
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(cli, args);
}

} // namespace

TrainKillOutcome trainWithKills(const TrainKillPlan &plan)
{
    TrainKillOutcome out;
    std::mt19937_64 rng(plan.seed);
    QElapsedTimer clock;
    clock.start();
    auto process = std::make_unique<QProcess>();
    startProcess(*process, plan.cliPath,
                 QStringList{QStringLiteral("train"), plan.workspace} + plan.trainArgs +
                     plan.providerArgs + QStringList{QStringLiteral("--json")});
    if (!process->waitForStarted(10'000)) {
        out.error = QStringLiteral("crucible-cli did not start: ") + process->errorString();
        return out;
    }
    int last = 0;
    while (out.kills < plan.kills) {
        std::uniform_int_distribution<int> step(1, std::max(1, plan.maxCallsBetweenKills));
        const int target = last + step(rng);
        int used = -1;
        while (process->state() == QProcess::Running && clock.elapsed() < plan.timeoutMs) {
            used = trainingCallsUsed(plan.workspace, plan.runId);
            if (used >= target)
                break;
            process->waitForFinished(5);
        }
        if (process->state() != QProcess::Running)
            break; // the run ended before this kill point
        if (clock.elapsed() >= plan.timeoutMs) {
            out.error = QStringLiteral("timed out waiting for %1 calls").arg(target);
            process->kill();
            process->waitForFinished(10'000);
            return out;
        }
        process->kill(); // SIGKILL
        process->waitForFinished(10'000);
        ++out.kills;
        last = std::max(used, trainingCallsUsed(plan.workspace, plan.runId));
        out.killedAt.push_back(last);
        if (integrityCheck(plan.workspace) != u"ok")
            out.integrityOk = false;
        process = std::make_unique<QProcess>();
        startProcess(*process, plan.cliPath,
                     QStringList{QStringLiteral("resume"), plan.workspace, plan.runId} +
                         plan.providerArgs + QStringList{QStringLiteral("--json")});
        if (!process->waitForStarted(10'000)) {
            out.error = QStringLiteral("crucible-cli resume did not start");
            return out;
        }
    }
    const qint64 left = std::max<qint64>(1000, plan.timeoutMs - clock.elapsed());
    // waitForFinished is false for a process that has already finished (the polling above may
    // have seen it end): only a running one can time out.
    if (process->state() != QProcess::NotRunning &&
        !process->waitForFinished(static_cast<int>(left))) {
        out.error = QStringLiteral("the last run did not finish in time");
        process->kill();
        process->waitForFinished(10'000);
        return out;
    }
    const QByteArray stdoutText = process->readAllStandardOutput();
    const QByteArray stderrText = process->readAllStandardError();
    if (process->exitStatus() != QProcess::NormalExit || process->exitCode() != 0) {
        out.error = QStringLiteral("the last run exited with %1: %2")
                        .arg(process->exitCode())
                        .arg(QString::fromUtf8(stderrText.right(2000)));
        return out;
    }
    try {
        out.report = json::parse(stdoutText.toStdString());
    } catch (const std::exception &e) {
        out.error = QStringLiteral("the report is not JSON (%1): %2")
                        .arg(QString::fromUtf8(e.what()), QString::fromUtf8(stdoutText.left(500)));
        return out;
    }
    out.history = trainingHistory(plan.workspace, plan.runId);
    out.ok = true;
    return out;
}

QString compareTrainingReports(const json &killed, const json &reference)
{
    for (const char *key :
         {"ok", "cycles", "candidates", "accepted", "calls_used", "finish_reason"})
        if (killed.value(key, json()) != reference.value(key, json()))
            return QStringLiteral("%1: %2 after kills, %3 left alone")
                .arg(QString::fromLatin1(key),
                     QString::fromStdString(killed.value(key, json()).dump()),
                     QString::fromStdString(reference.value(key, json()).dump()));
    for (const char *part : {"start", "best"})
        for (const char *key : {"candidate", "validation_mean", "instructions", "traits"}) {
            const json a = killed.value(part, json::object()).value(key, json());
            const json b = reference.value(part, json::object()).value(key, json());
            if (a != b)
                return QStringLiteral("%1.%2: %3 after kills, %4 left alone")
                    .arg(QString::fromLatin1(part), QString::fromLatin1(key),
                         QString::fromStdString(a.dump()), QString::fromStdString(b.dump()));
        }
    for (const char *key : {"problems", "start_mean", "best_mean", "improvement", "ci95"}) {
        const json a = killed.value("test", json::object()).value(key, json());
        const json b = reference.value("test", json::object()).value(key, json());
        if (a != b)
            return QStringLiteral("test.%1: %2 after kills, %3 left alone")
                .arg(QString::fromLatin1(key), QString::fromStdString(a.dump()),
                     QString::fromStdString(b.dump()));
    }
    return {};
}

} // namespace crucible::test
