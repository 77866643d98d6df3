#pragma once
// `crucible-cli llm bench`: N requests at concurrency C through the LlmClient (scheduler,
// retries off, ledger on), with latency percentiles, throughput and the client's CPU per call.

#include "core/llm/llmclient.h"

#include <QCoro/QCoroTask>
#include <QTextStream>
#include <nlohmann/json.hpp>

#include <map>

namespace crucible::cli {

struct BenchOptions
{
    int requests = 100;
    int concurrency = 8;
    int maxTokens = 64;
    bool stream = false;
};

struct BenchReport
{
    int requests = 0;
    int concurrency = 0;
    int errors = 0;
    std::map<QString, int> errorKinds; // kind → count
    QString firstError;
    qint64 wallMs = 0;
    qint64 p50Ms = 0;
    qint64 p95Ms = 0;
    qint64 maxMs = 0;
    double meanMs = 0;
    qint64 tokensOut = 0;
    double cpuMsPerCall = 0; // user + system CPU of this process per request

    double requestsPerSecond() const;
    double tokensPerSecond() const;
    // The wall time if every request took the mean latency and C were always in flight.
    double idealMs() const;
    nlohmann::json toJson() const;
    void print(QTextStream &out, const QString &providerLabel) const;
};

QCoro::Task<BenchReport> runBench(LlmClient &client, QString providerId, BenchOptions options);

} // namespace crucible::cli
