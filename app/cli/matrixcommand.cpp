// `crucible-cli matrix WS --model FILE [--strength T] [--seed S] [--print] [--generate]`: the
// covering array of a PICT model (no LLM needed), and with --generate one problem per row in a
// new dataset (from a statement template, or written by the LLM from a base problem).

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/generationrun.h"
#include "app/cli/llmcontext.h"
#include "core/generate/coveringarray.h"
#include "core/generate/generationjob.h"
#include "core/generate/pictmodel.h"

#include <CLI/CLI.hpp>
#include <QFile>

#include <stdexcept>

namespace crucible::cli {

namespace {

class MatrixCommand final : public Command
{
public:
    const char *name() const override { return "matrix"; }
    const char *description() const override
    {
        return "Covering array of a problem matrix (PICT model file)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--model", m_model, "PICT model file: parameters, values, constraints")
            ->required()
            ->check(CLI::ExistingFile);
        app.add_option("--strength,-t", m_strength,
                       "Every combination of this many dimensions appears (default 2; the "
                       "number of dimensions gives the full product)")
            ->check(CLI::PositiveNumber);
        app.add_option("--seed", m_seed, "Random seed (same seed, same rows)")
            ->capture_default_str();
        app.add_flag("--print", m_print,
                     "Write the rows to stdout as tab-separated values under a header row of "
                     "the dimension names");
        app.add_flag("--generate", m_generate,
                     "Turn every row into a problem, in a new dataset that stores the matrix "
                     "and its coverage");
        app.add_option("--domain", m_domain, "Domain of the generated problems");
        app.add_option("--template", m_template,
                       "Statement with {Dimension} placeholders, e.g. \"A {Tier} customer "
                       "reports {Issue}\" (default: the values listed)");
        app.add_option("--problem", m_problem,
                       "Base problem: the LLM writes each row's problem as a variation of it");
        app.add_option("--name", m_name, "Name of the dataset");
        // The provider options of `llm chat`, except that --model is the PICT file here.
        app.add_option("--provider", m_args.provider, "Configured provider id (with --problem)");
        app.add_option("--type", m_args.type, "Ad-hoc provider type (with --problem)")
            ->check(CLI::IsMember({"openai", "anthropic", "simulated"}));
        app.add_option("--base-url", m_args.baseUrl, "Ad-hoc base URL (with --problem)");
        app.add_option("--llm-model", m_args.model, "LLM model (with --problem)");
        app.add_option("--api-key-env", m_args.apiKeyEnv,
                       "Environment variable holding the API key (with --problem)");
        app.add_option("--providers-file", m_args.providersFile)->group("");
    }

    int execute(Console &console) override
    {
        const QString path = fromStd(m_model);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            throw CliError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        PictModel model;
        try {
            model = PictModel::parse(file.readAll().toStdString(), m_model);
        } catch (const PictParseError &e) {
            throw CliError(QString::fromStdString(e.what()),
                           QStringLiteral("see the PICT model format: `name: value, value` lines, "
                                          "then constraints such as `IF [A] = \"x\" THEN [B] <> "
                                          "\"y\";`"));
        }
        for (const std::string &w : model.warnings)
            console.warning(QString::fromStdString(w));
        const int dimensions = static_cast<int>(model.parameters.size());
        if (dimensions == 0)
            throw CliError(QStringLiteral("%1 defines no parameters").arg(path));
        const int strength = m_strength > 0 ? m_strength : std::min(2, dimensions);
        if (strength > dimensions)
            throw CliError(QStringLiteral("--strength %1 is more than the %2 dimension(s) of %3")
                               .arg(strength)
                               .arg(dimensions)
                               .arg(path),
                           QStringLiteral("use a strength from 1 to %1").arg(dimensions));

        CoveringArrayOptions options;
        options.strength = strength;
        options.seed = m_seed;
        CoveringArrayResult result;
        try {
            result = CoveringArrayGenerator::generate(model, options);
        } catch (const std::invalid_argument &e) {
            throw CliError(QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what())));
        }
        if (!result.satisfiable)
            throw CliError(QStringLiteral("the constraints of %1 allow no row at all").arg(path),
                           QStringLiteral("relax a constraint"));

        double product = 1;
        for (const auto &p : model.parameters)
            product *= static_cast<double>(p.values.size());
        if (m_generate)
            return generate(console, model, result, strength);

