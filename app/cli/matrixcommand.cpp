// `crucible-cli matrix WS --model FILE [--strength T] [--seed S] [--print]`: the covering array
// of a PICT model (no LLM needed). Turning rows into problems (`--generate`) comes with the
// generators of issue #4.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/generate/coveringarray.h"
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
