// Timings that the unit tests used to assert and now only check as behaviour (which event comes
// first): how long a cancelled call takes to return, for the HTTP transport, the OpenAI-compatible
// and Anthropic providers mid-stream and the Simulated provider; and the wall time of 32
// concurrent 300 ms requests through the transport's pool of 6 network managers.
// Usage: llmcancel_bench [repeats=20]   (needs -DCRUCIBLE_BENCHMARKS=ON -DCRUCIBLE_TESTS=ON)
#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/httptransport.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/simulatedprovider.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"
#include "tests/support/llmtestserverthread.h"

#include <QCoreApplication>
#include <QCoro/QCoroTask>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

using namespace crucible;
using crucible::test::LlmTestServer;
using crucible::test::LlmTestServerThread;

namespace {

// The tests' config, with timeouts long enough that a loaded machine does not fail a timing run.
ProviderConfig serverConfig(ProviderType type, const QUrl &baseUrl)
{
    ProviderConfig c = test::testConfig(type, baseUrl);
    c.streamIdleTimeoutMs = 60'000;
    c.totalTimeoutMs = 120'000;
    return c;
}

struct Stats
{
    double median = 0;
    double max = 0;
    int failures = 0; // runs where the call did not end as cancelled (or did not succeed)
};

Stats summarise(std::vector<double> samples, int failures)
{
    Stats s;
    s.failures = failures;
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    s.median = samples[samples.size() / 2];
    s.max = samples.back();
    return s;
}

void print(const char *what, const Stats &s, int repeats)
{
    std::printf("  %-58s %8.2f %8.2f %6d/%d\n", what, s.median, s.max, repeats - s.failures,
                repeats);
}

// Milliseconds from cancel() to the chat call returning, the cancel fired 200 ms into the call.
Stats cancelChat(LlmProvider &provider, bool stream, int repeats)
{
    std::vector<double> samples;
    int failures = 0;
    for (int i = 0; i < repeats; ++i) {
        CancelSource source;
        ChatCallOptions options;
        options.cancel = source.token();
        ChatRequest request = ChatRequest::simple(QStringLiteral("Cancel me %1").arg(i));
        request.stream = stream;
        QElapsedTimer sinceCancel;
        QObject context;
        QTimer::singleShot(200, Qt::PreciseTimer, &context, [&] {
            sinceCancel.start();
            source.cancel();
        });
        const ChatResult result = QCoro::waitFor(provider.chat(request, options));
        const double ms = static_cast<double>(sinceCancel.nsecsElapsed()) / 1e6;
        if (result.error.kind == LlmError::Kind::Cancelled && sinceCancel.isValid())
            samples.push_back(ms);
        else
            ++failures;
    }
    return summarise(samples, failures);
}

Stats cancelTransport(int repeats)
{
    LlmTestServer server;
    server.setLatencyMs(10'000);
    HttpTransport transport(2);
    std::vector<double> samples;
    int failures = 0;
    for (int i = 0; i < repeats; ++i) {
        CancelSource source;
        HttpRequestSpec spec;
        spec.url = server.url(QStringLiteral("/v1/models"));
        spec.connectTimeoutMs = 5'000;
        spec.idleTimeoutMs = 30'000;
        spec.totalTimeoutMs = 60'000;
        spec.cancel = source.token();
        QElapsedTimer sinceCancel;
        QObject context;
        QObject::connect(&server, &LlmTestServer::requestReceived, &context, [&] {
            sinceCancel.start();
            source.cancel();
        });
        const HttpResponse r = QCoro::waitFor(transport.send(std::move(spec)));
        if (r.cancelled && sinceCancel.isValid())
            samples.push_back(static_cast<double>(sinceCancel.nsecsElapsed()) / 1e6);
        else
            ++failures;
    }
    return summarise(samples, failures);
}

QCoro::Task<int> thirtyTwoCalls(OpenAiProvider &provider)
{
    std::vector<QCoro::Task<ChatResult>> calls;
    for (int i = 0; i < 32; ++i)
        calls.push_back(
            provider.chat(ChatRequest::simple(QStringLiteral("request %1").arg(i)), {}));
    int ok = 0;
    for (auto &call : calls) {
        const ChatResult result = co_await std::move(call);
        ok += result.ok() ? 1 : 0;
    }
    co_return ok;
}

// Wall milliseconds of 32 concurrent 300 ms requests (the server on its own thread).
Stats concurrentRequests(int repeats, int *maxInFlight)
{
    LlmTestServerThread thread;
    LlmTestServer &server = thread.server();
    server.setLatencyMs(300);
    ProviderConfig c = serverConfig(ProviderType::OpenAiCompatible, server.openAiBaseUrl());
    c.concurrency = 32;
    auto transport = std::make_shared<HttpTransport>(c.concurrency);
    OpenAiProvider provider(c, {}, transport);
    std::vector<double> samples;
    int failures = 0;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer clock;
        clock.start();
        const int ok = QCoro::waitFor(thirtyTwoCalls(provider));
        if (ok == 32)
            samples.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        else
            ++failures;
    }
    *maxInFlight = server.stats().maxInFlight;
    return summarise(samples, failures);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    std::printf("llmcancel_bench: %d runs each; milliseconds\n", repeats);
    std::printf("  %-58s %8s %8s %8s\n", "from cancel() to the call returning", "median", "max",
                "ok");
    print("HttpTransport, request held by the server (10 s latency)", cancelTransport(repeats),
          repeats);
    {
        LlmTestServer server;
        server.setLatencyMs(20'000); // 5 s between stream pieces
        server.setStreamChunks(4);
        OpenAiProvider openAi(serverConfig(ProviderType::OpenAiCompatible, server.openAiBaseUrl()),
                              {});
        print("OpenAI-compatible, mid-stream (next piece due in 5 s)",
              cancelChat(openAi, true, repeats), repeats);
        AnthropicProvider anthropic(serverConfig(ProviderType::Anthropic, server.baseUrl()), {});
        print("Anthropic, mid-stream (next piece due in 5 s)", cancelChat(anthropic, true, repeats),
              repeats);
    }
    {
        SimulatedProvider::Options slow;
        slow.latencyMs = 60'000;
        slow.jitterMs = 0;
        SimulatedProvider simulated(ProviderConfig::fromPreset(ProviderPreset::Simulated), slow);
        print("Simulated, 60 s latency, plain", cancelChat(simulated, false, repeats), repeats);
        print("Simulated, 60 s latency, streamed", cancelChat(simulated, true, repeats), repeats);
    }
    int maxInFlight = 0;
    const int poolRuns = std::max(1, repeats / 4);
    const Stats pool = concurrentRequests(poolRuns, &maxInFlight);
    std::printf("  %-58s %8s %8s %8s\n", "32 concurrent requests of 300 ms (ideal 300)", "median",
                "max", "ok");
    print("OpenAI-compatible over the 6-manager pool, wall", pool, poolRuns);
    std::printf("  server max in flight: %d\n", maxInFlight);
    return 0;
}
