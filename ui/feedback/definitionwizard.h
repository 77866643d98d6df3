#pragma once
// DefinitionWizard: the problem definition session in a window. The expert types a rough
// statement and the domain; the LLM's questions come in batches, each with why it matters and
// its suggested answers as clickable chips; every question can be answered, skipped, or left
// to the model ("you decide"). After every answer (a chip, Return, You decide, Skip) the live
// draft (statement, knowledge, constraints, success criteria, the rubric per aspect, test cases)
// is rewritten and shows what that answer changed, highlighted; Send the rest closes the batch.
// When the answers stop changing the draft the wizard says so; Finish makes the problem, Finish and
// generate opens generation for it. The calls run on the engine thread (DefinitionEngine); the
// session is stored after every step, so closing the wizard loses nothing (crucible-cli define WS
// --session ID continues it). Opened with open(). GUI thread.

#include "core/engine/llmengine.h"

#include <QDialog>
#include <nlohmann/json.hpp>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QTextBrowser;
class QVBoxLayout;

namespace crucible {

class LlmEngineHost;

class DefinitionWizard final : public QDialog
{
    Q_OBJECT

public:
    explicit DefinitionWizard(LlmEngineHost *host, QWidget *parent = nullptr);

    void setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId);
    void setDomain(const QString &domain);

    // For tests and the keyboard: the same as typing and clicking.
    void startSession(const QString &domain, const QString &statement);
    void pickSuggestion(const QString &questionId, int index); // fills the answer, 0-based
    void setAnswer(const QString &questionId, const QString &text);
    void setYouDecide(const QString &questionId);
    void applyAnswer(const QString &questionId); // this answer into the draft now
    void sendAnswers();                          // the rest of the batch (unanswered: skipped)
    void finishSession(bool generate);

    QString sessionId() const { return m_sessionId; }
    QString status() const;          // the session's state (asking, answering, ready, finished)
    QStringList questionIds() const; // of the open batch
    QString answerText(const QString &questionId) const; // as typed in its row
    QString draftText() const;
    QString statusText() const;
    QStringList lastChanges() const { return m_changes; }

signals:
    void problemCreated(const QString &problemId, bool generate);
    void updated(); // a new state of the session is on show

private:
    struct QuestionRow
    {
        QString id;
        QLineEdit *answer = nullptr;
        QPushButton *decide = nullptr;
        QPushButton *skip = nullptr;
        QStringList suggestions;
    };

    void onSessionUpdated(const QString &id, const QString &recordJson, const QStringList &changes);
    void showQuestions(const nlohmann::json &round);
    void showDraft();
    void setBusy(bool busy);
    QuestionRow *row(const QString &questionId);

    LlmEngineHost *m_host;
    QList<LlmProviderInfo> m_providers;
    QString m_sessionId;
    bool m_starting = false;
    bool m_generate = false;
    nlohmann::json m_record = nlohmann::json::object();
    QStringList m_changes;
    std::vector<QuestionRow> m_rows;
    QLineEdit *m_domain = nullptr;
    QPlainTextEdit *m_statement = nullptr;
    QComboBox *m_provider = nullptr;
    QPushButton *m_start = nullptr;
    QWidget *m_questions = nullptr;
    QScrollArea *m_scroll = nullptr;
    QVBoxLayout *m_questionLayout = nullptr;
    QPushButton *m_send = nullptr;
    QTextBrowser *m_draft = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_finish = nullptr;
    QPushButton *m_finishGenerate = nullptr;
};

} // namespace crucible
