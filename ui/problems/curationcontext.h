#pragma once
// What the Problems panel's undo commands share: the workspace they write to, and signals that
// tell the views to re-read after a command ran (or failed). GUI thread only; the panel owns it
// and clears its undo stack whenever the workspace changes.

#include <QObject>
#include <QStringList>

namespace crucible {

class Workspace;

class CurationContext final : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void setWorkspace(Workspace *ws) { m_workspace = ws; }
    Workspace *workspace() const { return m_workspace; }

    // rowsChanged: problems appeared or disappeared (the table must re-count), not only fields.
    void notifyChanged(const QStringList &ids, bool rowsChanged)
    {
        emit problemsChanged(ids, rowsChanged);
    }
    void fail(const QString &message) { emit errorOccurred(message); }

signals:
    void problemsChanged(const QStringList &ids, bool rowsChanged);
    void errorOccurred(const QString &message);

private:
    Workspace *m_workspace = nullptr;
};

} // namespace crucible
