// `crucible-cli export WS --out FILE`: writes problems (all, a filter or a dataset) as JSONL or
// CSV that `import` reads back without loss, a dataset as Hugging Face JSONL with its card, or
// the workspace's interactions as OpenAI chat fine-tuning JSONL or transcripts. The formats of
// the evaluation data (dpo, dpo-openai, solutions, cypher, neo4j-csv) are rows of the table in
// evaluationexport.cpp.

#include "app/cli/agentsexport.h"
#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/evaluationexport.h"
#include "app/cli/progressbar.h"
#include "core/store/datasetexporter.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/interactionexporter.h"
#include "core/store/problemexporter.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFileInfo>

namespace crucible::cli {

namespace {

class ExportCommand final : public Command
{
public:
    const char *name() const override { return "export"; }
    const char *description() const override
    {
        return "Export problems or a dataset (JSONL, CSV, Hugging Face JSONL + card), "
               "interactions (OpenAI chat JSONL, transcripts), preference pairs (DPO), solutions "
               "or the Neo4j graph";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("-o,--out", m_out, "File to write (replaced if it exists)")->required();
        std::vector<std::string> formats{"jsonl", "csv", "hf", "openai", "transcript", "agents"};
        std::string evaluationHelp;
        for (const EvaluationExportFormat &f : evaluationExportFormats()) {
            formats.emplace_back(f.name);
            evaluationHelp += std::string(". ") + f.name + ": " + f.description;
        }
        app.add_option("--format", m_format,
                       "Problems: jsonl (lossless), csv, or hf (flat Hugging Face JSONL); by "
                       "default from the extension of --out. Interactions: openai (default) "
                       "or transcript. Agent definitions: agents" +
                           evaluationHelp)
            ->check(CLI::IsMember(formats, CLI::ignore_case));
        app.add_option("--dataset", m_dataset, "Only the members of this dataset, in its order");
        m_cardOption = app.add_option("--card", m_card,
                                      "Also write the dataset's card (Markdown); FILE defaults "
                                      "to --out with the extension .md. Needs --dataset")
                           ->expected(0, 1)
                           ->type_name("[FILE]");
        m_filter.addTo(app);
        app.add_flag("--only-accepted", m_onlyAccepted,
                     "Only problems a reviewer accepted (review status \"accepted\"); the card "
                     "says so");
        app.add_flag("--interactions", m_interactions, "Export interactions instead of problems");
        app.add_option("--problem", m_problem, "Interactions: only those about this problem");
        app.add_option("--assistant-role", m_assistantRole,
                       "Interactions (openai): the role trained as \"assistant\"; by default "
                       "the interaction's agent");
        m_systemOption = app.add_option("--system", m_system,
                                        "Interactions (openai): system prompt; \"\" for none; "
                                        "by default one that states the problem");
        app.add_flag("--only-agreed", m_evaluation.onlyAgreed,
                     "dpo, dpo-openai: only pairs whose judges agreed (both orders, and no other "
                     "judge found a tie or the other winner); pairs a person chose in the inbox "
                     "always pass");
        m_minGapOption =
            app.add_option("--min-gap", m_minGap,
                           "dpo, dpo-openai: only pairs whose chosen score beats "
                           "the rejected one by at least this much (judge scores are 0-10); pairs "
                           "a person chose in the inbox always pass");
        app.add_option("--tournament", m_tournament, "dpo, dpo-openai: only this tournament");
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        const QString outPath = fromStd(m_out);
        const QString canonicalWs = QFileInfo(wsPath).canonicalFilePath();
        if (!canonicalWs.isEmpty() && QFileInfo(outPath).canonicalFilePath() == canonicalWs)
            throw CliError(QStringLiteral("--out %1 is the workspace itself").arg(outPath),
                           QStringLiteral("choose another output file"));
        if (fromStd(m_format).toLower() == QLatin1String("agents")) // agent definitions JSON
            return exportAgentDefinitions(console, wsPath, outPath);
        if (const EvaluationExportFormat *format =
                findEvaluationExportFormat(fromStd(m_format).trimmed()))
            return exportEvaluation(console, *format, wsPath, outPath);
        for (const auto &[given, option] : {std::pair{m_evaluation.onlyAgreed, "--only-agreed"},
                                            std::pair{m_minGapOption->count() > 0, "--min-gap"},
                                            std::pair{!m_tournament.empty(), "--tournament"}})
            if (given)
                throw CliError(QStringLiteral("%1 applies to preference pairs only")
                                   .arg(QString::fromUtf8(option)),
                               QStringLiteral("add --format dpo or --format dpo-openai"));
        if (m_interactions)
            return exportInteractions(console, wsPath, outPath);
        return exportProblems(console, wsPath, outPath);
    }

private:
    int exportEvaluation(Console &console, const EvaluationExportFormat &format,
                         const QString &wsPath, const QString &outPath)
    {
        for (const auto &[given, option] : {std::pair{m_interactions, "--interactions"},
                                            std::pair{m_cardOption->count() > 0, "--card"},
                                            std::pair{!m_problem.empty(), "--problem"},
                                            std::pair{!m_assistantRole.empty(), "--assistant-role"},
                                            std::pair{m_systemOption->count() > 0, "--system"},
                                            std::pair{!m_filter.search.empty(), "--search"},
                                            std::pair{!m_filter.domain.empty(), "--domain"},
                                            std::pair{!m_filter.complexity.empty(), "--complexity"},
                                            std::pair{!m_filter.origin.empty(), "--origin"}})
            if (given)
                throw CliError(QStringLiteral("%1 does not apply to --format %2")
                                   .arg(QString::fromUtf8(option), QString::fromUtf8(format.name)),
                               QStringLiteral("leave out %1").arg(QString::fromUtf8(option)));
        EvaluationExportRequest request = m_evaluation;
        request.workspace = wsPath;
        request.out = outPath;
        request.onlyAccepted = m_onlyAccepted;
        request.dataset = fromStd(m_dataset).trimmed();
        request.tournament = fromStd(m_tournament).trimmed();
        if (m_minGapOption->count() > 0)
            request.minGap = m_minGap;
        return runEvaluationExport(console, format, request);
    }

