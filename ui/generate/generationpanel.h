#pragma once
// GenerationPanel: the generation jobs of the workspace with live progress (accepted of
// target, rejects, cost, ETA), and the place jobs start from (the Generate dialog), are
// cancelled and resumed. GUI thread; the jobs run on the engine thread (GenerationEngine).

#include "core/engine/joboutcome.h"
#include "core/engine/llmengine.h"
#include "core/generate/generationspec.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace crucible {

class GenerateDialog;
class JobTableModel;
class LlmEngineHost;
class Workspace;

class GenerationPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit GenerationPanel(LlmEngineHost *host, QWidget *parent = nullptr);

    void setWorkspace(Workspace *ws);
    JobTableModel *model() const { return m_model; }
    QString statusText() const;
    QString detailsText() const;                        // the selected job's summary, as shown
    GenerateDialog *dialog() const { return m_dialog; } // the open dialog, if any
    // The engine's providers as last reported (for other dialogs that start jobs).
    const QList<LlmProviderInfo> &providers() const { return m_providers; }
    QString defaultProvider() const { return m_defaultProvider; }

public slots:
    // The problem selected in the Problems table: the base of variations and the like.
    void setCurrentProblem(const QString &id);
    void openDialog(crucible::GenerationKind kind);
    // `plan` is the matrix editor's array (GenerationJob::matrixPlan): the rows shown there are
    // the rows that become problems.
    void openMatrixDialog(const QString &pictText, int strength, quint64 seed,
                          const nlohmann::json &plan);
    // Starts `spec` right away (the dialog's OK; tests).
    void start(const crucible::GenerationSpec &spec, const nlohmann::json &matrixPlan = nullptr);
    void cancelSelected();
    void resumeSelected();
    // Asks (a non-blocking message box) whether the selected finished job's problems stay
    // (default) or go with it, then deletes it.
    void requestDeleteSelected();
    // Deletes the selected job unless it is running here; with `withProblems` its accepted
    // problems (or interactions) and its dataset go too. Returns false when nothing was
    // deleted (the status line says why).
    bool deleteSelected(bool withProblems);
    // Writes the selected job's dataset as Hugging Face JSONL plus its card (<file>.md), on a
    // worker thread with its own read-only connection; exportFinished reports the outcome.
    void exportSelectedDataset(const QString &path);

signals:
    // A job started (new or resumed): the window brings the jobs panel forward.
    void jobStarted(const QString &jobId);
    void problemsAdded(const QStringList &ids);
    // Problems deleted with a job.
    void problemsRemoved(const QStringList &ids);
    void interactionsAdded(const QStringList &ids);
    void jobFinished(const QString &jobId, int status, const QString &error);
    void exportFinished(const QString &path, qint64 problems, const QString &error);

private:
    void showDialog(GenerateDialog *dialog);
    void updateButtons();
    void showDetails();
    QString selectedJobId() const;
    QString selectedDatasetId() const;
    void onFinished(const crucible::JobOutcome &outcome);

    LlmEngineHost *m_host;
    Workspace *m_ws = nullptr;
    PromptTemplates m_templates;
    PriceTable m_prices;
    QList<LlmProviderInfo> m_providers;
    QString m_defaultProvider;
    QString m_currentProblem;
    JobTableModel *m_model;
    QTableView *m_table = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_delete = nullptr;
    QTextBrowser *m_details = nullptr;
    QLabel *m_status = nullptr;
    GenerateDialog *m_dialog = nullptr;
};

} // namespace crucible
