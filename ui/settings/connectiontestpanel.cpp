#include "ui/settings/connectiontestpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace crucible {

namespace {

using Verdict = ConnectionTestResult::Verdict;

const QString kGreen = QStringLiteral("#1b7f3b");
const QString kRed = QStringLiteral("#c62828");
const QString kOrange = QStringLiteral("#b26a00");
const QString kGrey = QStringLiteral("#666666");

// What to try next, for verdicts whose message may not say it.
QString hintFor(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Configuration:
        return ConnectionTestPanel::tr("Fix the fields marked above, then test again.");
    case Verdict::Dns:
        return ConnectionTestPanel::tr("Check the host name in the base URL and your network or "
                                       "proxy.");
    case Verdict::Refused:
        return ConnectionTestPanel::tr("Nothing listens at that address: start the server or "
                                       "check the port.");
    case Verdict::Tls:
        return ConnectionTestPanel::tr("Check the scheme (http:// vs https://) and the server's "
                                       "certificate.");
    case Verdict::Auth:
        return ConnectionTestPanel::tr("Check the API key (and that it has access to this "
                                       "API).");
    case Verdict::NotFound:
        return ConnectionTestPanel::tr("Check the base URL: most servers expect it to end in "
                                       "/v1.");
    case Verdict::Timeout:
        return ConnectionTestPanel::tr("The server did not answer in time: is it busy loading a "
                                       "model, or behind a firewall?");
    default:
        return {};
    }
}

QString colourFor(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Ok:
        return kGreen;
    case Verdict::Timeout:
        return kOrange;
    case Verdict::Cancelled:
        return kGrey;
    default:
        return kRed;
    }
}

QString glyphFor(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Ok:
        return QStringLiteral("\u2714"); // heavy check mark
    case Verdict::Timeout:
        return QStringLiteral("\u26A0"); // warning sign
    case Verdict::Cancelled:
        return QStringLiteral("\u2013");
    default:
        return QStringLiteral("\u2716"); // heavy multiplication x
    }
}

const QString kSpinnerFrames[] = {QStringLiteral("\u25D0"), QStringLiteral("\u25D3"),
                                  QStringLiteral("\u25D1"), QStringLiteral("\u25D2")};

} // namespace

