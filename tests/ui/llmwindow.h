#pragma once
// A main window with a running LLM engine (Simulated provider, keys in memory) on a new
// workspace in a temporary folder, for UI tests that go through the engine thread.

#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/workspace.h"
#include "ui/llm/llmenginehost.h"
#include "ui/mainwindow.h"
#include "ui/workspacecontroller.h"

#include <QTemporaryDir>

#include <memory>

namespace crucible::uitest {

struct LlmWindow
{
    QTemporaryDir dir;
    QString path;
    WorkspaceController controller; // outlives the window (declared first, destroyed last)
    std::unique_ptr<LlmEngineHost> host;
    std::unique_ptr<MainWindow> window;

    explicit LlmWindow(const QString &fileName)
        : path(dir.filePath(fileName))
    {
        Workspace::create(path);
        LlmEngine::Options options;
        options.providersFile = dir.filePath(QStringLiteral("providers.json"));
        options.secrets = std::make_shared<MemorySecretStore>();
        host = std::make_unique<LlmEngineHost>(options);
        window = std::make_unique<MainWindow>(&controller, host.get());
        window->show();
    }
    ~LlmWindow() { window.reset(); } // before the engine host, as a stack pair would be

    bool open() { return controller.open(path); }
};

} // namespace crucible::uitest
