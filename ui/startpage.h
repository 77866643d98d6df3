#pragma once
// StartPage: what a new user sees with no workspace open or an empty one. Says in three lines
// what Crucible does and offers the first steps as big buttons; it only emits requests, the
// main window carries them out. GUI thread.

#include <QWidget>

class QCommandLinkButton;
class QLabel;

namespace crucible {

class StartPage final : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(QWidget *parent = nullptr);

    // The workspace that is open ("" when none): the line above the buttons says which one is
    // empty, or that generating first asks where to keep the problems.
    void setWorkspace(const QString &path, bool readOnly);
    // Recently opened workspaces (newest first), offered as links below the buttons.
    void setRecent(const QStringList &paths);

    QString situationText() const;
    QCommandLinkButton *generateButton() const { return m_generate; }
    QCommandLinkButton *matrixButton() const { return m_matrix; }
    QCommandLinkButton *importButton() const { return m_import; }
    QCommandLinkButton *exampleButton() const { return m_example; }
    QLabel *recentLabel() const { return m_recent; }

signals:
    void generateRequested();
    void matrixRequested();
    void importRequested();
    void exampleRequested();
    void openRequested();
    void recentRequested(const QString &path);

private:
    QLabel *m_situation = nullptr;
    QCommandLinkButton *m_generate = nullptr;
    QCommandLinkButton *m_matrix = nullptr;
    QCommandLinkButton *m_import = nullptr;
    QCommandLinkButton *m_example = nullptr;
    QLabel *m_recent = nullptr;
};

} // namespace crucible
