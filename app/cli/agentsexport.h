#pragma once
// `crucible-cli export WS --format agents --out FILE`: the same file as `agents WS export`
// (implemented in agentscommand.cpp).

#include "app/cli/console.h"

namespace crucible::cli {

int exportAgentDefinitions(Console &console, const QString &workspacePath, const QString &outPath);

} // namespace crucible::cli
