#include "ui/settings/apikeyfield.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace crucible {

namespace {

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

ApiKeyState::Change ApiKeyState::pendingChange() const
{
    if (!edited)
        return Change::None;
    const QString typed = value.trimmed();
    if (typed.isEmpty()) {
        const bool ours = storedSource == KeySource::Keychain || storedSource == KeySource::Session;
        return ours ? Change::Remove : Change::None;
    }
    return typed == stored ? Change::None : Change::Write;
}

ApiKeyField::ApiKeyField(QWidget *parent)
    : QWidget(parent)
{
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setClearButtonEnabled(true);
    m_edit->setAccessibleName(tr("API key"));

    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("apiKeyVisibility"));
    m_toggle->setCheckable(true);
    m_toggle->setText(tr("Show"));
    m_toggle->setToolTip(tr("Show or hide the key"));
    connect(m_toggle, &QToolButton::toggled, this, [this](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_toggle->setText(shown ? tr("Hide") : tr("Show"));
    });

    m_link = new QLabel(this);
    m_link->setObjectName(QStringLiteral("keyPageLink"));
    m_link->setOpenExternalLinks(true);
    m_link->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_link->hide();

    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("keySourceLabel"));
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_edit, 1);
    row->addWidget(m_toggle);
    row->addWidget(m_link);

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addLayout(row);
    column->addWidget(m_source);

    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_state.value = text;
        m_state.edited = true;
        updateSourceLabel();
        emit keyEdited();
    });
    updateSourceLabel();
}

void ApiKeyField::setState(const ApiKeyState &state)
{
    m_state = state;
    const QSignalBlocker blocker(m_edit);
    if (m_edit->text() != state.value)
        m_edit->setText(state.value);
    updateSourceLabel();
}

ApiKeyState ApiKeyField::state() const
{
    return m_state;
}

QString ApiKeyField::key() const
{
    return m_edit->text().trimmed();
}

void ApiKeyField::setKeyRequired(bool required)
{
    m_keyRequired = required;
    m_edit->setPlaceholderText(required ? tr("Required: paste the provider's API key")
                                        : tr("Optional: most local servers need no key"));
    updateSourceLabel();
}

void ApiKeyField::setEnvVarName(const QString &name)
{
    m_envVar = name;
    updateSourceLabel();
}

void ApiKeyField::setKeyPageUrl(const QString &url)
{
    if (url.isEmpty()) {
        m_link->clear();
        m_link->hide();
        return;
    }
    m_link->setText(
        QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), tr("Get a key")));
    m_link->setToolTip(url);
    m_link->show();
}

void ApiKeyField::updateSourceLabel()
{
    QString text;
    bool problem = false;
    const QString envHint = m_envVar.isEmpty()
                                ? QString()
                                : tr("; environment variable %1 is used if set").arg(m_envVar);
    switch (m_state.pendingChange()) {
    case ApiKeyState::Change::Write:
        text = tr("New key: stored in the system keychain when you press Apply or OK "
                  "(for this session only if the keychain is unavailable)");
        break;
    case ApiKeyState::Change::Remove:
        text = tr("The stored key is removed when you press Apply or OK") + envHint;
        break;
    case ApiKeyState::Change::None:
        if (!m_state.loaded) {
            text = tr("Looking up the key…");
        } else if (m_state.storedSource == KeySource::None ||
                   (m_state.edited && m_state.value.trimmed().isEmpty() &&
                    m_state.storedSource == KeySource::Environment)) {
            if (m_state.storedSource == KeySource::Environment)
                text = tr("Key comes from environment variable %1; unset it to use no key")
                           .arg(m_envVar);
            else if (m_keyRequired) {
                text = tr("No API key set: this provider needs one. Paste it above") +
                       (m_envVar.isEmpty() ? QString()
                                           : tr(" or set environment variable %1").arg(m_envVar));
                problem = true;
            } else {
                text = tr("No API key set (not needed for most local servers)");
            }
        } else {
            text = capitalized(m_state.storedLabel.isEmpty() ? keySourceName(m_state.storedSource)
                                                             : m_state.storedLabel);
        }
        break;
    }
    if (!m_state.storeProblem.isEmpty())
        text += u'\n' + tr("System keychain unavailable (%1): keys typed here are kept for this "
                           "session only")
                            .arg(m_state.storeProblem);
    m_source->setText(text);
    m_source->setStyleSheet(problem ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace crucible
