#include "core/engine/definitionengine.h"

#include "core/engine/llmengine.h"
#include "core/feedback/definitionsession.h"
#include "core/store/workspace.h"

namespace crucible {

using nlohmann::json;

namespace {

json recordJson(const DefinitionRecord &r)
{
    return {{"id", r.id.toStdString()},
            {"domain", r.domain.toStdString()},
            {"statement", r.statement.toStdString()},
            {"status", r.status.toStdString()},
            {"doc", r.doc},
            {"problem_id", r.problemId.toStdString()}};
}

// Counts a running step for busyChanged while it lives.
class BusyScope
{
public:
    BusyScope(int &busy, DefinitionEngine *engine)
        : m_busy(busy)
        , m_engine(engine)
    {
        if (m_busy++ == 0)
            emit m_engine->busyChanged(true);
    }
    ~BusyScope()
    {
        if (--m_busy == 0)
            emit m_engine->busyChanged(false);
    }
    BusyScope(const BusyScope &) = delete;
    BusyScope &operator=(const BusyScope &) = delete;

private:
    int &m_busy;
    DefinitionEngine *m_engine;
};

} // namespace

DefinitionEngine::DefinitionEngine(LlmEngine *llm, QObject *parent)
    : QObject(parent)
    , m_llm(llm)
{
}

DefinitionEngine::~DefinitionEngine() = default;

QCoro::Task<> DefinitionEngine::shutdown()
{
    co_await m_tasks.drain();
}

void DefinitionEngine::setWorkspacePath(const QString &path)
{
    m_path = path;
}

QString DefinitionEngine::provider(const QString &requested) const
{
    LlmClient *client = m_llm->client();
    if (!requested.isEmpty() && client->provider(requested))
        return requested;
    return client->providerIds().isEmpty() ? QString() : client->providerIds().front();
}

void DefinitionEngine::start(const QString &domain, const QString &statement,
                             const QString &providerId)
{
    m_tasks.start(startTask(domain, statement, providerId));
}

void DefinitionEngine::answer(const QString &sessionId, const QString &answersJson,
                              const QString &providerId)
{
    m_tasks.start(answerTask(sessionId, answersJson, providerId, false));
}

void DefinitionEngine::answerOne(const QString &sessionId, const QString &answerJson,
                                 const QString &providerId)
{
    m_tasks.start(answerTask(sessionId, answerJson, providerId, true));
}

void DefinitionEngine::ask(const QString &sessionId, const QString &providerId)
{
    m_tasks.start(askTask(sessionId, providerId));
}

void DefinitionEngine::publish(const QString &sessionId, const QStringList &changes)
{
    try {
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadOnly);
        if (const auto r = DefinitionSession::load(*ws, sessionId))
            emit sessionUpdated(sessionId, QString::fromStdString(recordJson(*r).dump()), changes);
    } catch (const std::exception &e) {
        emit errorOccurred(QStringLiteral("Could not read definition session %1: %2")
                               .arg(sessionId, QString::fromUtf8(e.what())));
    }
}

QCoro::Task<> DefinitionEngine::startTask(QString domain, QString statement, QString providerId)
{
    const BusyScope busy(m_busy, this);
    QString id;
    try {
        if (m_path.isEmpty())
            throw DefinitionError("open a workspace (not read-only) first");
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        const QString p = provider(providerId);
        if (p.isEmpty())
            throw DefinitionError("no LLM provider is ready: add one in Settings → LLM Providers");
        DefinitionSession session(*ws, *m_llm->client(), m_templates, p);
        id = session.start(domain, statement);
        publish(id, {});
        co_await session.askNext(id);
    } catch (const std::exception &e) {
        emit errorOccurred(
            QStringLiteral("Could not start the definition: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!id.isEmpty())
        publish(id, {});
}

QCoro::Task<> DefinitionEngine::answerTask(QString sessionId, QString answersJson,
                                           QString providerId, bool one)
{
    const BusyScope busy(m_busy, this);
    QStringList changes;
    try {
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        const json parsed = json::parse(answersJson.toStdString(), nullptr, false);
        std::map<QString, DefinitionAnswer> answers;
        if (parsed.is_object())
            for (const auto &[id, a] : parsed.items()) {
                const std::string kind = a.value("kind", std::string("answer"));
                const QString text = QString::fromStdString(a.value("text", std::string()));
                answers[QString::fromStdString(id)] = kind == "skip" ? DefinitionAnswer::skip()
                                                      : kind == "you_decide"
                                                          ? DefinitionAnswer::youDecide()
                                                          : DefinitionAnswer::answer(text);
            }
        DefinitionSession session(*ws, *m_llm->client(), m_templates, provider(providerId));
        if (one) {
            if (answers.size() != 1)
                throw DefinitionError("one answer at a time: {question id: answer}");
            const auto [questionId, answer] = *answers.begin();
            changes = co_await session.answerOne(sessionId, questionId, answer);
        } else {
            changes = co_await session.answer(sessionId, answers);
        }
    } catch (const std::exception &e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
    publish(sessionId, changes);
}

QCoro::Task<> DefinitionEngine::askTask(QString sessionId, QString providerId)
{
    const BusyScope busy(m_busy, this);
    try {
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        DefinitionSession session(*ws, *m_llm->client(), m_templates, provider(providerId));
        co_await session.askNext(sessionId);
    } catch (const std::exception &e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
    publish(sessionId, {});
}

void DefinitionEngine::finish(const QString &sessionId)
{
    try {
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        DefinitionSession session(*ws, *m_llm->client(), m_templates, QString());
        const QString problemId = session.finish(sessionId);
        publish(sessionId, {});
        emit problemCreated(sessionId, problemId);
    } catch (const std::exception &e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
}

} // namespace crucible
