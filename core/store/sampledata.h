#pragma once
// The sample problems shipped in resources/samples, and the example workspace that holds them:
// a workspace of its own in the application's data folder, re-created when missing, so a new
// user's own workspaces never start full of unrelated samples. Stateless; any thread.

#include <QString>

namespace crucible {

class SampleData final
{
public:
    // Creates the workspace at path with the sample problems when the file does not exist.
    // Returns true when it created it. Throws WorkspaceError / ImportError.
    static bool ensureWorkspace(const QString &path);
    static QByteArray sampleProblemsJsonl();

    // Where the example workspace lives: example.crucible next to the default workspace (the
    // application's data folder).
    static QString exampleWorkspacePath();
    // Creates the example workspace when it is missing and returns its path. It is built under
    // a temporary name and renamed, so a failure never leaves a half-filled example behind.
    // Throws WorkspaceError / ImportError.
    static QString ensureExampleWorkspace(const QString &path = exampleWorkspacePath());
};

} // namespace crucible
