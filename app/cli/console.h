#pragma once
// Where a command writes: stdout for results, stderr for diagnostics and progress, plus what
// is known about the terminal. Owned by the runner for one invocation; not thread-safe.

#include <QString>
#include <QTextStream>
#include <nlohmann/json.hpp>

namespace crucible::cli {

struct TerminalInfo
{
    bool stdoutIsTerminal = false;
    bool stderrIsTerminal = false;
    int columns = 0; // 0 when unknown

    // The real process's stdout/stderr (isatty, TIOCGWINSZ, $COLUMNS).
    static TerminalInfo detect();
};

class Console final
{
public:
    Console(QTextStream &out, QTextStream &err, TerminalInfo terminal);

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    const TerminalInfo &terminal() const { return m_terminal; }

    bool json() const { return m_json; }
    bool &jsonFlag() { return m_json; } // bound to --json by the runner

    // Width to lay tables out in: the terminal's when stdout is one, 80 otherwise.
    int width() const;

    void printJson(const nlohmann::json &value);
    void error(const QString &message);
    void warning(const QString &message);
    void hint(const QString &message);

private:
    QTextStream &m_out;
    QTextStream &m_err;
    TerminalInfo m_terminal;
    bool m_json = false;
};

} // namespace crucible::cli
