#pragma once
// File → Export Training Data…: exports the evaluation data of the open workspace as DPO
// preference pairs (TRL or OpenAI), solutions JSONL, or the whole graph for Neo4j (Cypher script
// or neo4j-admin CSV folder), with the pair options. Counting and exporting run on the thread
// pool through their own read-only workspace connection; opened with open(), never exec().
// GUI thread.

#include <QDialog>
#include <QFuture>
#include <QList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace crucible {

enum class TrainingExportFormat { Dpo, DpoOpenAi, Solutions, Cypher, Neo4jCsv };

class TrainingExportDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit TrainingExportDialog(const QString &workspacePath, QWidget *parent = nullptr);
    // Waits for a count or an export still running: none outlives the dialog.
    ~TrainingExportDialog() override;

    void setFormat(TrainingExportFormat format);
    TrainingExportFormat format() const;
    void setDestination(const QString &path);
    QString destination() const;
    // Starts the export; exportFinished follows. Does nothing while busy or with nothing to
    // export.
    void startExport();

    QComboBox *formatCombo() const { return m_format; }
    QCheckBox *onlyAgreedBox() const { return m_onlyAgreed; }
    QCheckBox *onlyAcceptedBox() const { return m_onlyAccepted; }
    QDoubleSpinBox *minGapSpin() const { return m_minGap; }
    QPushButton *exportButton() const { return m_export; }
    QString summaryText() const;
    QString statusText() const;
    bool isBusy() const { return m_busy; }

    // "pairs.jsonl", "graph.cypher", "neo4j-import" ... next to the workspace.
    static QString defaultFileName(TrainingExportFormat format);

signals:
    // After every count (the summary and the Export button are up to date).
    void countsReady(qint64 available, qint64 matched);
    void exportFinished(const QString &path, qint64 written, const QString &error);

protected:
    // Grows the dialog when wrapped text (format help, counts, status) needs more height than
    // a top-level window's minimum size accounts for.
    bool event(QEvent *e) override;

private:
    struct Counts;
    struct Outcome;

    void buildUi();
    void onFormatChanged();
    void recount();
    void onCounts(int generation, const Counts &counts);
    void browse();
    void updateButtons();
    template <typename T> QFuture<T> track(QFuture<T> future)
    {
        m_pending.removeIf([](const QFuture<void> &f) { return f.isFinished(); });
        m_pending.append(QFuture<void>(future));
        return future;
    }

    QString m_wsPath;
    QComboBox *m_format = nullptr;
    QLabel *m_formatHelp = nullptr;
    QCheckBox *m_onlyAgreed = nullptr;
    QDoubleSpinBox *m_minGap = nullptr;
    QCheckBox *m_onlyAccepted = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_export = nullptr;
    int m_generation = 0;
    qint64 m_matched = -1; // -1 while counting
    bool m_busy = false;
    bool m_pathEdited = false;
    QList<QFuture<void>> m_pending;
};

} // namespace crucible
