#pragma once
// The provider options shared by the `crucible-cli llm …` commands (a configured provider or an
// ad-hoc one), and resolving them to a ready LlmClient that records into a workspace.

#include "core/llm/llmclient.h"
#include "core/llm/providers/providerconfig.h"
#include "core/store/workspace.h"

#include <QCoro/QCoroTask>

#include <exception>
#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace crucible::cli {

class Console;

struct ProviderArgs
{
    std::string provider; // id in providers.json
    std::string type;     // openai | anthropic | simulated (ad hoc)
    std::string baseUrl;
    std::string model;
    std::string apiKeyEnv;
    std::string structuredOutput; // auto | tool | json_schema | json_object | prompt; "" = config
    std::string workspace;        // where calls are recorded; default: the default workspace
    std::string providersFile;    // hidden: another providers.json (tests)
    bool noRecord = false;
    std::optional<int> concurrency; // not an option: set by `llm bench`
    std::optional<int> maxRetries;  // not an option: set by `llm bench`

    // `withWorkspace`: the command records calls (chat, bench).
    void addTo(CLI::App &app, bool withWorkspace);
};

struct LlmContext
{
    ProviderConfig config;
    SecretResult key; // where the key came from (the value is in apiKey)
    QString apiKey;   // process memory only: for `llm ping`, never printed or stored
    std::shared_ptr<LlmProvider> provider;
    std::unique_ptr<Workspace> workspace; // null with --no-record or for ping/models
    std::unique_ptr<LlmClient> client;
    QString note; // e.g. "no provider configured: using the Simulated provider"
};

// Resolves the options: --type → an ad-hoc provider; --provider → that configured provider;
// neither → the first enabled configured provider, else the Simulated one. Throws CliError
// with what to do when the provider cannot be set up.
QCoro::Task<LlmContext> resolveLlmContext(ProviderArgs args, bool openWorkspace);

namespace detail {
template <typename T> struct Captured
{
    std::optional<T> value;
    std::exception_ptr error;
};

template <typename T> QCoro::Task<Captured<T>> capture(QCoro::Task<T> task)
{
    Captured<T> out;
    try {
        T value = co_await std::move(task);
        out.value.emplace(std::move(value));
    } catch (...) {
        out.error = std::current_exception();
    }
    co_return out;
}
} // namespace detail

// Runs `task` to completion on this thread's event loop (the CLI has no other loop running)
// and rethrows what it threw (QCoro::waitFor alone would hang on an exception).
template <typename T> T runTask(QCoro::Task<T> &&task)
{
    detail::Captured<T> result = QCoro::waitFor(detail::capture(std::move(task)));
    if (result.error)
        std::rethrow_exception(result.error);
    return std::move(*result.value);
}

} // namespace crucible::cli
