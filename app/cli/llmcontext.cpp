#include "app/cli/llmcontext.h"

#include "app/cli/clierror.h"
#include "app/cli/commandsupport.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/providerpresets.h"
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/chainedsecretstore.h"
#include "core/llm/secrets/envsecretstore.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

void ProviderArgs::addTo(CLI::App &app, bool withWorkspace)
{
    app.add_option("--provider", provider, "Configured provider id (see `llm providers`)");
    app.add_option("--type", type, "Ad-hoc provider type")
        ->check(CLI::IsMember({"openai", "anthropic", "simulated"}));
    app.add_option("--base-url", baseUrl,
                   "Ad-hoc base URL, e.g. localhost:11434 or https://api.openai.com");
    app.add_option("--model", model, "Model (default: the provider's default model)");
    app.add_option("--api-key-env", apiKeyEnv,
                   "Environment variable holding the API key (default: OPENAI_API_KEY / "
                   "ANTHROPIC_API_KEY)");
    app.add_option("--structured-output", structuredOutput,
                   "How JSON answers are asked for: auto (the provider's strongest mode, falling "
                   "back when the server rejects it), tool (Anthropic), json_schema, json_object "
                   "(OpenAI-compatible), prompt")
        ->check(CLI::IsMember({"auto", "tool", "json_schema", "json_object", "prompt"}));
    app.add_option("--providers-file", providersFile, "Read providers from this file")->group("");
    if (withWorkspace) {
        app.add_option("--workspace", workspace,
                       "Workspace that records the calls and holds the cache (default: the "
                       "default workspace)");
        app.add_flag("--no-record", noRecord, "Do not record calls (and do not use the cache)");
    }
}

namespace {

ProviderConfig adHocConfig(const ProviderArgs &args)
{
    ProviderConfig c;
    const QString type = fromStd(args.type);
    if (type == QStringLiteral("simulated")) {
        c = ProviderFactory::simulatedDefault();
    } else if (type == QStringLiteral("anthropic")) {
        c = ProviderConfig::fromPreset(ProviderPreset::Anthropic,
                                       QStringLiteral("adhoc-anthropic"));
    } else {
        c = ProviderConfig::fromPreset(args.baseUrl.empty() ? ProviderPreset::OpenAi
                                                            : ProviderPreset::Custom,
                                       QStringLiteral("adhoc-openai"));
    }
    if (!args.baseUrl.empty())
        c.baseUrl = fromStd(args.baseUrl);
    if (!args.apiKeyEnv.empty())
        c.keyEnvVar = fromStd(args.apiKeyEnv);
    if (c.type != ProviderType::Simulated && c.baseUrl.isEmpty())
        throw CliError(QStringLiteral("--type %1 needs --base-url").arg(type));
    return c;
}

ProviderConfig configuredProvider(const ProviderArgs &args, QString &note)
{
    ProviderRegistry registry(args.providersFile.empty() ? ProviderRegistry::defaultFilePath()
                                                         : fromStd(args.providersFile));
    const auto loaded = registry.load();
    if (!loaded.ok)
        throw CliError(QStringLiteral("cannot read %1: %2")
                           .arg(registry.filePath(), loaded.errors.join(QStringLiteral("; "))),
                       QStringLiteral("fix or remove the file, or use --type for an ad-hoc "
                                      "provider"));
    if (!args.provider.empty()) {
        const QString id = fromStd(args.provider);
        if (id == QStringLiteral("simulated") && !registry.find(id))
            return ProviderFactory::simulatedDefault();
        if (const ProviderConfig *c = registry.find(id))
            return *c;
        QStringList ids;
        for (const auto &c : registry.providers())
            ids << c.id;
        ids << QStringLiteral("simulated");
        throw CliError(QStringLiteral("no provider \"%1\" in %2").arg(id, registry.filePath()),
                       QStringLiteral("known providers: %1").arg(ids.join(QStringLiteral(", "))));
    }
    for (const auto &c : registry.providers())
        if (c.enabled)
            return c;
    note = QStringLiteral("no provider is configured: using the Simulated provider (answers are "
                          "generated offline, not by a real model)");
    return ProviderFactory::simulatedDefault();
}

} // namespace

QCoro::Task<LlmContext> resolveLlmContext(ProviderArgs args, bool openWorkspace)
{
    LlmContext ctx;
    const bool adHoc = !args.type.empty();
    if (adHoc && !args.provider.empty())
        throw CliError(QStringLiteral("use either --provider or --type, not both"));
    ctx.config = adHoc ? adHocConfig(args) : configuredProvider(args, ctx.note);
    if (!args.model.empty())
        ctx.config.defaultModel = fromStd(args.model);
    if (!args.structuredOutput.empty()) {
        ctx.config.structuredOutput = structuredModeFromName(fromStd(args.structuredOutput));
        for (const ValidationIssue &issue : ctx.config.validate()) {
            if (issue.field == QStringLiteral("structured_output"))
                throw CliError(QStringLiteral("--structured-output %1 %2")
                                   .arg(fromStd(args.structuredOutput), issue.rule));
        }
    }

    if (args.concurrency)
        ctx.config.concurrency = *args.concurrency;
    if (args.maxRetries)
        ctx.config.maxRetries = *args.maxRetries;
    // Ad-hoc providers take their key from the environment only; configured ones also from
    // the keychain (or this session).
    std::unique_ptr<SecretStore> secrets;
    if (adHoc)
        secrets = std::make_unique<EnvSecretStore>();
    else
        secrets = ChainedSecretStore::createDefault();
    ProviderSetup setup = co_await ProviderFactory::create(ctx.config, secrets.get());
    if (!setup.ok())
        throw CliError(setup.error);
    ctx.provider = setup.provider;
    ctx.key = setup.key;
    ctx.apiKey = setup.apiKey;

    ctx.client = std::make_unique<LlmClient>(PriceTable::withUserOverrides());
    ctx.client->addProvider(ctx.provider);
    if (openWorkspace && !args.noRecord) {
        const QString path =
            args.workspace.empty() ? Workspace::defaultPath() : fromStd(args.workspace);
        ctx.workspace = Workspace::open(path, Workspace::Mode::CreateIfMissing);
        ctx.client->setLedger(ctx.workspace.get());
    }
    co_return ctx;
}

} // namespace crucible::cli
