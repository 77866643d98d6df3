#pragma once
// The default workspace a new user sees: created on first start with sample problems from
// resources/samples so the app is never empty.

#include <QString>

namespace crucible {

class SampleData final
{
public:
    // Creates the workspace at path with the sample problems when the file does not exist.
    // Returns true when it created it. Throws WorkspaceError / ImportError.
    static bool ensureWorkspace(const QString &path);
    static QByteArray sampleProblemsJsonl();
};

} // namespace crucible
