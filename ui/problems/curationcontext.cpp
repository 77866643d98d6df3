#include "ui/problems/curationcontext.h"

#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"

#include <QtConcurrent>

namespace crucible {

CurationContext::CurationContext(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = m_watcher.result();
        emit busyChanged(false, m_what);
        if (!error.isEmpty())
            fail(tr("Could not %1 in %2: %3")
                     .arg(m_what, m_workspace ? m_workspace->path() : QString(), error));
        else
            notifyChanged(m_ids, m_rowsChanged);
    });
}

CurationContext::~CurationContext()
{
    m_watcher.waitForFinished();
}

void CurationContext::runInBackground(const QString &what, std::function<void(Workspace &)> write,
                                      const QStringList &ids, bool rowsChanged)
{
    if (!m_workspace)
        return;
    m_watcher.waitForFinished(); // the panel blocks curation while busy; this is a backstop
    m_ids = ids;
    m_rowsChanged = rowsChanged;
    m_what = what;
    emit busyChanged(true, what);
    const QString path = m_workspace->path();
    m_watcher.setFuture(
        QtConcurrent::run(workspacePool(), [path, write = std::move(write)]() -> QString {
            try {
                const auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
                write(*ws);
                return {};
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what());
            }
        }));
}

} // namespace crucible
