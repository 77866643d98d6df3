#pragma once
// Reads pages of the problems table on a worker thread, through its own read-only connection to
// the workspace file, for the pages whose query would stall the GUI thread (a jump deep into a
// million rows locates its first row by walking an index). reset() drops every request made
// before it: their queries stop at the next progress check and their answers never arrive.
// Lives on the GUI thread; answers arrive there.

#include "core/store/problemrepository.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace crucible {

class ProblemPageLoader final : public QObject
{
    Q_OBJECT
public:
    explicit ProblemPageLoader(QObject *parent = nullptr);
    // Stops the query running and waits for the worker (milliseconds).
    ~ProblemPageLoader() override;

    // Reads rows [pageIndex * pageSize, + pageSize) of the workspace file at path.
    void request(const QString &path, const ProblemFilter &filter, const ProblemSort &sort,
                 int pageIndex, int pageSize);
    bool isPending(int pageIndex) const { return m_pending.count(pageIndex) > 0; }
    // Forgets every request (the model was reset).
    void reset();

signals:
    void pageLoaded(int pageIndex, const std::vector<crucible::ProblemSummary> &rows);
    // message says what failed and where.
    void failed(int pageIndex, const QString &message);

private:
    struct Answer
    {
        quint64 generation = 0;
        int pageIndex = 0;
        std::optional<std::vector<ProblemSummary>> rows; // nullopt: dropped, or failed
        QString error;
    };
    void deliver(const Answer &answer);

    QThreadPool m_pool;
    // Bumped by reset(); shared with the worker, which stops a read of an older generation.
    std::shared_ptr<std::atomic<quint64>> m_generation;
    std::set<int> m_pending;
};

} // namespace crucible
