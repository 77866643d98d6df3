#pragma once
// One way to show a duration to people (job table, training progress, training reports):
// "45 s", "3 min 5 s", "2 h 7 min". Pure function.

#include <QString>

namespace crucible {

QString formatDuration(qint64 ms);

} // namespace crucible