        if (console.json()) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto &row : result.rows) {
                nlohmann::json r = nlohmann::json::object();
                for (int d = 0; d < dimensions; ++d)
                    r[model.parameters[static_cast<std::size_t>(d)].name] =
                        model.parameters[static_cast<std::size_t>(d)]
                            .values[static_cast<std::size_t>(row[static_cast<std::size_t>(d)])];
                rows.push_back(std::move(r));
            }
            console.printJson({{"model", path},
                               {"strength", strength},
                               {"seed", m_seed},
                               {"dimensions", dimensions},
                               {"full_product", product},
                               {"rows", rows},
                               {"required_tuples", result.requiredTuples},
                               {"excluded_tuples", result.excludedTuples},
                               {"lower_bound", result.lowerBound}});
            return ExitOk;
        }
        QTextStream &out = console.out();
        if (m_print) {
            for (int d = 0; d < dimensions; ++d)
                out << (d ? "\t" : "")
                    << QString::fromStdString(model.parameters[static_cast<std::size_t>(d)].name);
            out << '\n';
            for (const auto &row : result.rows) {
                for (int d = 0; d < dimensions; ++d) {
                    const auto &p = model.parameters[static_cast<std::size_t>(d)];
                    out << (d ? "\t" : "")
                        << QString::fromStdString(p.values[static_cast<std::size_t>(
                               row[static_cast<std::size_t>(d)])]);
                }
                out << '\n';
            }
        }
        // The summary goes to stderr with --print, so that stdout stays a clean table.
        QTextStream &summary = m_print ? console.err() : out;
        summary << QStringLiteral("%1 rows cover all %2 allowed %3-way combinations of %4 "
                                  "dimensions (full product: %5 rows; at least %6 needed)\n")
                       .arg(result.rows.size())
                       .arg(result.requiredTuples)
                       .arg(strength)
                       .arg(dimensions)
                       .arg(product, 0, 'f', 0)
                       .arg(result.lowerBound);
        return ExitOk;
    }

private:
    int generate(Console &console, const PictModel &model, const CoveringArrayResult &result,
                 int strength)
    {
        QFile file(fromStd(m_model));
        if (!file.open(QIODevice::ReadOnly))
            throw CliError(
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        GenerationSpec spec;
        spec.kind = GenerationKind::Matrix;
        spec.pictModel = QString::fromUtf8(file.readAll());
        spec.strength = strength;
        spec.seed = m_seed;
        spec.domain = fromStd(m_domain);
        spec.statementTemplate = fromStd(m_template);
        spec.baseProblemId = fromStd(m_problem);
        spec.datasetName = fromStd(m_name);
        if (const int refused = refuseInvalidSpec(console, spec))
            return refused;
        if (!spec.usesLlm() && spec.statementTemplate.trimmed().isEmpty()) {
            QStringList names;
            for (const auto &p : model.parameters)
                names << QString::fromStdString(p.name);
            console.warning(QStringLiteral("no --template: each problem's statement will be a "
                                           "bare list of the row's values (\"%1: …; %2: …\"), "
                                           "not a problem a model can work on")
                                .arg(names.value(0), names.value(1)));
            console.hint(QStringLiteral("write the statement with --template \"%1\", or pass "
                                        "--problem ID to let the LLM write each problem")
                             .arg(exampleStatementTemplate(names)));
        }
        // The plan is the array computed above: the same rows the summary reports.
        const nlohmann::json plan = GenerationJob::matrixPlan(model, result, strength, m_seed);
        if (!spec.usesLlm()) {
            auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadWrite);
            LlmClient client(PriceTable{});
            client.setLedger(ws.get());
            const QString jobId = GenerationJob::create(*ws, spec, plan);
            return runGenerationJob(console, *ws, client, jobId);
        }
        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        spec.providerId = ctx.config.id;
        spec.model = ctx.config.defaultModel;
        const QString jobId = GenerationJob::create(*ctx.workspace, spec, plan);
        return runGenerationJob(console, *ctx.workspace, *ctx.client, jobId);
    }

    ProviderArgs m_args;
    bool m_generate = false;
    std::string m_domain;
    std::string m_template;
    std::string m_problem;
    std::string m_name;
    std::string m_workspace;
    std::string m_model;
    int m_strength = 0;
    std::uint64_t m_seed = 1;
    bool m_print = false;
};

} // namespace

std::unique_ptr<Command> makeMatrixCommand()
{
    return std::make_unique<MatrixCommand>();
}

} // namespace crucible::cli
