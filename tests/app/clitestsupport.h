#pragma once
// Runs crucible-cli in-process and captures exit code, stdout and stderr (CLI tests).

#include "app/cli/clirunner.h"

#include <QString>
#include <QStringList>
#include <QTextStream>
#include <nlohmann/json.hpp>

namespace crucible::cli {

struct CliResult
{
    int code = -1;
    QString out;
    QString err;

    nlohmann::json outJson() const { return nlohmann::json::parse(out.toStdString()); }
};

inline CliResult runCli(const QStringList &args)
{
    CliResult r;
    QTextStream out(&r.out);
    QTextStream err(&r.err);
    r.code = run(args, out, err);
    out.flush();
    err.flush();
    return r;
}

} // namespace crucible::cli
