#pragma once
// Browses the problems of a workspace: filters, debounced full-text search, a lazy table and
// the detail view of the current problem. GUI thread only; the Workspace is borrowed.

#include "core/store/workspacestats.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;

namespace crucible {

class ProblemDetailView;
class ProblemTableModel;

class ProblemsPanel final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 200;

    explicit ProblemsPanel(QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws);
    // Fills the filter choices with their counts.
    void setStats(const WorkspaceStats &stats);
    // Re-counts and re-reads the table, keeping the filters.
    void reload();

    ProblemFilter currentFilter() const;
    qint64 totalCount() const { return m_total; } // problems in the workspace, unfiltered
    void setDomainFilter(const QString &domain);
    void clearFilters();
    // Selects the problem in the table when it is on a loaded page, and always shows it in the
    // detail view.
    void selectProblem(const QString &id);

    void saveState() const;
    void restoreState();

    ProblemTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchBox() const { return m_search; }
    ProblemDetailView *detailView() const { return m_detail; }

signals:
    void currentProblemChanged(const QString &id);
    void filteredCountChanged(qint64 count);
    void errorOccurred(const QString &message);

private:
    void buildFilterBar(QWidget *bar);
    void fillFilterCombos(const WorkspaceStats *stats);
    void updateCountLabel();
    void applyFilter();
    // current: the problem shown before, kept selected when it is still on the first page.
    void onFilterApplied(const QString &current);
    void onCurrentRowChanged(int row);
    void onEscape();
    void updateEmptyState();
    void copyCurrentId();

    Workspace *m_workspace = nullptr;
    qint64 m_total = 0;
    ProblemTableModel *m_model = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_domain = nullptr;
    QComboBox *m_complexity = nullptr;
    QComboBox *m_origin = nullptr;
    QLabel *m_countLabel = nullptr;
    QTimer *m_searchTimer = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_emptyLabel = nullptr;
    ProblemDetailView *m_detail = nullptr;
};

} // namespace crucible
