#include "ui/recentworkspaces.h"

#include "ui/settings.h"

#include <QFileInfo>

namespace crucible {

namespace {
QString normalized(const QString &path)
{
    return QFileInfo(path).absoluteFilePath();
}
} // namespace

QStringList RecentWorkspaces::list()
{
    QStringList paths = settings::recentWorkspaces.get();
    paths.removeAll(QString());
    paths.removeDuplicates();
    if (paths.size() > kMaxEntries)
        paths.resize(kMaxEntries);
    return paths;
}

void RecentWorkspaces::add(const QString &path)
{
    const QString absolute = normalized(path);
    QStringList paths = list();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    if (paths.size() > kMaxEntries)
        paths.resize(kMaxEntries);
    settings::recentWorkspaces.set(paths);
}

void RecentWorkspaces::remove(const QString &path)
{
    QStringList paths = list();
    paths.removeAll(normalized(path));
    settings::recentWorkspaces.set(paths);
}

void RecentWorkspaces::clear()
{
    settings::recentWorkspaces.reset();
}

} // namespace crucible
