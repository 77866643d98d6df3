// Workspace benchmarks: JSONL import of 100,000 problems, opening a 1,000,000-problem workspace
// and reading its first page, and full-text search over 100,000 problems.
// Run: build-bench/tests/bench/store_bench [--benchmark_repetitions=3]
// The 1M-problem workspace is built once into $CRUCIBLE_BENCH_DIR (default /tmp/crucible-bench).

#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <benchmark/benchmark.h>
#include <cstdio>

using namespace crucible;

namespace {

const char *const kWords[] = {
    "inventory",  "ledger",  "schedule", "patient", "network",   "budget",  "supplier", "forecast",
    "compliance", "latency", "customer", "refund",  "warehouse", "invoice", "shift",    "routing",
    "quality",    "audit",   "capacity", "pricing", "contract",  "dataset", "sensor",   "outage"};
const char *const kDomains[] = {"finance",   "healthcare", "operations",
                                "logistics", "software",   "education"};

QString benchDir()
{
    const QString dir = qEnvironmentVariableIsSet("CRUCIBLE_BENCH_DIR")
                            ? qEnvironmentVariable("CRUCIBLE_BENCH_DIR")
                            : QStringLiteral("/tmp/crucible-bench");
    QDir().mkpath(dir);
    return dir;
}

// A realistic JSONL line: ~350 bytes, statement of ~25 words, constraints and criteria.
QByteArray jsonlLine(int n, QRandomGenerator &rng)
{
    QString statement = QStringLiteral("Problem %1:").arg(n);
    for (int w = 0; w < 25; ++w)
        statement += u' ' + QString::fromUtf8(kWords[rng.bounded(24)]);
    nlohmann::json j = {
        {"id", QStringLiteral("prb_%1").arg(n, 8, 10, QLatin1Char('0')).toStdString()},
        {"domain", kDomains[n % 6]},
        {"statement", statement.toStdString()},
        {"constraints", {"stay within the stated budget", "use only the given data"}},
        {"success_criteria", {"all constraints hold", "answer explained in one paragraph"}},
        {"complexity", n % 3 == 0 ? "simple" : (n % 3 == 1 ? "medium" : "complex")},
        {"tags", {kWords[n % 24]}}};
    return QByteArray::fromStdString(j.dump()) + '\n';
}

QString writeJsonl(int count)
{
    const QString path = benchDir() + QStringLiteral("/problems-%1.jsonl").arg(count);
    if (QFile::exists(path))
        return path;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QRandomGenerator rng(42);
    for (int i = 0; i < count; ++i)
        f.write(jsonlLine(i, rng));
    return path;
}

QString workspaceWith(int count)
{
    const QString path = benchDir() + QStringLiteral("/problems-%1.crucible").arg(count);
    if (QFile::exists(path))
        return path;
    const QString tmp = path + QStringLiteral(".building");
    QFile::remove(tmp);
    {
        auto ws = Workspace::create(tmp);
        ImportOptions options;
        ProblemImporter(*ws).importFile(writeJsonl(count), options);
        ws->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    QFile::remove(tmp + QStringLiteral("-wal"));
    QFile::remove(tmp + QStringLiteral("-shm"));
    QFile::rename(tmp, path);
    return path;
}

void BM_ImportJsonl100k(benchmark::State &state)
{
    const QString source = writeJsonl(100'000);
    const QString target = benchDir() + QStringLiteral("/import-target.crucible");
    for (auto _ : state) {
        state.PauseTiming();
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(target + QString::fromUtf8(suffix));
        auto ws = Workspace::create(target);
        state.ResumeTiming();
        const ImportResult r = ProblemImporter(*ws).importFile(source);
        benchmark::DoNotOptimize(r.imported);
        if (r.imported != 100'000)
            state.SkipWithError("import count mismatch");
    }
    state.counters["problems/s"] = benchmark::Counter(
        100'000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportJsonl100k)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_OpenAndFirstPage1M(benchmark::State &state)
{
    const QString path = workspaceWith(1'000'000);
    for (auto _ : state) {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        ProblemRepository repo(*ws);
        const qint64 total = repo.count();
        const auto page = repo.pageAfter({}, 0, 256);
        benchmark::DoNotOptimize(page.data());
        if (total != 1'000'000 || page.size() != 256)
            state.SkipWithError("unexpected workspace contents");
    }
}
BENCHMARK(BM_OpenAndFirstPage1M)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_OpenAndFirstPageFiltered1M(benchmark::State &state)
{
    const QString path = workspaceWith(1'000'000);
    ProblemFilter filter;
    filter.domain = QStringLiteral("logistics");
    filter.complexity = Complexity::Complex;
    for (auto _ : state) {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        ProblemRepository repo(*ws);
        benchmark::DoNotOptimize(repo.count(filter));
        benchmark::DoNotOptimize(repo.pageAfter(filter, 0, 256).size());
    }
}
BENCHMARK(BM_OpenAndFirstPageFiltered1M)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_FtsQuery100k(benchmark::State &state)
{
    const QString path = workspaceWith(100'000);
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    ProblemRepository repo(*ws);
    const QStringList queries{QStringLiteral("warehouse outage"), QStringLiteral("refund audit"),
                              QStringLiteral("sensor latency"), QStringLiteral("pricing contr")};
    int i = 0;
    qint64 hits = 0;
    for (auto _ : state) {
        ProblemFilter f;
        f.search = queries[i++ % queries.size()];
        hits = repo.count(f);                        // what the table shows first: the total
        const auto page = repo.pageAfter(f, 0, 256); // and the first page
        benchmark::DoNotOptimize(page.data());
    }
    state.counters["hits(last)"] = static_cast<double>(hits);
}
BENCHMARK(BM_FtsQuery100k)->Unit(benchmark::kMillisecond)->Iterations(40);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
