#pragma once
// A failure a command reports to the person running it (exit code 1). The message says what
// happened and where; the optional hint says what to do about it.

#include <QString>
#include <stdexcept>

namespace crucible::cli {

class CliError final : public std::runtime_error
{
public:
    explicit CliError(const QString &message, const QString &hint = {})
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_hint(hint)
    {
    }

    const QString &message() const { return m_message; }
    const QString &hint() const { return m_hint; }

private:
    QString m_message;
    QString m_hint;
};

} // namespace crucible::cli
