#pragma once
// ApiKeyField: the API key row of the provider editor (masked field with show/hide, where the
// key comes from, "Get a key" link). Holds the key only in memory; the dialog writes it to the
// SecretStore. GUI thread only.

#include "core/llm/secrets/secretstore.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace crucible {

// What the dialog knows about one provider's key: what the store holds and what was typed.
struct ApiKeyState
{
    enum class Change { None, Write, Remove };

    bool loaded = false; // the store has answered
    QString stored;      // the key the store returned (empty: none)
    KeySource storedSource = KeySource::None;
    QString storedLabel;  // e.g. "from environment variable OPENAI_API_KEY"
    QString storeProblem; // why the keychain could not be used, if it could not
    QString value;        // the field's text
    bool edited = false;  // typed by the user since the last load or save

    // What Apply has to do: write a new key, remove the stored one (field cleared), or nothing.
    // An environment variable is never written or removed.
    Change pendingChange() const;
};

class ApiKeyField final : public QWidget
{
    Q_OBJECT
public:
    explicit ApiKeyField(QWidget *parent = nullptr);

    void setState(const ApiKeyState &state);
    ApiKeyState state() const;
    QString key() const; // trimmed field text: the key a test or fetch should use

    // How the "where from" line talks about a missing key.
    void setKeyRequired(bool required);
    void setEnvVarName(const QString &name);
    void setKeyPageUrl(const QString &url); // empty hides the "Get a key" link

    QLineEdit *lineEdit() const { return m_edit; }
    QToolButton *visibilityButton() const { return m_toggle; }
    QLabel *sourceLabel() const { return m_source; }
    QLabel *keyPageLink() const { return m_link; }

signals:
    void keyEdited(); // the user typed or cleared the key

private:
    void updateSourceLabel();

    QLineEdit *m_edit = nullptr;
    QToolButton *m_toggle = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_link = nullptr;
    ApiKeyState m_state;
    bool m_keyRequired = false;
    QString m_envVar;
};

} // namespace crucible
