#include "ui/llm/playgroundpanel.h"

#include "ui/llm/llmenginehost.h"
#include "ui/llm/providerbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace crucible {

PlaygroundPanel::PlaygroundPanel(LlmEngineHost *host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
{
    m_provider = new QComboBox(this);
    m_provider->setMinimumContentsLength(18);
    m_system = new QLineEdit(this);
    m_system->setPlaceholderText(tr("Optional system prompt"));
    m_prompt = new QPlainTextEdit(this);
    m_prompt->setPlaceholderText(tr("Ask something… (Ctrl+Return sends)"));
    m_prompt->setTabChangesFocus(true);
    m_samples = new QSpinBox(this);
    m_samples->setRange(1, 1000);
    m_samples->setToolTip(tr("How many samples of this prompt to request (each has its own "
                             "sample index, so the cache keeps them apart)"));
    m_useCache = new QCheckBox(tr("Use cache"), this);
    m_useCache->setChecked(true);
    m_useCache->setToolTip(tr("Answer repeated requests from the workspace at no cost"));
    m_send = new QPushButton(tr("Send"), this);
    m_send->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    m_answer = new QPlainTextEdit(this);
    m_answer->setReadOnly(true);
    m_progress = new QLabel(this);
    m_progress->setWordWrap(true);
    m_progress->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #b71c1c"));
    m_problems->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("Provider"), m_provider);
    form->addRow(tr("System"), m_system);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Samples"), this));
    buttons->addWidget(m_samples);
    buttons->addWidget(m_useCache);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addWidget(m_problems);
    layout->addWidget(m_prompt, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_answer, 2);
    layout->addWidget(m_progress);

    connect(m_send, &QPushButton::clicked, this, &PlaygroundPanel::send);
    connect(m_cancel, &QPushButton::clicked, this, &PlaygroundPanel::cancel);
    auto *sendKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    sendKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(sendKey, &QShortcut::activated, this, &PlaygroundPanel::send);
    LlmEngine *engine = host->engine();
    connect(engine, &LlmEngine::providersChanged, this, &PlaygroundPanel::onProviders);
    connect(engine, &LlmEngine::chatDelta, this, &PlaygroundPanel::onDelta);
    connect(engine, &LlmEngine::chatFinished, this, &PlaygroundPanel::onFinished);
    m_render = new QTimer(this);
    m_render->setSingleShot(true);
    m_render->setInterval(50);
    connect(m_render, &QTimer::timeout, this, &PlaygroundPanel::renderSamples);
    m_progress->setText(tr("Loading providers…"));
}

void PlaygroundPanel::onProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId,
                                  const QStringList &problems)
{
    fillProviderBox(m_provider, providers, defaultId);
    m_problems->setVisible(!problems.isEmpty());
    m_problems->setText(problems.join(QLatin1Char('\n')));
    if (m_expected == 0)
        m_progress->setText(tr("Ready. Calls are recorded in the workspace; see View → Request "
                               "Inspector."));
    emit providersLoaded();
}

void PlaygroundPanel::send()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty() || m_provider->currentIndex() < 0) {
        m_progress->setText(tr("Type a prompt first."));
        return;
    }
    ++m_ticket;
    m_expected = m_samples->value();
    m_done = 0;
    m_failed = 0;
    m_lastSummary.clear();
    m_texts = QStringList(m_expected, QString());
    m_summaries = QStringList(m_expected, QString());
    m_finished = QList<bool>(m_expected, false);
    m_render->stop();
    m_answer->clear();
    m_cancel->setEnabled(true);
    m_host->submitChat(m_ticket, m_provider->currentData().toString(), prompt, m_system->text(),
                       m_expected, m_useCache->isChecked());
    updateProgress();
}

void PlaygroundPanel::cancel()
{
    m_host->cancelAll();
}

void PlaygroundPanel::onDelta(quint64 ticket, const QString &delta)
{
    if (ticket != m_ticket || m_texts.isEmpty())
        return;
    m_texts[0] += delta;
    if (m_expected > 1) {
        if (!m_render->isActive())
            m_render->start();
        return;
    }
    m_answer->moveCursor(QTextCursor::End);
    m_answer->insertPlainText(delta);
}

void PlaygroundPanel::onFinished(quint64 ticket, int sample, bool ok, const QString &text,
                                 const QString &summary)
{
    if (ticket != m_ticket)
        return;
    if (sample < 0 || sample >= m_texts.size())
        return;
    ++m_done;
    if (!ok)
        ++m_failed;
    m_texts[sample] = ok ? text : summary; // a cache hit does not stream
    m_summaries[sample] = summary;
    m_finished[sample] = true;
    if (sample == 0)
        m_lastSummary = summary;
    if (m_expected == 1) {
        if (m_answer->toPlainText() != m_texts[0])
            m_answer->setPlainText(m_texts[0]);
    } else if (m_done == m_expected) {
        m_render->stop();
        renderSamples(); // the final state right away
    } else if (!m_render->isActive()) {
        m_render->start();
    }
    updateProgress();
}

void PlaygroundPanel::updateProgress()
{
    const bool running = m_done < m_expected;
    m_cancel->setEnabled(running);
    QString text = running ? tr("Running: %1 of %2 done").arg(m_done).arg(m_expected)
                           : tr("Finished: %1 of %2").arg(m_done).arg(m_expected);
    if (m_failed > 0)
        text += tr(", %1 failed").arg(m_failed);
    if (!m_lastSummary.isEmpty())
        text += QStringLiteral(" — ") + m_lastSummary;
    m_progress->setText(text);
}

void PlaygroundPanel::renderSamples()
{
    // Samples in order; the ones still running are left out until their answer arrives (sample
    // 1 streams, so it shows as it comes).
    QString text;
    for (int i = 0; i < m_texts.size(); ++i) {
        if (!m_finished[i] && m_texts[i].isEmpty())
            continue;
        QString header = tr("── Sample %1 of %2").arg(i + 1).arg(m_expected);
        header += m_finished[i] ? QStringLiteral(" · ") + m_summaries[i] : tr(" · streaming…");
        if (!text.isEmpty())
            text += QStringLiteral("\n\n");
        text += header + QStringLiteral(" ──\n") + m_texts[i];
    }
    QScrollBar *scroll = m_answer->verticalScrollBar();
    const int position = scroll->value();
    m_answer->setPlainText(text);
    scroll->setValue(position);
}

QString PlaygroundPanel::answerText() const
{
    return m_answer->toPlainText();
}

QString PlaygroundPanel::progressText() const
{
    return m_progress->text();
}

void PlaygroundPanel::setPrompt(const QString &prompt)
{
    m_prompt->setPlainText(prompt);
}

void PlaygroundPanel::setSamples(int samples)
{
    m_samples->setValue(samples);
}

} // namespace crucible
