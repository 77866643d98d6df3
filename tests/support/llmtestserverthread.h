#pragma once

#include "tests/support/llmtestserver.h"

#include <QThread>

#include <memory>

namespace crucible::test {

// Runs an LlmTestServer on a thread of its own (for benchmarks, so that serving never competes
// with the client's event loop). Construct and destroy on one thread; server() may be used from
// any thread through its thread-safe API (connect to its signals with a context object).
class LlmTestServerThread final
{
public:
    explicit LlmTestServerThread(LlmTestServer::Options options = {});
    ~LlmTestServerThread();
    LlmTestServerThread(const LlmTestServerThread &) = delete;
    LlmTestServerThread &operator=(const LlmTestServerThread &) = delete;

    LlmTestServer &server() const { return *m_server; }

private:
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_anchor; // lives on m_thread: target of the blocking calls
    LlmTestServer *m_server = nullptr;
};

} // namespace crucible::test
