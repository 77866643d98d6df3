#pragma once
// Entry point of crucible-cli, separate from main() so that tests run commands in-process and
// capture what they print. Runs on the calling thread; needs a QCoreApplication.

#include "app/cli/console.h"

#include <QStringList>
#include <QTextStream>

namespace crucible::cli {

enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

// args excludes the program name. Results go to out, diagnostics and progress to err.
int run(const QStringList &args, QTextStream &out, QTextStream &err,
        const TerminalInfo &terminal = {});

QString versionText();

} // namespace crucible::cli
