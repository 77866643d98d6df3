#include "ui/models/transcriptmodel.h"

#include "ui/models/interactionlistmodel.h"

namespace crucible {

namespace {

QString stringAt(const nlohmann::json &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

} // namespace

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void TranscriptModel::setInteraction(const std::optional<Interaction> &interaction)
{
    beginResetModel();
    m_interaction = interaction;
    m_participants.clear();
    m_turnParticipant.clear();
    if (m_interaction) {
        const nlohmann::json &meta = m_interaction->metadata;
        if (const auto roles = meta.find("roles"); roles != meta.end() && roles->is_array()) {
            for (const auto &r : *roles) {
                if (!r.is_object())
                    continue;
                Participant p;
                p.role = stringAt(r, "role");
                p.name = stringAt(r, "name");
                p.description = stringAt(r, "description");
                const QString kind = stringAt(r, "kind");
                p.isUser = kind.isEmpty() ? p.role == QLatin1String("user")
                                          : kind == QLatin1String("user_persona");
                m_participants.push_back(std::move(p));
            }
        }
        for (const InteractionTurn &turn : m_interaction->turns) {
            int index = participantOf(turn);
            if (index < 0) {
                // A speaker metadata does not know (older or hand-written documents).
                m_participants.push_back(
                    {turn.role, turn.speaker, {}, turn.role == QLatin1String("user")});
                index = static_cast<int>(m_participants.size()) - 1;
            }
            m_turnParticipant.push_back(index);
        }
    }
    endResetModel();
}

int TranscriptModel::participantOf(const InteractionTurn &turn) const
{
    // Two participants may share a role id (two agents "assistant"): the name decides then.
    int byRole = -1;
    for (size_t i = 0; i < m_participants.size(); ++i) {
        const Participant &p = m_participants[i];
        if (p.role != turn.role)
            continue;
        if (p.name == turn.speaker || turn.speaker.isEmpty())
            return static_cast<int>(i);
        if (byRole < 0)
            byRole = static_cast<int>(i);
    }
    return turn.speaker.isEmpty() ? byRole : -1;
}

QString TranscriptModel::intentAt(int row) const
{
    if (!m_interaction)
        return {};
    const auto it = m_interaction->metadata.find("intents");
    if (it == m_interaction->metadata.end() || !it->is_array() || row < 0 ||
        static_cast<size_t>(row) >= it->size())
        return {};
    const auto &intent = (*it)[static_cast<size_t>(row)];
    return intent.is_string() ? QString::fromStdString(intent.get<std::string>()) : QString();
}

int TranscriptModel::turnLimit() const
{
    if (!m_interaction)
        return 0;
    const auto it = m_interaction->metadata.find("turn_limit");
    return it != m_interaction->metadata.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::optional<double> TranscriptModel::costUsd() const
{
    if (!m_interaction)
        return std::nullopt;
    const auto it = m_interaction->metadata.find("cost_usd");
    if (it == m_interaction->metadata.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

QString TranscriptModel::jobId() const
{
    return m_interaction ? stringAt(m_interaction->metadata, "job_id") : QString();
}

QString TranscriptModel::providerText() const
{
    if (!m_interaction)
        return {};
    const auto params = m_interaction->metadata.find("parameters");
    if (params == m_interaction->metadata.end() || !params->is_object())
        return {};
    const QString provider = stringAt(*params, "provider");
    const QString model = stringAt(*params, "model");
    if (model.isEmpty() || model == provider)
        return provider;
    if (provider.isEmpty())
        return model;
    return provider % QLatin1Char('/') % model;
}

QString TranscriptModel::toPlainText(const QString &problemStatement) const
{
    if (!m_interaction)
        return {};
    QString out;
    out += tr("Interaction %1").arg(m_interaction->id) % QLatin1Char('\n');
    if (!problemStatement.isEmpty())
        out += tr("Problem: %1").arg(problemStatement) % QLatin1Char('\n');
    else if (!m_interaction->problemId.isEmpty())
        out += tr("Problem: %1").arg(m_interaction->problemId) % QLatin1Char('\n');
    const int limit = turnLimit();
    const auto turns = static_cast<int>(m_interaction->turns.size());
    out += InteractionListModel::stopReasonText(m_interaction->stopReason) % QStringLiteral(" · ") %
           (limit > 0 ? tr("%1 of %2 turns").arg(turns).arg(limit) : tr("%n turn(s)", "", turns)) %
           QLatin1Char('\n');
    for (int row = 0; row < turns; ++row) {
        const InteractionTurn &turn = m_interaction->turns[static_cast<size_t>(row)];
        const QString speaker = turn.speaker.isEmpty() ? turn.role : turn.speaker;
        const QString intent = intentAt(row);
        out += QStringLiteral("\n[%1] ").arg(row + 1) % speaker;
        if (!intent.isEmpty())
            out += QStringLiteral(" (") % intent % QLatin1Char(')');
        out += QLatin1Char('\n') % turn.content.trimmed() % QLatin1Char('\n');
    }
    return out;
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_interaction)
        return 0;
    return static_cast<int>(m_interaction->turns.size());
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || !m_interaction || index.row() >= rowCount())
        return {};
    const auto row = static_cast<size_t>(index.row());
    const InteractionTurn &turn = m_interaction->turns[row];
    const Participant &who = m_participants[static_cast<size_t>(m_turnParticipant[row])];
    switch (role) {
    case Qt::DisplayRole:
        return turn.content.trimmed();
    case Qt::ToolTipRole:
        return who.description.isEmpty() ? QVariant() : QVariant(who.description);
    case SpeakerRole:
        return turn.speaker.isEmpty() ? turn.role : turn.speaker;
    case TurnRoleRole:
        return turn.role;
    case IntentRole:
        return intentAt(index.row());
    case IsUserRole:
        return who.isUser;
    case ParticipantIndexRole:
        return m_turnParticipant[row];
    case TurnNumberRole:
        return index.row() + 1;
    default:
        return {};
    }
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(SpeakerRole, "speaker");
    names.insert(TurnRoleRole, "turnRole");
    names.insert(IntentRole, "intent");
    names.insert(IsUserRole, "isUser");
    names.insert(ParticipantIndexRole, "participant");
    names.insert(TurnNumberRole, "turnNumber");
    return names;
}

} // namespace crucible
