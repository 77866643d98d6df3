#pragma once
// InboxPanel: the feedback inbox (FeedbackCollector) for people. The current digest's questions
// in expected-value order; the selected one's context side by side (the problem, the
// solutions, each judge's scores and rationales, the rubric item) and its quick answers:
// ratings 1–5 per aspect, A / B / tie, yes / no, or free text. Keyboard-driven like the solution
// review: 1–5 rate the highlighted aspect and move to the next (the last one sends the answer),
// a / b / t choose, y / n answer yes or no, j / k move between questions, s skips, z snoozes for
// a day, Del dismisses. After an answer the panel says what it did (questions it resolved
// automatically, judgments recorded, the rubric's new version). History lists every answered,
// resolved and dismissed question with the effect of its answer, and Undo reverts an answer.
// Reads and writes are small and go through the GUI's workspace connection. GUI thread.

#include "core/feedback/feedbackcollector.h"

#include <QWidget>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableWidget;
class QTextBrowser;

namespace crucible {

class Workspace;

class InboxPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit InboxPanel(QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws);
    // Another page beside Questions and History (the window adds the calibration view).
    void addPage(QWidget *page, const QString &title);
    // Re-reads the digest (a new one when the cadence has passed) and the history.
    void refresh(bool newDigest = false);

    int openCount() const { return m_open; }
    QListWidget *questionList() const { return m_list; }
    QTableWidget *historyTable() const { return m_history; }
    QString currentQuestionId() const;
    QString contextText() const;
    QString statusText() const;
    // The rating chosen so far for `aspect` of the current question (0: none).
    int pendingRating(const QString &aspect) const;

    // What the keys do (also the buttons): rate the highlighted aspect, choose, answer.
    void rate(int value);
    void choose(const QString &choice); // "a", "b", "tie"
    void answerYesNo(bool yes);
    void answerText(const QString &text);
    void skip();
    void snooze();
    void dismiss();
    void undoSelectedAnswer();

signals:
    void openCountChanged(int open);
    // Human ratings or rubric criteria changed (the calibration and the judges' examples).
    void answered();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showQuestion();
    void showAnswerControls(const FeedbackQuestion &q);
    void send(const AnswerValue &value);
    void fillHistory();
    void setStatus(const QString &text, bool error = false);
    const FeedbackQuestion *current() const;

    Workspace *m_ws = nullptr;
    std::vector<FeedbackQuestion> m_questions; // the digest, still open, by expected value
    std::map<QString, int> m_ratings;          // aspect → rating, for the current question
    int m_aspect = 0;                          // the highlighted aspect
    int m_open = 0;
    QLabel *m_header = nullptr;
    QTabWidget *m_tabs = nullptr;
    QListWidget *m_list = nullptr;
    QTextBrowser *m_context = nullptr;
    QStackedWidget *m_answers = nullptr;
    QWidget *m_ratingPage = nullptr;
    QLabel *m_ratingText = nullptr;
    QLineEdit *m_text = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_history = nullptr;
    QPushButton *m_undo = nullptr;
};

} // namespace crucible
