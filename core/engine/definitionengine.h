#pragma once
// DefinitionEngine: runs problem definition sessions (DefinitionSession) on the engine thread
// for the window's wizard, with the LlmEngine's client and a workspace connection of its own
// per step. Talk to it through queued calls; its signals arrive queued on the GUI thread and
// carry the session as its stored JSON record (QString), so that the wizard always shows what
// is stored. The coroutines its slots start are owned by it: await shutdown() before destroying.

#include "core/engine/taskgroup.h"
#include "core/llm/prompttemplates.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <QString>

namespace crucible {

class LlmEngine;

class DefinitionEngine final : public QObject
{
    Q_OBJECT

public:
    explicit DefinitionEngine(LlmEngine *llm, QObject *parent = nullptr);
    ~DefinitionEngine() override;

    QCoro::Task<> shutdown();

public slots:
    void setWorkspacePath(const QString &path);
    // A new session, then its first questions.
    void start(const QString &domain, const QString &statement, const QString &providerId);
    // Answers of the open batch: JSON {question id: {"kind": answer|skip|you_decide, "text"}}.
    void answer(const QString &sessionId, const QString &answersJson, const QString &providerId);
    // One answer (the same JSON with one question): the draft is rewritten at once.
    void answerOne(const QString &sessionId, const QString &answerJson, const QString &providerId);
    // Asks again (after an error) or reloads a session (emits sessionUpdated).
    void ask(const QString &sessionId, const QString &providerId);
    void finish(const QString &sessionId);

signals:
    // The session as stored, and what the last answers changed in the draft.
    void sessionUpdated(const QString &sessionId, const QString &recordJson,
                        const QStringList &changes);
    void busyChanged(bool busy);
    void problemCreated(const QString &sessionId, const QString &problemId);
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> startTask(QString domain, QString statement, QString providerId);
    QCoro::Task<> answerTask(QString sessionId, QString answersJson, QString providerId, bool one);
    QCoro::Task<> askTask(QString sessionId, QString providerId);
    void publish(const QString &sessionId, const QStringList &changes);
    QString provider(const QString &requested) const;

    LlmEngine *m_llm;
    QString m_path;
    PromptTemplates m_templates;
    TaskGroup m_tasks;
    int m_busy = 0;
};

} // namespace crucible
