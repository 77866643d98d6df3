#pragma once
// Exports the preference pairs of tournaments (table preference_pairs), and those people chose
// in the feedback inbox (which replace the judges' pairs of the same two solutions), for DPO
// training: TRL's
// standard preference format (explicit prompt: {"prompt", "chosen", "rejected"}) or OpenAI's
// preference fine-tuning format ({"input": {"messages"}, "preferred_output",
// "non_preferred_output"}). Streams rows through QSaveFile; lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QIODevice>
#include <QStringList>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

namespace crucible {

enum class PreferenceFormat { Trl, OpenAi };

struct PreferenceExportOptions
{
    PreferenceFormat format = PreferenceFormat::Trl;
    // Only pairs whose judging agreed: the comparison's two orders gave the same winner, and no
    // other comparison of the same two solutions (another judge, another tournament) found a
    // tie or the other winner. A person's pair always passes.
    bool onlyAgreed = false;
    // Only pairs whose chosen score exceeds the rejected score by at least this much, in the
    // units of preference_pairs.chosen_score (the pairwise judge's 0–10, mean of both orders);
    // judge pairs without both scores are left out when set (a person's pair has none and
    // passes).
    std::optional<double> minScoreGap;
    bool onlyAccepted = false; // only problems a reviewer accepted
    QString tournamentId;      // only this tournament's pairs when set
    std::function<void(qint64 done, qint64 total)> progress;
};

struct PreferenceExportResult
{
    qint64 available = 0;    // pairs in the workspace before any option
    qint64 matched = 0;      // pairs that passed the options
    qint64 written = 0;      // lines written
    qint64 human = 0;        // of them, pairs a person chose (inbox answers)
    qint64 skippedEmpty = 0; // prompt, chosen or rejected text empty
    qint64 skippedSame = 0;  // chosen and rejected text identical: nothing to learn
    QStringList skippedIds;  // the first 20 skipped pairs
};

class PreferenceExporter final
{
public:
    explicit PreferenceExporter(Workspace &ws);

    // Throws WorkspaceError on I/O failure; a failed export leaves any previous file unchanged.
    PreferenceExportResult exportToFile(const QString &path,
                                        const PreferenceExportOptions &options);
    PreferenceExportResult exportToBytes(QByteArray &data, const PreferenceExportOptions &options);

    // Pairs in the workspace, and those the options let through (for "nothing to export").
    qint64 available() const;
    qint64 count(const PreferenceExportOptions &options) const;

    // One line of the format (without the newline).
    static nlohmann::ordered_json line(PreferenceFormat format, const std::string &prompt,
                                       const std::string &chosen, const std::string &rejected);
    static QString formatName(PreferenceFormat format); // "dpo" or "dpo-openai"

private:
    PreferenceExportResult write(QIODevice &out, const PreferenceExportOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
