#pragma once
// The Tournament view: pick a tournament (or the ratings pooled over every comparison); its
// ranking with ratings and 95 % interval bars, the win matrix as a heat map, the rating history
// chart, and the comparisons behind a matrix cell with both orders' verdicts and rationales.
// GUI thread only; the workspace is read on the thread pool through connections of its own, so
// the window never waits.

#include "ui/tournament/tournamentsnapshot.h"

#include <QFuture>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QTimer;

namespace crucible {

class ComparisonListModel;
class RatingHistoryChart;
class RatingTableModel;
class Workspace;
class WinMatrixModel;

class TournamentPanel final : public QWidget
{
    Q_OBJECT
public:
    static constexpr const char *kPooled = "__pooled__";

    explicit TournamentPanel(QWidget *parent = nullptr);
    ~TournamentPanel() override;

    void setWorkspace(Workspace *ws);
    // Reads the current tournament again in the background; reloaded() follows.
    void reload();
    // Coalesces bursts (a running tournament storing comparisons) into one reload.
    void scheduleReload();
    // Shows tournament `id` (kPooled: every comparison pooled).
    void selectTournament(const QString &id);
    QString currentTournamentId() const; // kPooled for the pooled view

    // The comparisons list shows the games between the cell's two entrants (all of them for a
    // cell on the diagonal or an invalid index).
    void showCell(int row, int column);
    void showAllComparisons();
    // Fills the detail pane with the comparison in `row` of the comparisons list.
    void showComparison(int row);

    const TournamentSnapshot &snapshot() const { return m_snapshot; }
    QComboBox *tournamentBox() const { return m_tournaments; }
    RatingTableModel *ratingModel() const { return m_ratingModel; }
    WinMatrixModel *matrixModel() const { return m_matrixModel; }
    ComparisonListModel *comparisonModel() const { return m_comparisonModel; }
    QTableView *ratingTable() const { return m_ratingTable; }
    QTableView *matrixTable() const { return m_matrixTable; }
    QTableView *comparisonTable() const { return m_comparisonTable; }
    QTextBrowser *detailView() const { return m_detail; }
    RatingHistoryChart *historyChart() const { return m_chart; }
    QTabWidget *tabs() const { return m_tabs; }
    QString statusText() const;

signals:
    void reloaded();
    void errorOccurred(const QString &message);

private:
    void onLoaded(TournamentSnapshot snapshot);
    void fillTournamentBox();
    void onTournamentChosen();
    QString comparisonHtml(const ComparisonRecord &c) const;

    QString m_wsPath;
    int m_generation = 0;
    QString m_requested = QString::fromLatin1(kPooled);
    bool m_chosen = false; // the user (or a caller) picked what to show
    TournamentSnapshot m_snapshot;
    QList<QFuture<void>> m_pending;
    QTimer *m_reloadTimer = nullptr;

    QComboBox *m_tournaments = nullptr;
    QPushButton *m_reloadButton = nullptr;
    QLabel *m_status = nullptr;
    RatingTableModel *m_ratingModel = nullptr;
    WinMatrixModel *m_matrixModel = nullptr;
    ComparisonListModel *m_comparisonModel = nullptr;
    QTableView *m_ratingTable = nullptr;
    QTableView *m_matrixTable = nullptr;
    QTableView *m_comparisonTable = nullptr;
    QTextBrowser *m_detail = nullptr;
    QLabel *m_cellLabel = nullptr;
    QPushButton *m_allButton = nullptr;
    RatingHistoryChart *m_chart = nullptr;
    QTabWidget *m_tabs = nullptr;
};

} // namespace crucible
