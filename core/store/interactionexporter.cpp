#include "core/store/interactionexporter.h"

#include "core/store/entityrepository.h"
#include "core/store/exportfile.h"
#include "core/store/problemrepository.h"

#include <QBuffer>
#include <map>
#include <set>

namespace crucible {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr int kPage = 500;
constexpr qsizetype kMaxSkippedIds = 20;

QString speakerLabel(const InteractionTurn &t)
{
    const QString name = t.speaker.trimmed();
    return name.isEmpty() ? t.role.trimmed() : name;
}

} // namespace

InteractionExporter::InteractionExporter(Workspace &ws)
    : m_ws(ws)
{
}

QString InteractionExporter::trainedRole(const Interaction &interaction, const QString &requested)
{
    auto spoken = [&](const QString &role) {
        for (const InteractionTurn &t : interaction.turns)
            if (t.role == role)
                return true;
        return false;
    };
    const json &roles = interaction.metadata.is_object() && interaction.metadata.contains("roles")
                            ? interaction.metadata.at("roles")
                            : json::array();
    auto field = [](const json &entry, const char *key) {
        const auto it = entry.find(key);
        return it != entry.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                    : QString();
    };

    const QString wanted = requested.trimmed();
    if (!wanted.isEmpty()) {
        if (spoken(wanted) || !roles.is_array())
            return wanted;
        // A display name given for the role ("--assistant-role Ada").
        for (const json &entry : roles)
            if (entry.is_object() && field(entry, "name") == wanted &&
                !field(entry, "role").isEmpty())
                return field(entry, "role");
        return wanted;
    }
    if (roles.is_array())
        for (const json &entry : roles)
            if (entry.is_object() && field(entry, "kind") == QLatin1String("agent") &&
                spoken(field(entry, "role")))
                return field(entry, "role");
    return QStringLiteral("assistant");
}

QString InteractionExporter::defaultSystemPrompt(const Problem *problem)
{
    if (!problem || problem->statement.trimmed().isEmpty())
        return QStringLiteral("You are a helpful assistant working on a problem with the user.");
    QString prompt = QStringLiteral("You are a helpful assistant working with the user on this "
                                    "problem:\n\n") +
                     problem->statement.trimmed();
    if (!problem->constraints.isEmpty()) {
        prompt += QStringLiteral("\n\nConstraints:");
        for (const QString &c : problem->constraints)
            prompt += QStringLiteral("\n- ") + c;
    }
    return prompt;
}

std::optional<ordered_json> InteractionExporter::openAiChat(const Interaction &interaction,
                                                            const Problem *problem,
                                                            const InteractionExportOptions &options,
                                                            bool *trimmed)
{
    if (trimmed)
        *trimmed = false;
    const QString assistant = trainedRole(interaction, options.assistantRole);

    // Turns with something to say; empty turns would be invalid messages.
    std::vector<const InteractionTurn *> turns;
    std::set<QString> others;
    for (const InteractionTurn &t : interaction.turns) {
        if (t.content.trimmed().isEmpty())
            continue;
        turns.push_back(&t);
        if (t.role != assistant)
            others.insert(speakerLabel(t));
    }
    const bool prefixSpeakers = others.size() > 1;

    struct Message
    {
        bool isAssistant;
        QString content;
    };
    std::vector<Message> messages;
    for (const InteractionTurn *t : turns) {
        const bool isAssistant = t->role == assistant;
        QString content = t->content.trimmed();
        if (!isAssistant && prefixSpeakers)
            content = speakerLabel(*t) + QStringLiteral(": ") + content;
        if (!messages.empty() && messages.back().isAssistant == isAssistant)
            messages.back().content += QStringLiteral("\n\n") + content;
        else
            messages.push_back({isAssistant, content});
    }

    // A training example ends with what the model should learn to say.
    while (!messages.empty() && !messages.back().isAssistant) {
        messages.pop_back();
        if (trimmed)
            *trimmed = true;
    }
    if (messages.empty())
        return std::nullopt;

    ordered_json list = ordered_json::array();
    const QString system =
        options.systemPrompt ? *options.systemPrompt : defaultSystemPrompt(problem);
    if (!system.isEmpty())
        list.push_back({{"role", "system"}, {"content", system.toStdString()}});
    for (const Message &m : messages)
        list.push_back(
            {{"role", m.isAssistant ? "assistant" : "user"}, {"content", m.content.toStdString()}});
    ordered_json doc = ordered_json::object();
    doc["messages"] = std::move(list);
    return doc;
}

ordered_json InteractionExporter::transcript(const Interaction &interaction)
{
    ordered_json doc = ordered_json::object();
    doc["id"] = interaction.id.toStdString();
    doc["problem_id"] = interaction.problemId.isEmpty()
                            ? ordered_json(nullptr)
                            : ordered_json(interaction.problemId.toStdString());
    doc["stop_reason"] = interaction.stopReason.isEmpty()
                             ? ordered_json(nullptr)
                             : ordered_json(interaction.stopReason.toStdString());
    ordered_json turns = ordered_json::array();
    for (const InteractionTurn &t : interaction.turns) {
        ordered_json turn = ordered_json::object();
        turn["role"] = t.role.toStdString();
        turn["speaker"] = t.speaker.toStdString();
        turn["content"] = t.content.toStdString();
        turns.push_back(std::move(turn));
    }
    doc["turns"] = std::move(turns);
    return doc;
}

InteractionExportResult InteractionExporter::write(QIODevice &out,
                                                   const InteractionExportOptions &options)
{
    EntityStore store(m_ws);
    ProblemRepository problems(m_ws);
    const QString parent = options.problemId.trimmed();
    const qint64 total = store.count<Interaction>(parent);
    std::map<QString, std::optional<Problem>> problemCache; // cleared page by page

    InteractionExportResult result;
    for (int offset = 0;; offset += kPage) {
        const std::vector<Interaction> page = store.list<Interaction>(parent, kPage, offset);
        QByteArray chunk;
        for (const Interaction &in : page) {
            ++result.read;
            std::optional<ordered_json> doc;
            if (options.format == InteractionExportFormat::Transcript) {
                doc = transcript(in);
            } else {
                const Problem *problem = nullptr;
                if (!options.systemPrompt && !in.problemId.isEmpty()) {
                    auto it = problemCache.find(in.problemId);
                    if (it == problemCache.end())
                        it = problemCache.emplace(in.problemId, problems.get(in.problemId)).first;
                    if (it->second)
                        problem = &*it->second;
                }
                bool trimmed = false;
                doc = openAiChat(in, problem, options, &trimmed);
                if (!doc) {
                    ++result.skippedNoAssistant;
                    if (result.skippedIds.size() < kMaxSkippedIds)
                        result.skippedIds << in.id;
                    continue;
                }
                if (trimmed)
                    ++result.trimmed;
            }
            chunk += QByteArray::fromStdString(doc->dump());
            chunk += '\n';
            ++result.written;
        }
        writeOrThrow(out, chunk);
        problemCache.clear();
        if (options.progress)
            options.progress(result.read, total);
        if (static_cast<int>(page.size()) < kPage)
            break;
    }
    return result;
}

InteractionExportResult InteractionExporter::exportToFile(const QString &path,
                                                          const InteractionExportOptions &options)
{
    InteractionExportResult result;
    writeFileAtomically(path, [&](QIODevice &out) { result = write(out, options); });
    return result;
}

InteractionExportResult InteractionExporter::exportToBytes(QByteArray &data,
                                                           const InteractionExportOptions &options)
{
    data.clear();
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    return write(buffer, options);
}

} // namespace crucible
