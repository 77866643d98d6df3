#pragma once
// The most recently opened workspace files, newest first, kept in the typed settings.
// Stateless helper; GUI thread only.

#include <QStringList>

namespace crucible {

class RecentWorkspaces final
{
public:
    static constexpr int kMaxEntries = 10;

    static QStringList list();
    // Moves path to the front (deduplicated by absolute path) and trims the list.
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();
};

} // namespace crucible
