#include "ui/llm/llmstatusindicator.h"

#include <QLocale>
#include <QTimer>

namespace crucible {

LlmStatusIndicator::LlmStatusIndicator(QWidget *parent)
    : QLabel(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &LlmStatusIndicator::render);
    render();
}

void LlmStatusIndicator::setStats(const LlmSessionStats &stats)
{
    m_stats = stats;
    if (!m_timer->isActive())
        m_timer->start();
}

void LlmStatusIndicator::render()
{
    const QLocale locale;
    QString text =
        m_stats.inFlight > 0 ? tr("LLM: %1 in flight").arg(m_stats.inFlight) : tr("LLM: idle");
    text += tr(" · $%1 this session").arg(m_stats.costUsd, 0, 'f', m_stats.costUsd < 1 ? 4 : 2);
    if (m_stats.unpricedCalls > 0)
        text += tr(" + %1 unpriced").arg(m_stats.unpricedCalls);
    setText(text);
    setToolTip(tr("This session: %1 calls, %2 failed, %3 answered from the cache, %4 tokens.\n"
                  "Open View → Request Inspector for every call.")
                   .arg(locale.toString(m_stats.calls), locale.toString(m_stats.errors),
                        locale.toString(m_stats.cacheHits), locale.toString(m_stats.tokens)));
}

} // namespace crucible
