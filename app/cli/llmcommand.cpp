// `crucible-cli llm providers|ping|models|chat|bench`: the LLM connection from the command line.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmbench.h"
#include "app/cli/llmcontext.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/providers/connectiontester.h"
#include "core/llm/providers/localserverscan.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/providerpresets.h"
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/chainedsecretstore.h"
#include "core/llm/structured/structuredcaller.h"

#include <CLI/CLI.hpp>
#include <QFile>
#include <QFileInfo>

namespace crucible::cli {

namespace {

QString usd(std::optional<double> cost)
{
    if (!cost)
        return QStringLiteral("unpriced");
    return QStringLiteral("$") + QString::number(*cost, 'f', *cost < 0.01 ? 6 : 4);
}

nlohmann::json errorJson(const LlmError &e)
{
    return {{"kind", llmErrorKindName(e.kind)},
            {"message", e.describe()},
            {"provider", e.provider},
            {"http_status", e.httpStatus},
            {"provider_message", e.providerMessage},
            {"request_id", e.requestId}};
}

class LlmCommand final : public Command
{
public:
    const char *name() const override { return "llm"; }
    const char *description() const override
    {
        return "Talk to LLM providers: list, ping, models, chat, bench";
    }

    void configure(CLI::App &app) override
    {
        app.require_subcommand(1);
        m_providers = app.add_subcommand("providers", "List configured providers and key sources");
        m_providers->add_flag("--scan", m_scan, "Also look for local servers on this machine");
        m_providers->add_option("--providers-file", m_args.providersFile)->group("");

        m_ping = app.add_subcommand("ping", "Test the connection: DNS, TLS, auth, URL, latency");
        m_args.addTo(*m_ping, false);
        m_ping->add_option("--timeout", m_timeoutMs, "Timeout in ms")->capture_default_str();

        m_models = app.add_subcommand("models", "List the models the provider offers");
        m_args.addTo(*m_models, false);

        m_chat = app.add_subcommand("chat", "Send one prompt; the answer streams to stdout");
        m_chat->add_option("prompt", m_prompt, "The prompt")->required();
        m_args.addTo(*m_chat, true);
        m_chat->add_option("--system", m_system, "System prompt");
        m_chat->add_option("--temperature", m_temperature, "Sampling temperature")
            ->check(CLI::Range(0.0, 2.0));
        m_chat->add_option("--max-tokens", m_maxTokens, "Longest answer in tokens")
            ->check(CLI::PositiveNumber);
        m_chat
            ->add_option("--schema", m_schemaFile,
                         "JSON Schema file: ask for JSON, validate it, repair if needed")
            ->check(CLI::ExistingFile);
        m_chat->add_option("--sample", m_sample,
                           "Sample index (another answer to the same "
                           "prompt from the cache's point of view)");
        m_chat->add_flag("--no-cache", m_noCache, "Always call the provider");
        m_chat->add_flag("--no-stream", m_noStream, "Wait for the whole answer");

        m_bench = app.add_subcommand("bench", "Measure latency and throughput");
        m_args.addTo(*m_bench, true);
        m_bench->add_option("--requests,-n", m_requests, "Number of requests")
            ->check(CLI::Range(1, 1'000'000))
            ->capture_default_str();
        m_bench->add_option("--concurrency,-c", m_concurrency, "Requests in flight")
            ->check(CLI::Range(1, 1024))
            ->capture_default_str();
        m_bench->add_option("--max-tokens", m_maxTokens, "max_tokens of each request")
            ->check(CLI::PositiveNumber);
        m_bench->add_flag("--stream", m_benchStream, "Stream the answers (SSE)");
        for (CLI::App *sub : {m_providers, m_ping, m_models, m_chat, m_bench})
            sub->fallthrough(); // --json on `llm` works after the subcommand too
    }

