#pragma once
// The `export --format` formats of the evaluation data (preference pairs, solutions, the Neo4j
// graph), as a table the export command dispatches through: one row per format.

#include "app/cli/console.h"

#include <QString>
#include <optional>
#include <vector>

namespace crucible::cli {

// What `export` parsed, as far as these formats care.
struct EvaluationExportRequest
{
    QString workspace;
    QString out;
    QString format;
    bool onlyAccepted = false;
    bool onlyAgreed = false;
    std::optional<double> minGap;
    QString tournament;
    QString dataset;
};

struct EvaluationExportFormat
{
    const char *name;
    const char *description; // for --help
    int (*run)(Console &console, const EvaluationExportRequest &request);
    // Options besides --out that the format takes (the others are refused with a message).
    bool takesAccepted, takesPairOptions, takesDataset;
};

const std::vector<EvaluationExportFormat> &evaluationExportFormats();
const EvaluationExportFormat *findEvaluationExportFormat(const QString &name);

// Refuses options the format does not take, then runs it.
int runEvaluationExport(Console &console, const EvaluationExportFormat &format,
                        const EvaluationExportRequest &request);

} // namespace crucible::cli
