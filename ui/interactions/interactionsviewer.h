#pragma once
// Browses the simulated interactions of a workspace: the list on the left (optionally only the
// followed problem's), the selected transcript on the right as a chat, with copy as plain text.
// GUI thread only; the Workspace is borrowed and must be reset (setWorkspace) before it dies.

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QListView;
class QSplitter;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace crucible {

class InteractionListModel;
class TranscriptModel;
class Workspace;

class InteractionsViewer final : public QWidget
{
    Q_OBJECT
public:
    explicit InteractionsViewer(QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws);
    // Re-reads the list, keeping the selection when it is still there.
    void reload();

    // Selects the interaction when it is in the list; false otherwise.
    bool selectInteraction(const QString &id);
    QString currentInteractionId() const;

    // The problem the "Only this problem" filter follows (setProblemFilter).
    QString followedProblem() const { return m_followedProblem; }
    bool onlyThisProblem() const;
    void setOnlyThisProblem(bool only);

    // The shown transcript as plain text (what Copy puts on the clipboard); empty when none.
    QString transcriptText() const;
    // The header's stop reason / turns / cost / job line, and its problem line.
    QString statusText() const;
    QString problemText() const;
    bool isEmptyStateShown() const;
    QString emptyStateText() const;

    InteractionListModel *model() const { return m_model; }
    TranscriptModel *transcript() const { return m_transcript; }
    QTreeView *list() const { return m_list; }
    QListView *transcriptView() const { return m_transcriptView; }
    QToolButton *copyButton() const { return m_copyButton; }
    // Shown in the empty state when something listens to generateRequested.
    QPushButton *generateButton() const { return m_generateButton; }
    QCheckBox *onlyProblemCheck() const { return m_onlyProblem; }

public slots:
    // Newly stored interactions (from a generation job): appended when they match the filter.
    void addInteractions(const QStringList &ids);
    // The problem to follow (usually the current one in the Problems panel); empty = none.
    // Filters the list when "Only this problem" is on.
    void setProblemFilter(const QString &problemId);
    void copyTranscript();

signals:
    void currentInteractionChanged(const QString &id);
    void errorOccurred(const QString &message);
    // The empty state's "Generate Interactions…": open the generation dialog.
    void generateRequested();

private:
    void buildList(QWidget *side);
    void buildTranscript(QWidget *side);
    void applyFilter();
    void onCurrentRowChanged(int row);
    void showInteraction(int row);
    void updateHeader();
    void updateListState();

    Workspace *m_workspace = nullptr;
    QString m_followedProblem;
    InteractionListModel *m_model = nullptr;
    TranscriptModel *m_transcript = nullptr;
    QSplitter *m_splitter = nullptr;
    QCheckBox *m_onlyProblem = nullptr;
    QLabel *m_countLabel = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QTreeView *m_list = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QPushButton *m_generateButton = nullptr;
    QStackedWidget *m_transcriptStack = nullptr;
    QLabel *m_noSelectionLabel = nullptr;
    QLabel *m_problemLabel = nullptr;
    QLabel *m_rolesLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QToolButton *m_copyButton = nullptr;
    QListView *m_transcriptView = nullptr;
    QString m_problemStatement; // of the shown interaction, for the copied text
};

} // namespace crucible
