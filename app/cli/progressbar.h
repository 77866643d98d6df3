#pragma once
// A one-line progress bar on stderr for long imports and exports. Draws only when stderr is a
// terminal and the work has run for a moment, so short runs and pipes stay quiet.

#include <QElapsedTimer>
#include <QString>
#include <QTextStream>

namespace crucible::cli {

class ProgressBar final
{
public:
    ProgressBar(QTextStream &err, bool enabled, QString label);
    ~ProgressBar();
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;

    // total <= 0 draws a counter without a bar.
    void update(qint64 done, qint64 total);
    // Erases the bar so that the next message starts on a clean line.
    void finish();

private:
    QTextStream &m_err;
    bool m_enabled;
    bool m_drawn = false;
    QString m_label;
    QElapsedTimer m_started;
    qint64 m_lastDrawMs = -1;
};

} // namespace crucible::cli
