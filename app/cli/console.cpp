#include "app/cli/console.h"

#include <QtGlobal>
#include <sys/ioctl.h>
#include <unistd.h>

namespace crucible::cli {

TerminalInfo TerminalInfo::detect()
{
    TerminalInfo info;
    info.stdoutIsTerminal = ::isatty(STDOUT_FILENO) == 1;
    info.stderrIsTerminal = ::isatty(STDERR_FILENO) == 1;
    winsize size{};
    if (info.stdoutIsTerminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        info.columns = size.ws_col;
    if (info.columns == 0) {
        bool ok = false;
        const int fromEnv = qEnvironmentVariableIntValue("COLUMNS", &ok);
        if (ok && fromEnv > 0)
            info.columns = fromEnv;
    }
    return info;
}

Console::Console(QTextStream &out, QTextStream &err, TerminalInfo terminal)
    : m_out(out)
    , m_err(err)
    , m_terminal(terminal)
{
}

int Console::width() const
{
    if (m_terminal.stdoutIsTerminal && m_terminal.columns > 0)
        return qMax(40, m_terminal.columns);
    return 80;
}

void Console::printJson(const nlohmann::json &value)
{
    m_out << QString::fromStdString(value.dump(2)) << '\n';
    m_out.flush();
}

void Console::error(const QString &message)
{
    m_err << "error: " << message << '\n';
    m_err.flush();
}

void Console::warning(const QString &message)
{
    m_err << "warning: " << message << '\n';
    m_err.flush();
}

void Console::hint(const QString &message)
{
    m_err << "hint: " << message << '\n';
    m_err.flush();
}

} // namespace crucible::cli
