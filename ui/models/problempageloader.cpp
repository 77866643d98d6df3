#include "ui/models/problempageloader.h"

#include "core/store/stoppablequeries.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace crucible {

ProblemPageLoader::ProblemPageLoader(QObject *parent)
    : QObject(parent)
    , m_generation(std::make_shared<std::atomic<quint64>>(1))
{
    // One connection at a time, first come first served: the page asked for first is usually
    // the one on screen.
    m_pool.setMaxThreadCount(1);
}

ProblemPageLoader::~ProblemPageLoader()
{
    m_generation->fetch_add(1); // the running read stops at its next progress check
    m_pool.waitForDone();
}

void ProblemPageLoader::request(const QString &path, const ProblemFilter &filter,
                                const ProblemSort &sort, int pageIndex, int pageSize)
{
    if (!m_pending.insert(pageIndex).second)
        return;
    const quint64 generation = m_generation->load();
    const auto latest = m_generation;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher] {
        watcher->deleteLater();
        deliver(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path, filter, sort, pageIndex, pageSize,
                                                   generation, latest] {
        Answer answer;
        answer.generation = generation;
        answer.pageIndex = pageIndex;
        const auto current = [&] { return latest->load() == generation; };
        if (!current())
            return answer; // dropped while it waited for the worker
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            answer.rows = stoppable::pageWhile(
                *ws, filter, sort, static_cast<qint64>(pageIndex) * pageSize, pageSize, current);
        } catch (const std::exception &e) {
            answer.error = QString::fromUtf8(e.what());
        }
        return answer;
    }));
}

void ProblemPageLoader::reset()
{
    m_pending.clear();
    m_generation->fetch_add(1);
}

void ProblemPageLoader::deliver(const Answer &answer)
{
    if (answer.generation != m_generation->load())
        return; // asked for before the last reset
    m_pending.erase(answer.pageIndex);
    if (answer.rows)
        emit pageLoaded(answer.pageIndex, *answer.rows);
    else if (!answer.error.isEmpty())
        emit failed(answer.pageIndex, answer.error);
}

} // namespace crucible
