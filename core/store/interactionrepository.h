#pragma once
// Cheap listing of the interactions of a workspace: one summary row per interaction (counts and
// a statement excerpt computed by SQLite, no transcript parsing), keyset-paged by insertion
// order. Lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QDateTime>
#include <QStringList>

#include <optional>
#include <vector>

namespace crucible {

struct InteractionSummary
{
    qint64 seq = 0;
    QString id;
    QString problemId;
    QString problemStatement; // the first kExcerptChars characters; empty when the problem is gone
    int turns = 0;
    int turnLimit = 0; // 0 when unknown
    QString stopReason;
    QString jobId;
    std::optional<double> costUsd;
    QDateTime createdAt;
};

class InteractionRepository final
{
public:
    static constexpr int kExcerptChars = 400;

    explicit InteractionRepository(Workspace &ws);

    // problemId empty = every interaction in the workspace.
    qint64 count(const QString &problemId = {}) const;
    // Rows inserted after afterSeq (0 = from the start), oldest first.
    std::vector<InteractionSummary> pageAfter(const QString &problemId, qint64 afterSeq,
                                              int limit) const;
    // The given interactions that exist (and belong to problemId when it is set), oldest first.
    std::vector<InteractionSummary> byIds(const QStringList &ids,
                                          const QString &problemId = {}) const;

private:
    Workspace &m_ws;
};

} // namespace crucible