    int exportProblems(Console &console, const QString &wsPath, const QString &outPath)
    {
        for (const auto &[given, option] : {std::pair{!m_problem.empty(), "--problem"},
                                            std::pair{!m_assistantRole.empty(), "--assistant-role"},
                                            std::pair{m_systemOption->count() > 0, "--system"}})
            if (given)
                throw CliError(QStringLiteral("%1 applies to interactions only")
                                   .arg(QString::fromUtf8(option)),
                               QStringLiteral("add --interactions, or leave out %1")
                                   .arg(QString::fromUtf8(option)));
        const QString formatText = fromStd(m_format).toLower();
        if (formatText == QLatin1String("openai") || formatText == QLatin1String("transcript"))
            throw CliError(
                QStringLiteral("--format %1 is a format for interactions").arg(formatText),
                QStringLiteral("add --interactions, or use --format jsonl, csv or hf"));

        const bool hf = formatText == QLatin1String("hf");
        ExportOptions options;
        options.format = hf ? ProblemFileFormat::Jsonl
                            : resolveFormat(m_format, outPath, "--format jsonl|csv|hf");
        options.filter = m_filter.toFilter();
        options.filter.datasetId = fromStd(m_dataset).trimmed();
        if (m_onlyAccepted)
            options.filter.reviewStatus = ReviewStatus::Accepted;

        const bool card = m_cardOption->count() > 0;
        QString cardPath = fromStd(m_card).trimmed();
        if (card && options.filter.datasetId.isEmpty())
            throw CliError(
                QStringLiteral("--card needs --dataset: a card describes one dataset"),
                QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(wsPath));
        if (card && cardPath.isEmpty())
            cardPath = DatasetExporter::defaultCardPath(outPath);
        if (card && QFileInfo(cardPath).absoluteFilePath() == QFileInfo(outPath).absoluteFilePath())
            throw CliError(QStringLiteral("--card %1 is the same file as --out").arg(cardPath),
                           QStringLiteral("give the card its own file, e.g. --card %1")
                               .arg(DatasetExporter::defaultCardPath(outPath)));

        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        if (!options.filter.datasetId.isEmpty() &&
            !DatasetRepository(*ws).get(options.filter.datasetId))
            throw CliError(
                QStringLiteral("no dataset with id %1 in %2").arg(options.filter.datasetId, wsPath),
                QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(wsPath));

        const qint64 total = ProblemRepository(*ws).count(options.filter);
        ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                             QStringLiteral("exporting"));
        qint64 written = 0;
        if (hf) {
            DatasetJsonlOptions hfOptions;
            hfOptions.filter = options.filter;
            hfOptions.progress = [&progress](qint64 done, qint64 all) {
                progress.update(done, all);
            };
            written = DatasetExporter(*ws).exportJsonl(outPath, hfOptions);
        } else {
            options.progress = [&progress, total](qint64 n) { progress.update(n, total); };
            written = ProblemExporter(*ws).exportToFile(outPath, options);
        }
        progress.finish();

        if (card) {
            DatasetCardOptions cardOptions;
            cardOptions.dataFile = QFileInfo(outPath).fileName();
            cardOptions.onlyAccepted = m_onlyAccepted;
            cardOptions.dataKind = hf ? DatasetFileKind::HfJsonl
                                   : options.format == ProblemFileFormat::Csv
                                       ? DatasetFileKind::Csv
                                       : DatasetFileKind::ProblemJsonl;
            DatasetExporter(*ws).writeCard(options.filter.datasetId, cardPath, cardOptions);
        }

        const QString format = hf ? QStringLiteral("hf") : formatName(options.format);
        if (console.json()) {
            nlohmann::json j{{"workspace", wsPath.toStdString()},
                             {"file", outPath.toStdString()},
                             {"format", format.toStdString()},
                             {"exported", written}};
            if (card)
                j["card"] = cardPath.toStdString();
            j["only_accepted"] = m_onlyAccepted;
            console.printJson(j);
            return 0;
        }
        console.out() << "Exported " << written << (written == 1 ? " problem" : " problems")
                      << (m_onlyAccepted ? " accepted by a reviewer" : "") << " to " << outPath
                      << " (" << format << ")\n";
        if (m_onlyAccepted && written == 0)
            console.hint(QStringLiteral("no problem here is accepted yet: review them in the "
                                        "app's Problems panel, or leave out --only-accepted"));
        if (card)
            console.out() << "Wrote the dataset card to " << cardPath << "\n";
        return 0;
    }

