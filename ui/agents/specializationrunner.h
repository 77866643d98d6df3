#pragma once
// Runs CloneSpecializer::suggest() on the engine thread with the engine's LlmClient and reports
// the suggestion back with a queued signal. Create it on the GUI thread with the engine; it
// moves itself to the engine's thread. Delete it with deleteLater(); a suggestion still in
// flight then finishes without a signal.

#include "core/agents/clonespecializer.h"

#include <QObject>

namespace crucible {

class LlmEngine;

class SpecializationRunner final : public QObject
{
    Q_OBJECT
public:
    explicit SpecializationRunner(LlmEngine *engine);

    // Thread-safe: queues the work onto the engine thread.
    void start(quint64 ticket, const AgentVersion &source, const SpecializationRequest &request);

signals:
    void finished(quint64 ticket, const crucible::SpecializationSuggestion &suggestion);

private:
    void run(quint64 ticket, AgentVersion source, SpecializationRequest request);

    LlmEngine *m_engine;
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::SpecializationSuggestion)
