#include "app/cli/evaluationexport.h"

#include "app/cli/clierror.h"
#include "app/cli/commandsupport.h"
#include "app/cli/progressbar.h"
#include "core/store/datasetrepository.h"
#include "core/store/graphexporter.h"
#include "core/store/preferenceexporter.h"
#include "core/store/solutionexporter.h"
#include "core/store/workspace.h"

#include <QFileInfo>
#include <QSqlQuery>

namespace crucible::cli {

namespace {

std::unique_ptr<Workspace> openWorkspace(const EvaluationExportRequest &r)
{
    return Workspace::open(r.workspace, Workspace::Mode::ReadOnly);
}

void refuseFolder(const QString &out)
{
    if (QFileInfo(out).isDir())
        throw CliError(
            QStringLiteral("--out %1 is a folder").arg(out),
            QStringLiteral("give a file name, e.g. --out %1")
                .arg(QFileInfo(out).absoluteFilePath() + QStringLiteral("/export.jsonl")));
}

int exportPairs(Console &console, const EvaluationExportRequest &r)
{
    refuseFolder(r.out);
    auto ws = openWorkspace(r);
    PreferenceExportOptions options;
    options.format =
        r.format == QLatin1String("dpo-openai") ? PreferenceFormat::OpenAi : PreferenceFormat::Trl;
    options.onlyAgreed = r.onlyAgreed;
    options.onlyAccepted = r.onlyAccepted;
    options.minScoreGap = r.minGap;
    options.tournamentId = r.tournament;
    if (!r.tournament.isEmpty()) {
        QSqlQuery q = ws->prepare(QStringLiteral("SELECT 1 FROM tournaments WHERE id = ?"));
        q.bindValue(0, r.tournament);
        Workspace::execPrepared(q, QStringLiteral("Looking up the tournament"));
        if (!q.next())
            throw CliError(
                QStringLiteral("no tournament with id %1 in %2").arg(r.tournament, r.workspace),
                QStringLiteral("list tournaments with `crucible-cli ratings %1`").arg(r.workspace));
    }

    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                         QStringLiteral("exporting"));
    options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
    const PreferenceExportResult result = PreferenceExporter(*ws).exportToFile(r.out, options);
    progress.finish();

    if (console.json()) {
        nlohmann::json j{{"workspace", r.workspace.toStdString()},
                         {"file", r.out.toStdString()},
                         {"format", r.format.toStdString()},
                         {"exported", result.written},
                         {"human", result.human},
                         {"available", result.available},
                         {"matched", result.matched},
                         {"skipped_empty", result.skippedEmpty},
                         {"skipped_same", result.skippedSame},
                         {"skipped_ids", toStdList(result.skippedIds)},
                         {"only_agreed", r.onlyAgreed},
                         {"only_accepted", r.onlyAccepted},
                         {"min_gap", r.minGap ? nlohmann::json(*r.minGap) : nlohmann::json()},
                         {"tournament", r.tournament.toStdString()}};
        console.printJson(j);
        return 0;
    }
    console.out() << "Exported " << result.written
                  << (result.written == 1 ? " preference pair" : " preference pairs") << " to "
                  << r.out << " (" << r.format << ")";
    if (result.human > 0)
        console.out() << ", " << result.human << " of them chosen by a person in the inbox";
    console.out() << "\n";
    if (result.matched < result.available)
        console.out() << "Left out " << (result.available - result.matched) << " of "
                      << result.available << " pairs by the options\n";
    const qint64 skipped = result.skippedEmpty + result.skippedSame;
    if (skipped > 0)
        console.warning(QStringLiteral("skipped %1 %2 with an empty text or the same chosen and "
                                       "rejected text (first: %3)")
                            .arg(skipped)
                            .arg(skipped == 1 ? QStringLiteral("pair") : QStringLiteral("pairs"))
                            .arg(result.skippedIds.join(QStringLiteral(", "))));
    if (result.available == 0) {
        console.warning(QStringLiteral("%1 holds no preference pairs yet").arg(r.workspace));
        console.hint(QStringLiteral("preference pairs come from tournaments: run `crucible-cli "
                                    "tournament %1 ...` first")
                         .arg(r.workspace));
    } else if (result.matched == 0) {
        console.hint(QStringLiteral("none of the %1 pairs passes --only-agreed, --min-gap, "
                                    "--only-accepted or --tournament: relax them")
                         .arg(result.available));
    }
    return 0;
}

int exportSolutions(Console &console, const EvaluationExportRequest &r)
{
    refuseFolder(r.out);
    auto ws = openWorkspace(r);
    if (!r.dataset.isEmpty() && !DatasetRepository(*ws).get(r.dataset))
        throw CliError(
            QStringLiteral("no dataset with id %1 in %2").arg(r.dataset, r.workspace),
            QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(r.workspace));
    SolutionExportOptions options;
    options.onlyAccepted = r.onlyAccepted;
    options.datasetId = r.dataset;
    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                         QStringLiteral("exporting"));
    options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
    const SolutionExportResult result = SolutionExporter(*ws).exportToFile(r.out, options);
    progress.finish();

