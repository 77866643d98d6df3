#pragma once
// An error opening, migrating, reading or writing a workspace. The message says what happened,
// where (file, row, id) and what to do.

#include <QString>
#include <stdexcept>

namespace crucible {

class WorkspaceError final : public std::runtime_error
{
public:
    enum class Kind { NotFound, NotAWorkspace, TooNew, Corrupt, Io, Constraint, Query };

    WorkspaceError(Kind kind, const QString &message)
        : std::runtime_error(message.toStdString())
        , m_kind(kind)
    {
    }

    Kind kind() const { return m_kind; }
    QString message() const { return QString::fromStdString(what()); }

private:
    Kind m_kind;
};

} // namespace crucible
