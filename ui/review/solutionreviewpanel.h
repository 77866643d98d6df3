#pragma once
// SolutionReviewPanel: a problem's solutions side by side (answer, critiques, refinement link,
// the verifier's scores, rationales, checks and novelty), and a person's rating of each aspect
// entered from the keyboard: 1–5 rate the current aspect and move on, S skips, ↑/↓ (K/J) change
// aspect, ←/→ (P/N) change solution, E edits the note (Enter stores it). Ratings are stored at
// once as human judgments; Ctrl+Z / Ctrl+Shift+Z undo and redo them (for the problem shown).
// Filters: unreviewed, low score, judges disagree. GUI thread.

#include "core/model/humanjudgment.h"
#include "core/model/solution.h"

#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QTableWidget;
class QTextBrowser;
class QUndoStack;

namespace crucible {

class SolutionReviewModel;
class Workspace;

class SolutionReviewPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit SolutionReviewPanel(QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws);
    SolutionReviewModel *model() const { return m_model; }
    int currentRow() const { return m_row; }
    QString currentAspect() const;
    QString currentSolutionId() const;
    QString statusText() const;
    QTextBrowser *card(int row) const;
    QLineEdit *noteEdit() const { return m_note; }
    QComboBox *problemBox() const { return m_problem; }
    QComboBox *filterBox() const { return m_filter; }
    QUndoStack *undoStack() const { return m_undo; }
    // Used by undo and redo: stores `judgment` (or none) and shows that solution and aspect.
    void applyJudgment(const QString &solutionId, const QString &aspect,
                       const std::optional<HumanJudgment> &judgment, const QString &what);

public slots:
    // Shows this problem's solutions (the Problems panel's selection follows here).
    void setProblem(const QString &problemId);
    // New solutions or verdicts: reload, keeping the place.
    void refresh();
    void nextSolution();
    void previousSolution();
    void nextAspect();
    void previousAspect();
    // Rates the current aspect of the current solution (1–5; nullopt skips) and moves on.
    void rateCurrent(std::optional<int> rating);

signals:
    void errorOccurred(const QString &message);

protected:
    bool event(QEvent *event) override; // claims Ctrl+Z from the window's shortcuts
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void reloadProblems();
    void rebuildCards();
    void updateCard(int row);
    void updateRatingTable();
    void updateStatus();
    void setCurrent(int row, int aspect);
    QString cardHtml(int row) const;
    std::optional<HumanJudgment> storedJudgment(const QString &solutionId,
                                                const QString &aspect) const;
    // Records a change of a judgment made just now, for undo.
    void recordChange(const QString &solutionId, const QString &aspect,
                      std::optional<HumanJudgment> before, const QString &what);

    SolutionReviewModel *m_model;
    QComboBox *m_problem;
    QComboBox *m_filter;
    QLabel *m_progress;
    QScrollArea *m_scroll;
    QWidget *m_cardsHost;
    QHBoxLayout *m_cards;
    QTableWidget *m_ratings;
    QLineEdit *m_note;
    QLabel *m_status;
    std::vector<QTextBrowser *> m_cardViews;
    QUndoStack *m_undo;
    int m_row = -1;
    int m_aspect = 0;
};

} // namespace crucible
