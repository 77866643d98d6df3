#pragma once
// Reads of the problems table that can be stopped: SQLite asks a callback every kStepsPerCheck
// steps of its virtual machine and the read gives up (nullopt) as soon as it answers false. Used
// to keep a read within a budget on the GUI thread, and to drop a read nobody waits for any
// more on a worker. Same thread as the Workspace; throws WorkspaceError like ProblemRepository
// for any other failure.

#include "core/store/problemrepository.h"

#include <functional>
#include <optional>
#include <vector>

namespace crucible::stoppable {

// How many SQLite virtual-machine steps pass between two calls of keepGoing.
constexpr int kStepsPerCheck = 1000;

// ProblemRepository::count(filter).
std::optional<qint64> countWhile(Workspace &ws, const ProblemFilter &filter,
                                 const std::function<bool()> &keepGoing);
// ProblemRepository::page(filter, sort, offset, limit).
std::optional<std::vector<ProblemSummary>> pageWhile(Workspace &ws, const ProblemFilter &filter,
                                                     const ProblemSort &sort, qint64 offset,
                                                     int limit,
                                                     const std::function<bool()> &keepGoing);
// ProblemRepository::pageAfter(filter, sort, after, limit).
std::optional<std::vector<ProblemSummary>>
pageAfterWhile(Workspace &ws, const ProblemFilter &filter, const ProblemSort &sort,
               const ProblemSummary *after, int limit, const std::function<bool()> &keepGoing);

} // namespace crucible::stoppable
