#include "app/cli/progressbar.h"

namespace crucible::cli {

namespace {
constexpr qint64 kFirstDrawMs = 300; // quick runs never show a bar
constexpr qint64 kRedrawMs = 100;
constexpr int kBarWidth = 30;
} // namespace

ProgressBar::ProgressBar(QTextStream &err, bool enabled, QString label)
    : m_err(err)
    , m_enabled(enabled)
    , m_label(std::move(label))
{
    m_started.start();
}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::update(qint64 done, qint64 total)
{
    if (!m_enabled)
        return;
    const qint64 now = m_started.elapsed();
    if (now < kFirstDrawMs || (m_lastDrawMs >= 0 && now - m_lastDrawMs < kRedrawMs))
        return;
    m_lastDrawMs = now;
    QString line = m_label + u' ';
    if (total > 0) {
        const double fraction = qBound(0.0, static_cast<double>(done) / total, 1.0);
        const int filled = static_cast<int>(fraction * kBarWidth);
        line += u'[' + QString(filled, u'#') + QString(kBarWidth - filled, u'-') + u']' +
                QStringLiteral(" %1%").arg(static_cast<int>(fraction * 100), 3);
    } else {
        line += QString::number(done);
    }
    m_err << '\r' << line << "\x1b[K";
    m_err.flush();
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (!m_drawn)
        return;
    m_err << "\r\x1b[K";
    m_err.flush();
    m_drawn = false;
}

} // namespace crucible::cli
