#include "tests/support/llmtestserverthread.h"

namespace crucible::test {

LlmTestServerThread::LlmTestServerThread(LlmTestServer::Options options)
    : m_thread(std::make_unique<QThread>())
    , m_anchor(std::make_unique<QObject>())
{
    m_thread->setObjectName(QStringLiteral("LlmTestServer"));
    m_anchor->moveToThread(m_thread.get());
    m_thread->start();
    // The server and its sockets must be created on the thread that serves them.
    QMetaObject::invokeMethod(
        m_anchor.get(), [this, &options] { m_server = new LlmTestServer(std::move(options)); },
        Qt::BlockingQueuedConnection);
}

LlmTestServerThread::~LlmTestServerThread()
{
    QMetaObject::invokeMethod(
        m_anchor.get(),
        [this] {
            delete m_server;
            m_server = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_anchor.reset(); // its thread has finished: safe to delete here
}

} // namespace crucible::test
