#pragma once
// ConnectionTestPanel: the "Test connection" button and its verdict (icon, colour, message,
// latency, URL). Runs ConnectionTester as a coroutine on the GUI thread's event loop, never
// blocking; a running test can be cancelled and is cancelled when the panel is destroyed.

#include "core/llm/cancellation.h"
#include "core/llm/providers/connectiontester.h"

#include <QCoro/QCoroTask>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTimer;

namespace crucible {

class ConnectionTestPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionTestPanel(QWidget *parent = nullptr);
    ~ConnectionTestPanel() override;

    // Starts a test (cancelling one still running). `apiKey` may be empty.
    void start(const ProviderConfig &config, const QString &apiKey);
    void cancel();
    void clear(); // cancels and forgets the last verdict
    bool isRunning() const { return m_running; }
    const std::optional<ConnectionTestResult> &lastResult() const { return m_result; }

    // Short title for a verdict, e.g. "Authentication failed (HTTP 401)".
    static QString verdictTitle(const ConnectionTestResult &result);

    QPushButton *testButton() const { return m_testButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }
    QLabel *iconLabel() const { return m_icon; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *detailsLabel() const { return m_details; }

signals:
    void testRequested(); // the button was pressed: the owner calls start() with its config
    void finished(const crucible::ConnectionTestResult &result);

private:
    QCoro::Task<> run(ProviderConfig config, QString apiKey, quint64 generation);
    void showRunning(const QString &url);
    void showResult(const ConnectionTestResult &result);
    void setBusy(bool busy);

    QPushButton *m_testButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_details = nullptr;
    QTimer *m_spinner = nullptr;
    int m_spinnerFrame = 0;
    bool m_running = false;
    quint64 m_generation = 0;
    std::optional<CancelSource> m_cancel;
    std::optional<ConnectionTestResult> m_result;
};

} // namespace crucible