    int execute(Console &console) override
    {
        if (m_providers->parsed())
            return providers(console);
        if (m_ping->parsed())
            return ping(console);
        if (m_models->parsed())
            return models(console);
        if (m_chat->parsed())
            return chat(console);
        return bench(console);
    }

private:
    int providers(Console &console)
    {
        ProviderRegistry registry(m_args.providersFile.empty() ? ProviderRegistry::defaultFilePath()
                                                               : fromStd(m_args.providersFile));
        const auto loaded = registry.load();
        for (const auto &w : loaded.warnings)
            console.warning(w);
        for (const auto &e : loaded.errors)
            console.warning(e);
        std::vector<ProviderConfig> configs = registry.providers();
        const bool noneConfigured = configs.empty();
        if (!registry.find(QStringLiteral("simulated")))
            configs.push_back(ProviderFactory::simulatedDefault());
        auto secrets = ChainedSecretStore::createDefault();

        nlohmann::json rows = nlohmann::json::array();
        for (const auto &c : configs) {
            SecretResult key;
            if (c.type != ProviderType::Simulated)
                key = runTask(secrets->read(c.secretLookup()));
            const NormalizedUrl url = resolveUrl(c, Endpoint::Chat);
            QString keyText =
                c.type == ProviderType::Simulated ? QStringLiteral("not needed") : key.sourceLabel;
            if (!key.found() && c.type != ProviderType::Simulated)
                keyText = c.keyRequired()
                              ? QStringLiteral("MISSING (needs %1)")
                                    .arg(c.effectiveKeyEnvVar().isEmpty() ? QStringLiteral("a key")
                                                                          : c.effectiveKeyEnvVar())
                              : QStringLiteral("none (not needed)");
            rows.push_back({{"id", c.id},
                            {"name", c.displayName},
                            {"type", providerTypeKey(c.type)},
                            {"preset", ProviderPresets::key(c.preset)},
                            {"url", url.ok() ? url.url.toString() : QString()},
                            {"model", c.defaultModel},
                            {"enabled", c.enabled},
                            {"key", keyText},
                            {"structured_output", structuredOutputKey(c.structuredOutput)},
                            {"default", (noneConfigured && c.type == ProviderType::Simulated) ||
                                            (!noneConfigured && &c == &configs.front())}});
        }
        std::vector<LocalServer> found;
        if (m_scan)
            found = runTask(LocalServerScan::scan());
        if (console.json()) {
            nlohmann::json out = {{"file", registry.filePath()}, {"providers", rows}};
            if (m_scan) {
                nlohmann::json servers = nlohmann::json::array();
                for (const auto &s : found)
                    servers.push_back({{"preset", ProviderPresets::key(s.preset)},
                                       {"base_url", s.baseUrl.toString()},
                                       {"models", toStdList(s.models)},
                                       {"latency_ms", s.latencyMs}});
                out["local_servers"] = servers;
            }
            console.printJson(out);
            return ExitOk;
        }
        QTextStream &out = console.out();
        out << cell(QStringLiteral("ID"), 18) << ' ' << cell(QStringLiteral("TYPE"), 18) << ' '
            << cell(QStringLiteral("MODEL"), 22) << ' ' << cell(QStringLiteral("URL"), 44) << ' '
            << "KEY\n";
        for (const auto &r : rows) {
            QString id = r["id"].get<QString>();
            if (r["default"].get<bool>())
                id += QLatin1Char('*');
            out << cell(id, 18) << ' ' << cell(r["type"].get<QString>(), 18) << ' '
                << cell(r["model"].get<QString>(), 22) << ' '
                << cell(r["url"].get<QString>().isEmpty() ? QStringLiteral("(in-process)")
                                                          : r["url"].get<QString>(),
                        44)
                << ' ' << r["key"].get<QString>() << '\n';
        }
        out << "\n* used when no --provider is given. Providers file: " << registry.filePath()
            << '\n';
        if (m_scan) {
            out << "\nLocal servers: " << (found.empty() ? "none found" : "") << '\n';
            for (const auto &s : found)
                out << "  " << cell(s.label, 12) << ' ' << s.baseUrl.toString() << "  "
                    << s.models.size() << " model(s)  " << s.latencyMs << " ms\n";
        }
        return ExitOk;
    }

    int ping(Console &console)
    {
        LlmContext ctx = runTask(resolveLlmContext(m_args, false));
        if (!ctx.note.isEmpty() && !console.json())
            console.warning(ctx.note);
        const ConnectionTestResult r =
            runTask(ConnectionTester::test(ctx.config, ctx.apiKey, m_timeoutMs));
        if (console.json()) {
            console.printJson({{"provider", ctx.config.id},
                               {"verdict", connectionVerdictName(r.verdict)},
                               {"ok", r.ok()},
                               {"message", r.message},
                               {"url", r.url.toString()},
                               {"latency_ms", r.latencyMs},
                               {"http_status", r.httpStatus},
                               {"models", toStdList(r.models)}});
        } else if (r.ok()) {
            console.out() << "ok  " << ctx.provider->label() << "  " << r.url.toString() << "  "
                          << r.latencyMs << " ms";
            if (!r.models.isEmpty())
                console.out() << "  (" << r.models.size() << " models)";
            console.out() << '\n';
        } else {
            console.error(
                QStringLiteral("%1: %2").arg(connectionVerdictName(r.verdict), r.message));
        }
        return r.ok() ? ExitOk : ExitFailure;
    }

