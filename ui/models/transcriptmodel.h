#pragma once
// The turns of one interaction as a list (one row per turn) with who spoke, on which side of
// the chat (user persona or agent) and with what intent, plus the interaction's participants
// and a plain-text rendering for the clipboard. GUI thread only; holds a copy of the interaction.

#include "core/model/interaction.h"

#include <QAbstractListModel>
#include <optional>
#include <vector>

namespace crucible {

class TranscriptModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        SpeakerRole = Qt::UserRole, // display name (falls back to the role)
        TurnRoleRole,               // the turn's role id, e.g. "user" or "solver"
        IntentRole,                 // propose, question, ...; empty when not recorded
        IsUserRole,                 // bool: the speaker is a user persona (other side of the chat)
        ParticipantIndexRole,       // int: stable per speaker, for colours
        TurnNumberRole              // int: 1-based
    };

    struct Participant
    {
        QString role;
        QString name;
        QString description;
        bool isUser = false;
    };

    explicit TranscriptModel(QObject *parent = nullptr);

    void setInteraction(const std::optional<Interaction> &interaction); // resets the model
    const std::optional<Interaction> &interaction() const { return m_interaction; }
    // From metadata.roles, plus any speaker of a turn that metadata does not list.
    const std::vector<Participant> &participants() const { return m_participants; }
    QString intentAt(int row) const;
    int turnLimit() const; // 0 when unknown
    std::optional<double> costUsd() const;
    QString jobId() const;
    // "provider/model" from the generation parameters (one word when they are equal).
    QString providerText() const;

    // The whole conversation as text, turns in order: "[1] Name (intent)\ncontent".
    QString toPlainText(const QString &problemStatement = {}) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    int participantOf(const InteractionTurn &turn) const;

    std::optional<Interaction> m_interaction;
    std::vector<Participant> m_participants;
    std::vector<int> m_turnParticipant; // per turn: index into m_participants
};

} // namespace crucible
