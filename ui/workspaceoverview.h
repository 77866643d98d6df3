#pragma once
// Summary of the open workspace for a dock: file, schema, entity counts and domains (clicking
// a domain asks to filter by it). GUI thread only; shows the statistics it is given.

#include <QWidget>

class QLabel;
class QListWidget;

namespace crucible {

struct WorkspaceStats;

class WorkspaceOverview final : public QWidget
{
    Q_OBJECT
public:
    explicit WorkspaceOverview(QWidget *parent = nullptr);

    // While the statistics are being counted (path not empty) or when nothing is open.
    void showPending(const QString &path);
    void setStats(const WorkspaceStats &stats, const QString &error);
    QListWidget *domainList() const { return m_domains; }

signals:
    void domainActivated(const QString &domain);

private:
    QLabel *m_summary = nullptr;
    QListWidget *m_domains = nullptr;
};

} // namespace crucible
