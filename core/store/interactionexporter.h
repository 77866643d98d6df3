#pragma once
// Exports stored interactions as OpenAI chat fine-tuning JSONL ({"messages": [...]}, one
// conversation a line) or as plain transcripts. Streams in pages through QSaveFile; lives on the
// Workspace's thread.

#include "core/model/interaction.h"
#include "core/model/problem.h"
#include "core/store/workspace.h"

#include <QIODevice>
#include <functional>
#include <optional>

namespace crucible {

enum class InteractionExportFormat { OpenAiChat, Transcript };

struct InteractionExportOptions
{
    InteractionExportFormat format = InteractionExportFormat::OpenAiChat;
    QString problemId; // only the interactions about this problem when set
    // The role being trained: its turns become "assistant" messages, every other speaker
    // "user". Matches a turn's role (or a name in metadata.roles). Empty: the interaction's
    // agent (metadata.roles kind "agent"), else "assistant".
    QString assistantRole;
    // Unset: a default that states the problem. Set but empty: no system message.
    std::optional<QString> systemPrompt;
    std::function<void(qint64 done, qint64 total)> progress;
};

struct InteractionExportResult
{
    qint64 read = 0;
    qint64 written = 0;
    qint64 skippedNoAssistant = 0; // no message of the trained role: nothing to learn from
    qint64 trimmed = 0;            // turns after the last assistant message were dropped
    QStringList skippedIds;        // the first 20 skipped interactions
};

class InteractionExporter final
{
public:
    explicit InteractionExporter(Workspace &ws);

    // Throws WorkspaceError on I/O failure.
    InteractionExportResult exportToFile(const QString &path,
                                         const InteractionExportOptions &options);
    InteractionExportResult exportToBytes(QByteArray &data,
                                          const InteractionExportOptions &options);

    // The "messages" document of one interaction, or nullopt when it has no message of the
    // trained role. *trimmed is set when trailing non-assistant turns were dropped. problem may
    // be null (unknown problem: the default system prompt then does without its statement).
    static std::optional<nlohmann::ordered_json> openAiChat(const Interaction &interaction,
                                                            const Problem *problem,
                                                            const InteractionExportOptions &options,
                                                            bool *trimmed = nullptr);
    // {"id", "problem_id", "stop_reason", "turns": [{"role", "speaker", "content"}]}
    static nlohmann::ordered_json transcript(const Interaction &interaction);
    // The role whose turns become "assistant" messages for this interaction.
    static QString trainedRole(const Interaction &interaction, const QString &requested);
    static QString defaultSystemPrompt(const Problem *problem);

private:
    InteractionExportResult write(QIODevice &out, const InteractionExportOptions &options);
    Workspace &m_ws;
};

} // namespace crucible
