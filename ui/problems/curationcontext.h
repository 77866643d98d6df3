#pragma once
// What the Problems panel's undo commands share: the workspace they write to, signals that tell
// the views to re-read after a command ran (or failed), and a background writer for large
// changes (its own Workspace connection on the thread pool, so the GUI never waits on thousands
// of rows). GUI thread only; the panel owns it and clears its undo stack whenever the workspace
// changes.

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <functional>

namespace crucible {

class Workspace;

class CurationContext final : public QObject
{
    Q_OBJECT
public:
    // Changes of at least this many problems are written in the background.
    static constexpr qsizetype kBackgroundRows = 2000;

    explicit CurationContext(QObject *parent = nullptr);
    ~CurationContext() override;

    void setWorkspace(Workspace *ws) { m_workspace = ws; }
    Workspace *workspace() const { return m_workspace; }
    bool isBusy() const { return m_watcher.isRunning(); }

    // rowsChanged: problems appeared or disappeared (the table must re-count), not only fields.
    void notifyChanged(const QStringList &ids, bool rowsChanged)
    {
        emit problemsChanged(ids, rowsChanged);
    }
    void fail(const QString &message) { emit errorOccurred(message); }

    // Runs write on the thread pool with a second read-write connection to the workspace; then
    // reports problemsChanged (or errorOccurred with what went wrong). write throws on failure.
    void runInBackground(const QString &what, std::function<void(Workspace &)> write,
                         const QStringList &ids, bool rowsChanged);

signals:
    void problemsChanged(const QStringList &ids, bool rowsChanged);
    void errorOccurred(const QString &message);
    // A background write started (busy) or ended; the panel blocks curation meanwhile.
    void busyChanged(bool busy, const QString &what);

private:
    Workspace *m_workspace = nullptr;
    QFutureWatcher<QString> m_watcher; // the error, empty on success
    QStringList m_ids;
    bool m_rowsChanged = false;
    QString m_what;
};

} // namespace crucible
