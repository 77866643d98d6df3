#pragma once
// Shows one problem in full: statement as Markdown, constraints, success criteria, sample data,
// matrix cell, tags and lineage links. Reads through the borrowed Workspace on the GUI thread.

#include <QString>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTextBrowser;
class QUrl;

namespace crucible {

class Workspace;
struct Problem;
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

    QString problemId() const { return m_problemId; }
    QString statementText() const; // the rendered statement and sections, as plain text

signals:
    // A lineage link was clicked.
    void problemLinkActivated(const QString &id);

private:
    void render(const Problem &p, const std::vector<LineageEntry> &ancestors,
                const std::vector<LineageEntry> &descendants);
    void showMessage(const QString &text);
    void onAnchorClicked(const QUrl &url);

    Workspace *m_workspace = nullptr;
    QString m_problemId;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QTextBrowser *m_browser = nullptr;
};

} // namespace crucible
