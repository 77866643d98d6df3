#include "ui/agents/specializationrunner.h"

#include "core/engine/llmengine.h"

#include <QPointer>

namespace crucible {

namespace {

QCoro::Task<> suggestOnEngine(QPointer<SpecializationRunner> runner, LlmEngine *engine,
                              quint64 ticket, AgentVersion source, SpecializationRequest request)
{
    SpecializationSuggestion s;
    if (!engine->client()) {
        s.source = source;
        s.request = request;
        s.error = QStringLiteral("The LLM engine is not ready; try again in a moment");
    } else {
        const PromptTemplates templates;
        CloneSpecializer specializer(*engine->client(), templates);
        SpecializationSuggestion got =
            co_await specializer.suggest(std::move(source), std::move(request));
        s = std::move(got);
        engine->client()->flushLedger();
    }
    if (runner)
        emit runner->finished(ticket, s);
}

} // namespace

SpecializationRunner::SpecializationRunner(LlmEngine *engine)
    : m_engine(engine)
{
    qRegisterMetaType<crucible::SpecializationSuggestion>();
    moveToThread(engine->thread());
}

void SpecializationRunner::start(quint64 ticket, const AgentVersion &source,
                                 const SpecializationRequest &request)
{
    QMetaObject::invokeMethod(
        this, [this, ticket, source, request] { run(ticket, source, request); },
        Qt::QueuedConnection);
}

void SpecializationRunner::run(quint64 ticket, AgentVersion source, SpecializationRequest request)
{
    // Owned by the engine, so that shutting it down awaits the suggestion.
    m_engine->adopt(suggestOnEngine(QPointer<SpecializationRunner>(this), m_engine, ticket,
                                    std::move(source), std::move(request)));
}

} // namespace crucible
