#pragma once
// Helpers shared by the crucible-cli commands: the problem filter options, file formats, text
// layout for tables, and JSON forms of the store's summary types.

#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"

#include <QString>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace crucible::cli {

// A sub-action of a command (`agents WS list`, `inbox WS answer`): options given before it (the
// workspace) reach it too.
CLI::App *addAction(CLI::App &command, const char *name, const char *help);

inline QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}
std::vector<std::string> toStdList(const QStringList &list);

// The --search/--domain/--complexity/--origin options shared by `problems` and `export`.
struct FilterArgs
{
    std::string search;
    std::string domain;
    std::string complexity;
    std::string origin;

    void addTo(CLI::App &app);
    ProblemFilter toFilter() const;
};

// "jsonl"/"csv" as accepted by --format; empty names come from the file's extension.
ProblemFileFormat resolveFormat(const std::string &name, const QString &path,
                                const char *optionHint);
QString formatName(ProblemFileFormat format);

// One line of text: whitespace runs collapsed, cut to width characters with an ellipsis.
QString preview(const QString &text, int width);
// Breaks text into lines of at most width characters at spaces (keeping its own line breaks);
// lines after the first start with indent spaces.
QString wrap(const QString &text, int width, int indent);
// Pads or cuts text to exactly width characters.
QString cell(const QString &text, int width);
QString humanBytes(qint64 bytes);

nlohmann::json summaryToJson(const ProblemSummary &s);
nlohmann::json issueToJson(const ImportIssue &issue);

} // namespace crucible::cli