    int models(Console &console)
    {
        LlmContext ctx = runTask(resolveLlmContext(m_args, false));
        const ModelsResult r = runTask(ctx.provider->listModels({}));
        if (!r.ok())
            throw CliError(
                r.error.describe(),
                QStringLiteral("run `crucible-cli llm ping` to diagnose the connection"));
        if (console.json()) {
            console.printJson({{"provider", ctx.config.id}, {"models", toStdList(r.models)}});
            return ExitOk;
        }
        for (const QString &m : r.models)
            console.out() << m << '\n';
        return ExitOk;
    }

    int chat(Console &console)
    {
        LlmContext ctx = runTask(resolveLlmContext(m_args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        LlmCallSpec spec;
        spec.providerId = ctx.config.id;
        spec.request = ChatRequest::simple(fromStd(m_prompt), fromStd(m_system));
        if (m_temperature >= 0)
            spec.request.temperature = m_temperature;
        if (m_maxTokens > 0)
            spec.request.maxTokens = m_maxTokens;
        spec.request.sampleIndex = m_sample;
        spec.request.stream = !m_noStream && !console.json();
        spec.useCache = !m_noCache;
        spec.jobId = QStringLiteral("cli-chat");
        QTextStream &out = console.out();

        if (!m_schemaFile.empty())
            return structuredChat(console, ctx, spec);

        bool streamed = false;
        if (spec.request.stream) {
            spec.onDelta = [&out, &streamed](const QString &delta) {
                out << delta;
                out.flush();
                streamed = true;
            };
        }
        const LlmCallOutcome r = runTask(ctx.client->call(spec));
        if (console.json()) {
            nlohmann::json j = {{"ok", r.ok()},
                                {"provider", ctx.config.id},
                                {"call_id", r.callId},
                                {"cache_hit", r.cacheHit},
                                {"attempts", r.attempts},
                                {"tokens_in", r.tokensIn},
                                {"tokens_out", r.tokensOut}};
            j["cost_usd"] = r.costUsd ? nlohmann::json(*r.costUsd) : nlohmann::json(nullptr);
            if (r.ok()) {
                j["text"] = r.text();
                j["model"] = r.result.response->model;
                j["finish_reason"] = finishReasonName(r.result.response->finishReason);
            } else {
                j["error"] = errorJson(r.error());
            }
            console.printJson(j);
            return r.ok() ? ExitOk : ExitFailure;
        }
        if (!r.ok()) {
            if (streamed)
                out << '\n';
            out.flush();
            throw CliError(r.error().describe(), hintFor(r.error()));
        }
        if (!streamed)
            out << r.text();
        out << '\n';
        out.flush();
        const ChatResponse &resp = *r.result.response;
        if (resp.truncated())
            console.warning(QStringLiteral("the answer was cut off at the length limit; raise "
                                           "--max-tokens for the whole answer"));
        console.err() << QStringLiteral("[%1 · %2 in / %3 out tokens · %4 · %5 ms%6 · %7]\n")
                             .arg(resp.model.isEmpty() ? ctx.config.defaultModel : resp.model)
                             .arg(resp.usage.inputTokens)
                             .arg(resp.usage.outputTokens)
                             .arg(r.cacheHit ? QStringLiteral("$0 (cache)") : usd(r.costUsd))
                             .arg(r.result.latencyMs)
                             .arg(r.attempts > 1 ? QStringLiteral(" · %1 attempts").arg(r.attempts)
                                                 : QString())
                             .arg(r.callId.isEmpty() ? QStringLiteral("not recorded")
                                                     : QStringLiteral("call ") + r.callId);
        console.err().flush();
        return ExitOk;
    }

    int structuredChat(Console &console, LlmContext &ctx, LlmCallSpec spec)
    {
        QFile file(fromStd(m_schemaFile));
        if (!file.open(QIODevice::ReadOnly))
            throw CliError(
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        StructuredCallSpec s;
        try {
            s.schema = nlohmann::json::parse(file.readAll().toStdString());
        } catch (const nlohmann::json::exception &e) { // also out_of_range: a huge number
            throw CliError(QStringLiteral("%1 is not valid JSON: %2")
                               .arg(file.fileName(), QString::fromUtf8(e.what())));
        }
        s.schemaName = QFileInfo(file.fileName()).baseName();
        spec.request.stream = false;
        spec.onDelta = {};
        s.call = spec;
        PromptTemplates templates;
        StructuredCaller caller(*ctx.client, templates);
        const StructuredOutcome r = runTask(caller.call(s));
        if (console.json()) {
            nlohmann::json j = {{"ok", r.ok()},
                                {"repairs", r.repairs},
                                {"cache_hit", r.cacheHit},
                                {"structured_mode", structuredModeName(r.structuredMode)},
                                {"call_ids", toStdList(r.callIds)}};
            j["cost_usd"] = r.costUsd ? nlohmann::json(*r.costUsd) : nlohmann::json(nullptr);
            if (r.ok())
                j["value"] = *r.value;
            else
                j["error"] = errorJson(r.error);
            console.printJson(j);
            return r.ok() ? ExitOk : ExitFailure;
        }
        if (!r.ok())
            throw CliError(r.error.describe(), r.lastErrors.isEmpty()
                                                   ? hintFor(r.error)
                                                   : QStringLiteral("last problems: ") +
                                                         r.lastErrors.join(QStringLiteral("; ")));
        console.out() << QString::fromStdString(r.value->dump(2)) << '\n';
        console.err() << QStringLiteral("[valid · %1 · %2 repair(s) · %3 · %4 call(s)%5]\n")
                             .arg(structuredModeName(r.structuredMode))
                             .arg(r.repairs)
                             .arg(r.cacheHit ? QStringLiteral("$0 (cache)") : usd(r.costUsd))
                             .arg(r.callIds.size())
                             .arg(r.cacheHit ? QStringLiteral(" · from cache") : QString());
        return ExitOk;
    }

    int bench(Console &console)
    {
        // The transport's connection pool is sized from the config's concurrency; retries
        // would hide the errors the bench is there to count.
        ProviderArgs args = m_args;
        args.concurrency = m_concurrency;
        args.maxRetries = 0;
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty() && !console.json())
            console.warning(ctx.note);
        BenchOptions options;
        options.requests = m_requests;
        options.concurrency = m_concurrency;
        options.maxTokens = m_maxTokens > 0 ? m_maxTokens : 64;
        options.stream = m_benchStream;
        const BenchReport report = runTask(runBench(*ctx.client, ctx.config.id, options));
        if (console.json()) {
            console.printJson(report.toJson());
        } else {
            report.print(console.out(), ctx.provider->label());
        }
        return report.errors == report.requests ? ExitFailure : ExitOk;
    }

    static QString hintFor(const LlmError &e)
    {
        switch (e.kind) {
        case LlmError::Kind::Dns:
        case LlmError::Kind::Connection:
        case LlmError::Kind::Tls:
        case LlmError::Kind::Timeout:
            return QStringLiteral("run `crucible-cli llm ping` to diagnose the connection");
        case LlmError::Kind::Budget:
            return QStringLiteral("raise the budget, or use a cheaper model");
        default:
            return {};
        }
    }

    ProviderArgs m_args;
    CLI::App *m_providers = nullptr;
    CLI::App *m_ping = nullptr;
    CLI::App *m_models = nullptr;
    CLI::App *m_chat = nullptr;
    CLI::App *m_bench = nullptr;
    bool m_scan = false;
    int m_timeoutMs = ConnectionTester::DefaultTimeoutMs;
    std::string m_prompt;
    std::string m_system;
    std::string m_schemaFile;
    double m_temperature = -1;
    int m_maxTokens = 0;
    int m_sample = 0;
    bool m_noCache = false;
    bool m_noStream = false;
    int m_requests = 100;
    int m_concurrency = 8;
    bool m_benchStream = false;
};

} // namespace

std::unique_ptr<Command> makeLlmCommand()
{
    return std::make_unique<LlmCommand>();
}

} // namespace crucible::cli