    int exportInteractions(Console &console, const QString &wsPath, const QString &outPath)
    {
        for (const auto &[given, option] : {std::pair{!m_dataset.empty(), "--dataset"},
                                            std::pair{m_cardOption->count() > 0, "--card"},
                                            std::pair{m_onlyAccepted, "--only-accepted"},
                                            std::pair{!m_filter.search.empty(), "--search"},
                                            std::pair{!m_filter.domain.empty(), "--domain"},
                                            std::pair{!m_filter.complexity.empty(), "--complexity"},
                                            std::pair{!m_filter.origin.empty(), "--origin"}})
            if (given)
                throw CliError(QStringLiteral("%1 applies to problems, not to --interactions")
                                   .arg(QString::fromUtf8(option)),
                               QStringLiteral("use --problem ID to choose interactions"));

        InteractionExportOptions options;
        const QString formatText = fromStd(m_format).toLower();
        if (formatText.isEmpty() || formatText == QLatin1String("openai"))
            options.format = InteractionExportFormat::OpenAiChat;
        else if (formatText == QLatin1String("transcript"))
            options.format = InteractionExportFormat::Transcript;
        else
            throw CliError(
                QStringLiteral("--format %1 is a format for problems, not interactions")
                    .arg(formatText),
                QStringLiteral("use --format openai (chat fine-tuning) or --format transcript"));
        if (options.format == InteractionExportFormat::Transcript &&
            (!m_assistantRole.empty() || m_systemOption->count() > 0))
            throw CliError(QStringLiteral("--assistant-role and --system apply to --format "
                                          "openai only"),
                           QStringLiteral("leave them out for transcripts"));
        options.problemId = fromStd(m_problem).trimmed();
        options.assistantRole = fromStd(m_assistantRole).trimmed();
        if (m_systemOption->count() > 0)
            options.systemPrompt = fromStd(m_system);

        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        if (!options.problemId.isEmpty() && !ProblemRepository(*ws).contains(options.problemId))
            throw CliError(
                QStringLiteral("no problem with id %1 in %2").arg(options.problemId, wsPath),
                QStringLiteral("list problem ids with `crucible-cli problems %1`").arg(wsPath));

        ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                             QStringLiteral("exporting"));
        options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
        const InteractionExportResult r = InteractionExporter(*ws).exportToFile(outPath, options);
        progress.finish();

        const QString format = options.format == InteractionExportFormat::Transcript
                                   ? QStringLiteral("transcript")
                                   : QStringLiteral("openai");
        if (console.json()) {
            console.printJson({{"workspace", wsPath.toStdString()},
                               {"file", outPath.toStdString()},
                               {"format", format.toStdString()},
                               {"read", r.read},
                               {"exported", r.written},
                               {"skipped_no_assistant", r.skippedNoAssistant},
                               {"trimmed", r.trimmed},
                               {"skipped_ids", toStdList(r.skippedIds)}});
            return 0;
        }
        console.out() << "Exported " << r.written
                      << (r.written == 1 ? " interaction" : " interactions") << " to " << outPath
                      << " (" << format << ")\n";
        if (r.trimmed > 0)
            console.out() << "Trimmed " << r.trimmed
                          << " to end with the assistant's last message\n";
        if (r.skippedNoAssistant > 0) {
            console.warning(QStringLiteral("skipped %1 %2 with no message from the trained role "
                                           "(first: %3)")
                                .arg(r.skippedNoAssistant)
                                .arg(r.skippedNoAssistant == 1 ? QStringLiteral("interaction")
                                                               : QStringLiteral("interactions"))
                                .arg(r.skippedIds.join(QStringLiteral(", "))));
            console.hint(QStringLiteral("choose the role to train with --assistant-role ROLE"));
        }
        if (r.read == 0)
            console.warning(options.problemId.isEmpty()
                                ? QStringLiteral("%1 holds no interactions").arg(wsPath)
                                : QStringLiteral("no interactions about %1 in %2")
                                      .arg(options.problemId, wsPath));
        return 0;
    }

    std::string m_workspace;
    std::string m_out;
    std::string m_format;
    std::string m_dataset;
    std::string m_card;
    CLI::Option *m_cardOption = nullptr;
    FilterArgs m_filter;
    bool m_onlyAccepted = false;
    bool m_interactions = false;
    std::string m_problem;
    std::string m_assistantRole;
    std::string m_system;
    CLI::Option *m_systemOption = nullptr;
    EvaluationExportRequest m_evaluation;
    double m_minGap = 0.0;
    CLI::Option *m_minGapOption = nullptr;
    std::string m_tournament;
};

} // namespace

std::unique_ptr<Command> makeExportCommand()
{
    return std::make_unique<ExportCommand>();
}

} // namespace crucible::cli