ConnectionTestPanel::ConnectionTestPanel(QWidget *parent)
    : QWidget(parent)
{
    m_testButton = new QPushButton(tr("Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testConnectionButton"));
    m_testButton->setToolTip(tr("Ask the server for its model list with these settings"));
    m_cancelButton = new QPushButton(tr("Cancel test"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelTestButton"));
    m_cancelButton->hide();

    m_icon = new QLabel(this);
    m_icon->setObjectName(QStringLiteral("testVerdictIcon"));
    QFont iconFont = m_icon->font();
    iconFont.setPointSizeF(iconFont.pointSizeF() * 1.6);
    m_icon->setFont(iconFont);
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setMinimumWidth(m_icon->fontMetrics().horizontalAdvance(QStringLiteral("\u2716")) + 4);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("testVerdictTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("testMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("testDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_spinner = new QTimer(this);
    m_spinner->setInterval(150);
    connect(m_spinner, &QTimer::timeout, this, [this] {
        m_spinnerFrame = (m_spinnerFrame + 1) % 4;
        m_icon->setText(kSpinnerFrames[m_spinnerFrame]);
    });

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_testButton);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch(1);

    auto *text = new QVBoxLayout;
    text->setContentsMargins(0, 0, 0, 0);
    text->setSpacing(2);
    text->addWidget(m_title);
    text->addWidget(m_message);
    text->addWidget(m_details);
    auto *verdict = new QHBoxLayout;
    verdict->setContentsMargins(0, 0, 0, 0);
    verdict->setSpacing(8);
    verdict->addWidget(m_icon, 0, Qt::AlignTop);
    verdict->addLayout(text, 1);

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(6);
    column->addLayout(buttons);
    column->addLayout(verdict);
    column->addStretch(1);

    connect(m_testButton, &QPushButton::clicked, this, &ConnectionTestPanel::testRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &ConnectionTestPanel::cancel);
    clear();
}

ConnectionTestPanel::~ConnectionTestPanel()
{
    // The coroutine outlives the panel until the request ends; make that immediate.
    if (m_cancel)
        m_cancel->cancel();
}

QString ConnectionTestPanel::verdictTitle(const ConnectionTestResult &result)
{
    switch (result.verdict) {
    case Verdict::Ok:
        return tr("Connected");
    case Verdict::Configuration:
        return tr("Settings incomplete");
    case Verdict::Dns:
        return tr("Host name not found (DNS)");
    case Verdict::Refused:
        return tr("Connection refused");
    case Verdict::Tls:
        return tr("TLS / certificate error");
    case Verdict::Auth:
        return tr("Authentication failed (HTTP %1)")
            .arg(result.httpStatus ? result.httpStatus : 401);
    case Verdict::NotFound:
        return tr("Not found (HTTP 404): wrong URL or path");
    case Verdict::Timeout:
        return tr("Timed out");
    case Verdict::Http:
        return tr("Server error (HTTP %1)").arg(result.httpStatus);
    case Verdict::Connection:
        return tr("Connection dropped");
    case Verdict::Protocol:
        return tr("Unexpected answer (not an OpenAI/Anthropic API?)");
    case Verdict::Cancelled:
        return tr("Test cancelled");
    }
    return tr("Unknown result");
}

void ConnectionTestPanel::start(const ProviderConfig &config, const QString &apiKey)
{
    if (m_cancel)
        m_cancel->cancel();
    m_cancel.emplace();
    m_result.reset();
    const quint64 generation = ++m_generation;
    const NormalizedUrl url = resolveUrl(config, Endpoint::Models);
    showRunning(url.ok() ? url.url.toString(QUrl::RemoveUserInfo) : QString());
    auto task = run(config, apiKey, generation);
    Q_UNUSED(task); // runs on; the continuation checks that the panel still exists
}

QCoro::Task<> ConnectionTestPanel::run(ProviderConfig config, QString apiKey, quint64 generation)
{
    const QPointer<ConnectionTestPanel> self(this);
    const CancelToken token = m_cancel->token();
    ConnectionTestResult result;
    try {
        ConnectionTestResult tested = co_await ConnectionTester::test(
            std::move(config), std::move(apiKey), ConnectionTester::DefaultTimeoutMs, token);
        result = std::move(tested);
    } catch (const std::exception &e) {
        result.verdict = Verdict::Protocol;
        result.message = tr("The test stopped with an internal error: %1. Please report it.")
                             .arg(QString::fromUtf8(e.what()));
    }
    if (!self || generation != m_generation)
        co_return; // the panel is gone, or a newer test replaced this one
    if (token.isCancelled() && result.verdict != Verdict::Ok) {
        result.verdict = Verdict::Cancelled;
        result.message = tr("The test was cancelled before the server answered.");
    }
    m_cancel.reset();
    showResult(result);
    m_result = result;
    emit finished(result);
}

void ConnectionTestPanel::cancel()
{
    if (!m_running || !m_cancel)
        return;
    m_cancel->cancel();
    m_cancelButton->setEnabled(false);
    m_title->setText(tr("Cancelling…"));
}

void ConnectionTestPanel::clear()
{
    if (m_cancel)
        m_cancel->cancel();
    m_cancel.reset();
    ++m_generation; // a test still finishing must not show its verdict
    m_result.reset();
    setBusy(false);
    m_icon->clear();
    m_title->clear();
    m_message->setText(tr("Checks the base URL, the key and the server in one request."));
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    m_details->clear();
    m_details->hide();
}

void ConnectionTestPanel::setBusy(bool busy)
{
    m_running = busy;
    m_testButton->setEnabled(!busy);
    m_testButton->setText(busy ? tr("Testing…") : tr("Test connection"));
    m_cancelButton->setVisible(busy);
    m_cancelButton->setEnabled(busy);
    if (busy) {
        m_spinner->start();
    } else {
        m_spinner->stop();
    }
}

void ConnectionTestPanel::showRunning(const QString &url)
{
    setBusy(true);
    m_spinnerFrame = 0;
    m_icon->setText(kSpinnerFrames[0]);
    m_icon->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    m_title->setText(tr("Testing…"));
    m_title->setStyleSheet(QString());
    m_message->setText(url.isEmpty() ? tr("Checking the settings…")
                                     : tr("Asking %1 for its models…").arg(url));
    m_message->setStyleSheet(QString());
    m_details->clear();
    m_details->hide();
}

void ConnectionTestPanel::showResult(const ConnectionTestResult &result)
{
    setBusy(false);
    // Connected, but the default model is not on the server: a warning, not a failure.
    const bool warn = result.ok() && !result.modelWarning.isEmpty();
    const QString colour = warn ? kOrange : colourFor(result.verdict);
    m_icon->setText(warn ? QStringLiteral("\u26A0") : glyphFor(result.verdict));
    m_icon->setStyleSheet(QStringLiteral("color: %1;").arg(colour));
    m_title->setText(warn ? tr("Connected, but the model is not listed") : verdictTitle(result));
    m_title->setStyleSheet(QStringLiteral("color: %1;").arg(colour));

    QString message = result.message;
    const QString hint = hintFor(result.verdict);
    if (!hint.isEmpty())
        message += u'\n' + hint;
    m_message->setText(message);
    m_message->setStyleSheet(QString());

    QStringList details;
    if (result.verdict != Verdict::Configuration && result.verdict != Verdict::Cancelled)
        details << tr("Latency: %1 ms").arg(result.latencyMs);
    if (result.httpStatus > 0)
        details << tr("HTTP %1").arg(result.httpStatus);
    if (result.ok() && !result.models.isEmpty())
        details << (result.models.size() == 1 ? tr("1 model")
                                              : tr("%1 models").arg(result.models.size()));
    QString text = details.join(QStringLiteral("  ·  "));
    if (result.url.isValid())
        text += u'\n' + tr("URL: %1").arg(result.url.toString(QUrl::RemoveUserInfo));
    if (!result.error.requestId.isEmpty())
        text += u'\n' + tr("Request id: %1").arg(result.error.requestId);
    m_details->setText(text.trimmed());
    m_details->setVisible(!m_details->text().isEmpty());
}

} // namespace crucible
