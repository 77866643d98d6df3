#pragma once
// RequestInspectorPanel: every LLM call in the workspace ledger — status, tokens, cost, latency,
// retries — with filters, the pretty-printed request and response of the selected call, usage
// totals and JSONL export. GUI thread; reads through the borrowed workspace, exports on the
// thread pool with a connection of its own.

#include "core/engine/llmengine.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTabWidget;
class QTimer;
class QPushButton;

namespace crucible {

class LlmCallTableModel;
class Workspace;
struct LlmCall;

class RequestInspectorPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit RequestInspectorPanel(QWidget *parent = nullptr);
    ~RequestInspectorPanel() override;

    void setWorkspace(Workspace *ws);
    LlmCallTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString totalsText() const;
    QString detailText() const; // the visible detail tab, for tests

    // Exports the calls matching the current filter to `path` as JSONL (asynchronously);
    // exportFinished follows.
    void exportTo(const QString &path);

public slots:
    // The configured providers (LlmEngine::providersChanged): calls show the provider's name.
    void setProviders(const QList<crucible::LlmProviderInfo> &providers);
    // A call was recorded somewhere: refreshes soon (coalesced, at most 4 times a second).
    void noteCallRecorded();
    void refreshNow();

signals:
    void exportFinished(const QString &path, qint64 rows, const QString &error);

private:
    void applyFilter();
    void showSelected();
    void updateTotals();
    void chooseExportFile();

    Workspace *m_ws = nullptr;
    LlmCallTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_provider = nullptr;
    QComboBox *m_status = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_totals = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_request = nullptr;
    QPlainTextEdit *m_response = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QPushButton *m_export = nullptr;
    QTimer *m_refreshTimer = nullptr;
    struct ExportResult
    {
        qint64 rows = 0;
        QString error;
    };
    QFutureWatcher<ExportResult> m_exportWatcher;
    QString m_exportPath;
};

} // namespace crucible
