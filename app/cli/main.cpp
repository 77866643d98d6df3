// crucible-cli: the headless front end. All logic lives in crucible_cli (clirunner.cpp).

#include "app/cli/clirunner.h"

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Crucible"));
    QCoreApplication::setApplicationName(QStringLiteral("crucible-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CRUCIBLE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = crucible::cli::run(QCoreApplication::arguments().mid(1), out, err,
                                        crucible::cli::TerminalInfo::detect());
    out.flush();
    err.flush();
    return code;
}
