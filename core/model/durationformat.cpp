#include "core/model/durationformat.h"

namespace crucible {

QString formatDuration(qint64 ms)
{
    const qint64 s = (std::max<qint64>(0, ms) + 500) / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace crucible
