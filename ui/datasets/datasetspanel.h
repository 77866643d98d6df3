#pragma once
// The Datasets dock: every dataset with size, complexity mix, origin, cost and creation time;
// the selected one's members in order and its dataset card (Markdown); rename (F2, undoable),
// delete (keeping or deleting the member problems) and export (Hugging Face JSONL + card, or
// CSV; optionally only accepted problems). GUI thread only; the Workspace is borrowed. Lists,
// cards, deletes and exports are read and written on the thread pool through their own
// connections, so the window never waits for them.

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QUndoStack;

namespace crucible {

class DatasetListModel;
class DatasetMemberModel;
class Workspace;

enum class DatasetExportFormat { HfJsonl, Csv };

class DatasetsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetsPanel(QWidget *parent = nullptr);
    ~DatasetsPanel() override;

    void setWorkspace(Workspace *ws);
    // Re-reads the list in the background (after a job finished, an import, ...); keeps the
    // selection. reloaded() follows.
    void reload();

    QString currentDatasetId() const;
    void selectDataset(const QString &id);
    // Starts the rename editor on the current dataset's name (F2).
    void renameCurrent();
    // Asks whether the members stay (the default) or go too, then deletes.
    void deleteCurrent();
    // Opens the save dialog for the current dataset.
    void exportCurrent();

    // The work behind the buttons, for tests and scripts: each runs in the background and ends
    // with its signal.
    void deleteDataset(const QString &id, bool withMembers);
    void exportDataset(const QString &id, const QString &path, DatasetExportFormat format,
                       bool onlyAccepted);

    // "<Documents or home>/<dataset name>.jsonl" (a visible folder).
    QString suggestedExportPath(const QString &id, DatasetExportFormat format) const;

    DatasetListModel *model() const { return m_model; }
    DatasetMemberModel *memberModel() const { return m_members; }
    QTableView *table() const { return m_table; }
    QTableView *memberTable() const { return m_memberTable; }
    QTextBrowser *cardView() const { return m_card; }
    QCheckBox *onlyAcceptedBox() const { return m_onlyAccepted; }
    QUndoStack *undoStack() const { return m_undo; }
    QString statusText() const;

signals:
    void reloaded();
    void cardShown(const QString &datasetId);
    void problemActivated(const QString &problemId);
    // Problems were deleted with a dataset: the Problems panel should reload.
    void problemsChanged();
    void deleteFinished(const QString &datasetId, const QString &error);
    void exportFinished(const QString &path, qint64 problems, const QString &error);
    void errorOccurred(const QString &message);

private:
    struct ListResult;
    struct CardResult;

    // Background reads and writes use their own connection to the workspace file; the panel
    // waits for them when it goes, so none outlives the panel (and its caller's file).
    template <typename T> QFuture<T> track(QFuture<T> future)
    {
        m_pending.removeIf([](const QFuture<void> &f) { return f.isFinished(); });
        m_pending.append(QFuture<void>(future));
        return future;
    }
    QList<QFuture<void>> m_pending;

    void onListLoaded();
    void onCurrentChanged();
    void loadCard(const QString &id);
    void onRenameRequested(const QString &id, const QString &oldName, const QString &newName);
    void updateButtons();
    void setStatus(const QString &text);

    Workspace *m_ws = nullptr;
    QString m_wsPath;
    DatasetListModel *m_model;
    DatasetMemberModel *m_members;
    QUndoStack *m_undo;
    QTableView *m_table = nullptr;
    QTableView *m_memberTable = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_card = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_export = nullptr;
    QCheckBox *m_onlyAccepted = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_empty = nullptr;
    QString m_selectAfterReload;
    int m_cardGeneration = 0;
    int m_listGeneration = 0;
    bool m_busy = false;
};

} // namespace crucible