    if (console.json()) {
        console.printJson({{"workspace", r.workspace.toStdString()},
                           {"file", r.out.toStdString()},
                           {"format", "solutions"},
                           {"exported", result.written},
                           {"available", result.available},
                           {"only_accepted", r.onlyAccepted},
                           {"dataset", r.dataset.toStdString()}});
        return 0;
    }
    console.out() << "Exported " << result.written
                  << (result.written == 1 ? " solution" : " solutions") << " to " << r.out
                  << " (solutions)\n";
    if (result.available == 0) {
        console.warning(QStringLiteral("%1 holds no solutions yet").arg(r.workspace));
        console.hint(QStringLiteral("solve problems first: `crucible-cli solve %1 --problem ID "
                                    "--agent ID`")
                         .arg(r.workspace));
    }
    return 0;
}

nlohmann::json countsToJson(const std::map<QString, qint64> &counts)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[name, n] : counts)
        j[name.toStdString()] = n;
    return j;
}

int exportGraph(Console &console, const EvaluationExportRequest &r)
{
    const bool csv = r.format == QLatin1String("neo4j-csv");
    if (csv && QFileInfo(r.out).exists() && !QFileInfo(r.out).isDir())
        throw CliError(QStringLiteral("--out %1 is a file; --format neo4j-csv writes a folder of "
                                      "CSV files")
                           .arg(r.out),
                       QStringLiteral("give a folder (it is created when missing)"));
    if (!csv)
        refuseFolder(r.out);
    auto ws = openWorkspace(r);
    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                         QStringLiteral("exporting"));
    GraphExportOptions options;
    options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
    GraphExporter exporter(*ws);
    const GraphExportResult result =
        csv ? exporter.exportCsv(r.out, options) : exporter.exportCypher(r.out, options);
    progress.finish();

    if (console.json()) {
        nlohmann::json j{{"workspace", r.workspace.toStdString()},
                         {csv ? "folder" : "file", r.out.toStdString()},
                         {"format", r.format.toStdString()},
                         {"nodes", result.nodeCount},
                         {"relationships", result.relationshipCount},
                         {"labels", countsToJson(result.nodes)},
                         {"types", countsToJson(result.relationships)}};
        if (csv) {
            j["files"] = toStdList(result.files);
            j["import_command"] = GraphExporter::importCommand().toStdString();
        } else {
            j["statements"] = result.statements;
        }
        console.printJson(j);
        return 0;
    }
    console.out() << "Exported " << result.nodeCount << " nodes and " << result.relationshipCount
                  << " relationships to " << r.out << " (" << r.format << ")\n";
    if (csv)
        console.out() << "Import with (Neo4j stopped): cd " << r.out << " && ./import.sh\n";
    else
        console.out() << "Load with: cypher-shell -u neo4j -p PASSWORD -f " << r.out << "\n";
    if (result.nodeCount ==
        result.nodes.at(QStringLiteral("Problem")) + result.nodes.at(QStringLiteral("Dataset")))
        console.hint(QStringLiteral("the graph holds problems and datasets only: agents, "
                                    "solutions and comparisons appear after `solve` and "
                                    "`tournament`"));
    return 0;
}

} // namespace

const std::vector<EvaluationExportFormat> &evaluationExportFormats()
{
    static const std::vector<EvaluationExportFormat> formats = {
        {"dpo", "preference pairs as TRL DPO JSONL (prompt, chosen, rejected)", exportPairs, true,
         true, false},
        {"dpo-openai", "preference pairs as OpenAI preference fine-tuning JSONL", exportPairs, true,
         true, false},
        {"solutions", "solutions JSONL with critiques, verdicts, judgments and lineage",
         exportSolutions, true, false, true},
        {"cypher", "the whole graph as a Cypher script for cypher-shell", exportGraph, false, false,
         false},
        {"neo4j-csv", "the whole graph as neo4j-admin import CSVs (--out is a folder)", exportGraph,
         false, false, false},
    };
    return formats;
}

const EvaluationExportFormat *findEvaluationExportFormat(const QString &name)
{
    for (const EvaluationExportFormat &f : evaluationExportFormats())
        if (name.compare(QString::fromUtf8(f.name), Qt::CaseInsensitive) == 0)
            return &f;
    return nullptr;
}

int runEvaluationExport(Console &console, const EvaluationExportFormat &format,
                        const EvaluationExportRequest &request)
{
    const QString name = QString::fromUtf8(format.name);
    auto refuse = [&name](bool given, const char *option, const QString &hint) {
        if (given)
            throw CliError(QStringLiteral("%1 does not apply to --format %2")
                               .arg(QString::fromUtf8(option), name),
                           hint);
    };
    const QString pairHint = QStringLiteral("it filters preference pairs: use --format dpo or "
                                            "dpo-openai");
    refuse(request.onlyAgreed && !format.takesPairOptions, "--only-agreed", pairHint);
    refuse(request.minGap.has_value() && !format.takesPairOptions, "--min-gap", pairHint);
    refuse(!request.tournament.isEmpty() && !format.takesPairOptions, "--tournament", pairHint);
    refuse(request.onlyAccepted && !format.takesAccepted, "--only-accepted",
           QStringLiteral("the graph always holds every problem; filter in Neo4j"));
    refuse(!request.dataset.isEmpty() && !format.takesDataset, "--dataset",
           format.takesPairOptions
               ? QStringLiteral("choose pairs with --tournament or --only-accepted")
               : QStringLiteral("the graph always holds every dataset"));
    EvaluationExportRequest r = request;
    r.format = name;
    return format.run(console, r);
}

} // namespace crucible::cli
