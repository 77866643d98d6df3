#pragma once
// Helpers shared by the provider tests: waiting for coroutines and a port nobody listens on.

#include "core/llm/providers/providerconfig.h"
#include "tests/support/llmtestserver.h"

#include <QCoro/QCoroTask>
#include <QTcpServer>

namespace crucible::test {

// Runs the event loop until `task` is done. The tasks under test never throw (errors are values),
// so QCoro::waitFor cannot hang on an exception.
template <typename T> T await(QCoro::Task<T> &&task)
{
    return QCoro::waitFor(std::move(task));
}

// A loopback port that was free a moment ago: connecting to it is refused.
inline quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// A config for the test server: short timeouts so that a hang fails the test quickly.
inline ProviderConfig testConfig(ProviderType type, const QUrl &baseUrl)
{
    ProviderConfig c = ProviderConfig::fromPreset(
        type == ProviderType::Anthropic ? ProviderPreset::Anthropic : ProviderPreset::Custom,
        QStringLiteral("test"));
    c.type = type;
    c.baseUrl = baseUrl.toString();
    c.defaultModel = QStringLiteral("test-model");
    c.connectTimeoutMs = 5'000;
    c.streamIdleTimeoutMs = 10'000;
    c.totalTimeoutMs = 30'000;
    return c;
}

} // namespace crucible::test
