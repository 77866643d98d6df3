#include "core/evolve/runowner.h"

#include <QFile>
#include <QHostInfo>
#include <QString>

#include <unistd.h>

namespace crucible::evolve::RunOwner {

using nlohmann::json;

namespace {

// Field 22 of /proc/PID/stat: the process's start time in clock ticks since boot (the command
// name, field 2, may hold spaces and parentheses, so fields are counted after its last ')').
std::optional<qint64> startTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = f.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // After the name: field 3 (state) is index 0, so field 22 is index 19.
    if (fields.size() < 20)
        return std::nullopt;
    bool ok = false;
    const qint64 ticks = fields[19].toLongLong(&ok);
    return ok ? std::optional<qint64>(ticks) : std::nullopt;
}

std::string hostName()
{
    return QHostInfo::localHostName().toStdString();
}

} // namespace

json current()
{
    const qint64 pid = static_cast<qint64>(::getpid());
    return {{"pid", pid}, {"started", startTicks(pid).value_or(0)}, {"host", hostName()}};
}

bool alive(const json &owner)
{
    if (!owner.is_object() || !owner.contains("pid") || !owner["pid"].is_number_integer())
        return false;
    if (owner.value("host", std::string()) != hostName())
        return true;
    const qint64 pid = owner["pid"].get<qint64>();
    const std::optional<qint64> started = startTicks(pid);
    if (!started)
        return false;
    const qint64 recorded = owner.value("started", qint64{0});
    return recorded == 0 || recorded == *started;
}

bool isCurrent(const json &owner)
{
    return owner.is_object() && owner.value("pid", qint64{-1}) == static_cast<qint64>(::getpid()) &&
           owner.value("host", std::string()) == hostName();
}

} // namespace crucible::evolve::RunOwner
