#include "ui/llm/llmstatusindicator.h"

#include "core/llm/moneyformat.h"

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
    text += tr(" · %1 this session").arg(formatCostTotal(m_stats.costUsd, m_stats.unpricedCalls));
    setText(text);
    setToolTip(tr("This session: %1 calls, %2 failed, %3 cancelled, %4 answered from the cache, "
                  "%5 tokens.\nOpen View → Request Inspector for every call.")
                   .arg(locale.toString(m_stats.calls), locale.toString(m_stats.errors),
                        locale.toString(m_stats.cancelled), locale.toString(m_stats.cacheHits),
                        locale.toString(m_stats.tokens)));
}

} // namespace crucible
