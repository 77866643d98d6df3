#pragma once
// Shows one problem in full: statement as Markdown, constraints, success criteria, sample data,
// matrix cell, tags, lineage links and its review verdict; an edit form replaces it while the
// problem is edited. Reads through the borrowed Workspace on the GUI thread; writes nothing
// itself (the Problems panel saves through undo commands).

#include "core/model/problem.h"

#include <QString>
#include <QWidget>
#include <optional>

class QLabel;
class QScrollArea;
class QStackedWidget;
class QTextBrowser;
class QUrl;

namespace crucible {

class Workspace;
class ProblemEditForm;
class ReviewBar;
struct LineageEntry;

class ProblemDetailView final : public QWidget
{
    Q_OBJECT
public:
    // Lineage lists are cut off after this many entries (a seed may have thousands of variants).
    static constexpr int kMaxLineageEntries = 50;

    explicit ProblemDetailView(QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws); // null detaches and clears
    // Loads and shows the problem; an empty or unknown id shows the empty state.
    void showProblem(const QString &id);
    void clear();
    // Re-reads the problem shown (its fields, review and lineage may have changed); clears when it
    // was deleted. An open edit form is left alone.
    void refresh();

    // Opens the edit form for the problem shown; false when none is shown.
    bool beginEdit();
    void endEdit();
    bool isEditing() const;

    QString problemId() const { return m_problemId; }
    const std::optional<Problem> &problem() const { return m_problem; }
    ProblemEditForm *editForm() const { return m_form; }
    ReviewBar *reviewBar() const { return m_reviewBar; }
    QString statementText() const; // the rendered statement and sections, as plain text

signals:
    // A lineage link was clicked.
    void problemLinkActivated(const QString &id);
    void saveRequested(const crucible::Problem &before, const crucible::Problem &after);
    void editFinished();

private:
    void load(const QString &id);
    void render(const Problem &p, const std::vector<LineageEntry> &ancestors,
                const std::vector<LineageEntry> &descendants);
    void showMessage(const QString &text);
    void onAnchorClicked(const QUrl &url);

    Workspace *m_workspace = nullptr;
    QString m_problemId;
    std::optional<Problem> m_problem;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QTextBrowser *m_browser = nullptr;
    ProblemEditForm *m_form = nullptr;
    ReviewBar *m_reviewBar = nullptr;
    QWidget *m_page = nullptr;
    QScrollArea *m_formScroll = nullptr;
};

} // namespace crucible
