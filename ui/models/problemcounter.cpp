#include "ui/models/problemcounter.h"

#include "core/store/stoppablequeries.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace crucible {

ProblemCounter::ProblemCounter(QObject *parent)
    : QObject(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    // One connection at a time: a new count waits for the interrupted one to let go.
    m_pool.setMaxThreadCount(1);
}

ProblemCounter::~ProblemCounter()
{
    m_latest->fetch_add(1); // the running count stops at its next progress check
    m_pool.waitForDone();
}

quint64 ProblemCounter::request(const QString &path, const ProblemFilter &filter)
{
    const quint64 ticket = m_latest->fetch_add(1) + 1;
    m_pending = ticket;
    const auto latest = m_latest;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher] {
        watcher->deleteLater();
        deliver(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path, filter, ticket, latest] {
        Answer answer;
        answer.ticket = ticket;
        const auto current = [&] { return latest->load() == ticket; };
        if (!current())
            return answer; // superseded while it waited for the worker
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            answer.count = stoppable::countWhile(*ws, filter, current);
        } catch (const std::exception &e) {
            answer.error = QString::fromUtf8(e.what());
        }
        return answer;
    }));
    return ticket;
}

void ProblemCounter::cancel()
{
    if (m_pending == 0)
        return;
    m_pending = 0;
    m_latest->fetch_add(1);
}

void ProblemCounter::deliver(const Answer &answer)
{
    if (answer.ticket != m_pending)
        return; // superseded or cancelled: a newer count is on its way, or none is wanted
    m_pending = 0;
    if (answer.count)
        emit counted(answer.ticket, *answer.count);
    else if (!answer.error.isEmpty())
        emit failed(answer.ticket, answer.error);
}

} // namespace crucible
