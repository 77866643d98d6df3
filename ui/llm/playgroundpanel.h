#pragma once
// PlaygroundPanel: send a prompt to any configured provider (or the Simulated one) and watch
// the answer stream in; ask for many samples at once to see the scheduler, the cache and the
// inspector at work; every sample's answer is shown, in sample order. GUI thread; the calls
// run on the engine thread.

#include "core/engine/llmengine.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace crucible {

class LlmEngineHost;

class PlaygroundPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit PlaygroundPanel(LlmEngineHost *host, QWidget *parent = nullptr);

    QString answerText() const;
    // The answers received so far, by sample index (an error's description for a failed one).
    QStringList sampleTexts() const { return m_texts; }
    QString progressText() const;
    QComboBox *providerBox() const { return m_provider; }
    void setPrompt(const QString &prompt);
    void setSamples(int samples);

signals:
    // The provider list arrived from the engine (the first time and after every reload).
    void providersLoaded();

public slots:
    void send();
    void cancel();

private:
    void onProviders(const QList<crucible::LlmProviderInfo> &providers, const QString &defaultId,
                     const QStringList &problems);
    void onDelta(quint64 ticket, const QString &delta);
    void onFinished(quint64 ticket, int sample, bool ok, const QString &text,
                    const QString &summary);
    void updateProgress();
    void renderSamples();

    LlmEngineHost *m_host;
    QComboBox *m_provider = nullptr;
    QLineEdit *m_system = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QSpinBox *m_samples = nullptr;
    QCheckBox *m_useCache = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QPlainTextEdit *m_answer = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_problems = nullptr;
    quint64 m_ticket = 0;
    int m_expected = 0;
    int m_done = 0;
    int m_failed = 0;
    QString m_lastSummary;
    // With more than one sample the answer view lists them all; it is redrawn at most every
    // 50 ms while they stream in.
    QStringList m_texts;
    QStringList m_summaries;
    QList<bool> m_finished;
    QTimer *m_render = nullptr;
};

} // namespace crucible
