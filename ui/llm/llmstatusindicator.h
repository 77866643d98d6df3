#pragma once
// LlmStatusIndicator: the status bar field for LLM activity — calls in flight, calls made,
// failures and the session's spend (unpriced calls counted apart). GUI thread; updates are
// coalesced so hundreds of calls a second cost a few repaints.

#include "core/llm/llmclient.h"

#include <QLabel>

class QTimer;

namespace crucible {

class LlmStatusIndicator final : public QLabel
{
    Q_OBJECT

public:
    explicit LlmStatusIndicator(QWidget *parent = nullptr);

    const LlmSessionStats &stats() const { return m_stats; }

public slots:
    void setStats(const crucible::LlmSessionStats &stats);

private:
    void render();

    LlmSessionStats m_stats;
    QTimer *m_timer = nullptr;
};

} // namespace crucible
