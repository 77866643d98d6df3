#pragma once
// Browses and curates the problems of a workspace: filters, debounced full-text search, a lazy
// sortable table with extended selection, the detail view of the current problem, and undoable
// curation (edit, delete, review verdicts with keyboard review, tags, complexity, datasets).
// GUI thread only; the Workspace is borrowed. Writes are small and go through the undo stack.

#include "core/model/dataset.h"
#include "core/store/workspacestats.h"
#include "ui/backgroundrefresh.h"

#include <QFutureWatcher>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;
class QUndoCommand;
class QUndoStack;

namespace crucible {

class CurationContext;
class ProblemDetailView;
class ProblemFilterBar;
class ProblemTableModel;

class ProblemsPanel final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 200;

    explicit ProblemsPanel(QWidget *parent = nullptr);
    ~ProblemsPanel() override;

    void setWorkspace(Workspace *ws);
    // Fills the filter choices with their counts.
    void setStats(const WorkspaceStats &stats);
    // Re-counts and re-reads the table and the problem shown, keeping the filters.
    void reload();

    ProblemFilter currentFilter() const;
    qint64 totalCount() const { return m_total; } // problems in the workspace, unfiltered
    void setDomainFilter(const QString &domain);
    void setDatasetFilter(const QString &datasetId);
    void clearFilters();
    // Selects the problem in the table when it is on a loaded page, and always shows it in the
    // detail view.
    void selectProblem(const QString &id);

    // Curation; each is one undoable step and one transaction. "Selection" means the selected
    // rows, or the problem shown when no row is selected.
    QStringList selectedIds() const;
    // Verdict on the selection; with one problem selected, moves on to the next one.
    void review(ReviewStatus status);
    void beginNote();
    bool beginEdit();
    void nextProblem();
    void previousProblem();
    void deleteSelection();
    void addTagToSelection(const QString &tag);
    void removeTagFromSelection(const QString &tag);
    void setComplexityOfSelection(Complexity complexity);
    void addSelectionToDataset(const QString &datasetId);
    // Returns the new dataset's id (empty when nothing was selected).
    QString addSelectionToNewDataset(const QString &name);
    // Removes the selection from the dataset the table is filtered by.
    void removeSelectionFromDataset();

    QUndoStack *undoStack() const { return m_undo; }
    // Adds Undo and Redo (Ctrl+Z, Ctrl+Shift+Z) to a menu, e.g. the main window's Edit menu.
    void addEditActions(QMenu *menu);
    // The bulk actions, for a menu bar or tool bar.
    QList<QAction *> curationActions() const;

    void saveState() const;
    void restoreState();

    ProblemTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchBox() const;
    ProblemFilterBar *filterBar() const { return m_filterBar; }
    ProblemDetailView *detailView() const { return m_detail; }

signals:
    void currentProblemChanged(const QString &id);
    void filteredCountChanged(qint64 count);
    void errorOccurred(const QString &message);
    // Problems were changed, deleted or restored here (statistics are out of date).
    void workspaceModified();
    // The datasets, jobs and tags offered by the filters were read (in the background).
    void filterChoicesLoaded();

private:
    struct Choices
    {
        std::vector<Dataset> datasets;
        FilterChoices filter;
        QString error;
    };

    void createActions();
    void loadChoices();          // now (or right after the one running)
    void loadChoicesThrottled(); // automatic refreshes: at most a 20 % duty cycle
    void onChoicesLoaded();
    void updateCountLabel();
    void applyFilter();
    // current: the problem shown before, kept selected when it is still on the first page.
    void onFilterApplied(const QString &current);
    // Selects the problem shown in the detail view when it is on the first page.
    void selectShownProblem();
    // A count finished on the worker arrived in the model.
    void onCountFinished();
    void onCurrentRowChanged(int row);
    void onEscape();
    void updateEmptyState();
    void copyCurrentId();
    void onProblemsChanged(bool rowsChanged);
    // Re-counts and re-reads the rows under the same filter, keeping the reader's row.
    void refreshRows(bool rowsChanged);
    void onHeaderClicked(int section);
    void showContextMenu(const QPoint &pos);
    void askTag(bool add);
    void askNewDataset();
    void push(QUndoCommand *command);
    void selectRow(int row);

    Workspace *m_workspace = nullptr;
    qint64 m_total = 0;
    ProblemTableModel *m_model = nullptr;
    ProblemFilterBar *m_filterBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_emptyLabel = nullptr;
    ProblemDetailView *m_detail = nullptr;
    CurationContext *m_context = nullptr;
    QUndoStack *m_undo = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QList<QAction *> m_reviewActions; // keys that act on the table / detail view
    QList<QAction *> m_bulkActions;
    QMenu *m_complexityMenu = nullptr;
    QMenu *m_datasetMenu = nullptr;
    QAction *m_removeFromDataset = nullptr;
    std::vector<Dataset> m_datasets;
    FilterChoices m_choices;
    QFutureWatcher<Choices> m_choicesWatcher;
    bool m_choicesPending = false;
    bool m_choicesUrgent = false; // the pending refresh is not to be throttled
    RefreshThrottle m_choicesThrottle;
    QTimer *m_choicesDelay = nullptr;  // single shot: a throttled refresh
    QTimer *m_modifiedTimer = nullptr; // coalesces workspaceModified while reviewing by keys
    int m_sortSection = -1;            // -1: insertion order
    bool m_selectAfterCount = false;   // a filter change waits for its count
    int m_rowBeforeReset = -1;         // current row before the model's last reset
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace crucible
