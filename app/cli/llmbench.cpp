#include "app/cli/llmbench.h"

#include <QElapsedTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace crucible::cli {

namespace {

double cpuMs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto ms = [](const timeval &t) {
        return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
    };
    return ms(u.ru_utime) + ms(u.ru_stime);
}

qint64 percentile(const std::vector<qint64> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

double BenchReport::requestsPerSecond() const
{
    return wallMs > 0 ? 1000.0 * requests / static_cast<double>(wallMs) : 0;
}

double BenchReport::tokensPerSecond() const
{
    return wallMs > 0 ? 1000.0 * static_cast<double>(tokensOut) / static_cast<double>(wallMs) : 0;
}

double BenchReport::idealMs() const
{
    return concurrency > 0 ? meanMs * requests / concurrency : 0;
}

nlohmann::json BenchReport::toJson() const
{
    nlohmann::json kinds = nlohmann::json::object();
    for (const auto &[k, n] : errorKinds)
        kinds[k.toStdString()] = n;
    return {{"requests", requests},
            {"concurrency", concurrency},
            {"errors", errors},
            {"error_kinds", kinds},
            {"first_error", firstError},
            {"wall_ms", wallMs},
            {"latency_ms", {{"p50", p50Ms}, {"p95", p95Ms}, {"max", maxMs}, {"mean", meanMs}}},
            {"requests_per_s", requestsPerSecond()},
            {"tokens_out", tokensOut},
            {"tokens_per_s", tokensPerSecond()},
            {"cpu_ms_per_call", cpuMsPerCall}};
}

void BenchReport::print(QTextStream &out, const QString &providerLabel) const
{
    out << "provider        " << providerLabel << '\n'
        << "requests        " << requests << " at concurrency " << concurrency << '\n'
        << "errors          " << errors;
    for (const auto &[k, n] : errorKinds)
        out << "  " << k << ": " << n;
    out << '\n';
    if (!firstError.isEmpty())
        out << "first error     " << firstError << '\n';
    out << "wall time       " << QString::number(wallMs / 1000.0, 'f', 2) << " s (ideal at mean "
        << "latency " << QString::number(idealMs() / 1000.0, 'f', 2) << " s)\n"
        << "latency         p50 " << p50Ms << " ms, p95 " << p95Ms << " ms, max " << maxMs
        << " ms\n"
        << "throughput      " << QString::number(requestsPerSecond(), 'f', 1) << " requests/s, "
        << QString::number(tokensPerSecond(), 'f', 0) << " tokens/s\n"
        << "client CPU      " << QString::number(cpuMsPerCall, 'f', 3) << " ms per call\n";
}

QCoro::Task<BenchReport> runBench(LlmClient &client, QString providerId, BenchOptions options)
{
    BenchReport report;
    report.requests = options.requests;
    report.concurrency = options.concurrency;
    std::vector<QCoro::Task<LlmCallOutcome>> tasks;
    tasks.reserve(static_cast<std::size_t>(options.requests));
    const double cpuBefore = cpuMs();
    QElapsedTimer wall;
    wall.start();
    for (int i = 0; i < options.requests; ++i) {
        LlmCallSpec spec;
        spec.providerId = providerId;
        spec.request = ChatRequest::simple(
            QStringLiteral("Benchmark request %1: answer in one short sentence.").arg(i));
        spec.request.maxTokens = options.maxTokens;
        spec.request.stream = options.stream;
        spec.useCache = false;
        spec.jobId = QStringLiteral("cli-bench");
        tasks.push_back(client.call(std::move(spec)));
    }
    std::vector<qint64> latencies;
    latencies.reserve(tasks.size());
    for (auto &task : tasks) {
        const LlmCallOutcome outcome = co_await task;
        if (outcome.ok()) {
            latencies.push_back(outcome.result.latencyMs);
            report.tokensOut += outcome.tokensOut;
        } else {
            ++report.errors;
            ++report.errorKinds[llmErrorKindName(outcome.error().kind)];
            if (report.firstError.isEmpty())
                report.firstError = outcome.error().describe();
        }
    }
    report.wallMs = wall.elapsed();
    report.cpuMsPerCall = (cpuMs() - cpuBefore) / std::max(1, options.requests);
    std::sort(latencies.begin(), latencies.end());
    report.p50Ms = percentile(latencies, 0.50);
    report.p95Ms = percentile(latencies, 0.95);
    report.maxMs = latencies.empty() ? 0 : latencies.back();
    double sum = 0;
    for (qint64 l : latencies)
        sum += static_cast<double>(l);
    report.meanMs = latencies.empty() ? 0 : sum / static_cast<double>(latencies.size());
    co_return report;
}

} // namespace crucible::cli
