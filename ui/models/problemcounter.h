#pragma once
// Counts the problems matching a filter on a worker thread, through its own read-only connection
// to the workspace file, so that a count over a million rows never blocks the GUI thread. Only
// the newest request is answered: a new request interrupts the one running (SQLite's progress
// handler) and the older answers are dropped. Lives on the GUI thread; answers arrive there.

#include "core/store/problemrepository.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace crucible {

class ProblemCounter final : public QObject
{
    Q_OBJECT
public:
    explicit ProblemCounter(QObject *parent = nullptr);
    // Interrupts the count running and waits for the worker (milliseconds).
    ~ProblemCounter() override;

    // Starts counting the problems of the workspace file at path that match the filter; returns
    // the ticket that counted() or failed() will carry. Supersedes every earlier request.
    quint64 request(const QString &path, const ProblemFilter &filter);
    // Drops the request pending, if any: no answer will come for it.
    void cancel();
    // Ticket of the request whose answer is awaited, 0 when none.
    quint64 pendingTicket() const { return m_pending; }

signals:
    void counted(quint64 ticket, qint64 count);
    // message says what failed and where.
    void failed(quint64 ticket, const QString &message);

private:
    struct Answer
    {
        quint64 ticket = 0;
        std::optional<qint64> count; // nullopt: superseded, or failed with error
        QString error;
    };
    void deliver(const Answer &answer);

    QThreadPool m_pool;
    // The newest ticket, shared with the worker, which stops when it has moved on.
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_pending = 0;
};

} // namespace crucible
