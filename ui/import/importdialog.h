#pragma once
// File → Import…: pick a JSONL or CSV file, read a preview of its first records, check and edit
// the field mapping the CLI uses (source column → problem field), see every record that cannot
// be imported (file:line:column: reason) before importing, and import all or nothing (or skip
// the invalid records), optionally into a new dataset. Reading, checking and importing run on
// the thread pool through their own workspace connection; opened with open(), never exec().
// GUI thread.

#include "core/store/problemimporter.h"

#include <QDialog>

#include <map>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace crucible {

class ImportPreviewModel;

class ImportDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ImportDialog(const QString &workspacePath, QWidget *parent = nullptr);
    // Waits for a preview, check or import still running on the thread pool: none outlives the
    // dialog (an import finishes or rolls back as a whole either way).
    ~ImportDialog() override;

    // Reads the preview (previewReady follows), then checks every record (checkFinished).
    void setFile(const QString &path);
    QString file() const;
    // Checks every record as the import would, writing nothing; checkFinished follows.
    void check();
    // Imports; importFinished follows. Does nothing while another step runs.
    void startImport();

    // The mapping the combos show; nullopt while it is the automatic one (the CLI's).
    std::optional<ImportMapping> mapping() const;
    void setColumnField(const QString &column, std::optional<ImportField> field);
    void resetMapping();

    ImportPreviewModel *previewModel() const { return m_model; }
    QComboBox *fieldCombo(const QString &column) const;
    QStringList issues() const; // what the issue list shows, one line each
    QLineEdit *datasetNameEdit() const { return m_datasetName; }
    QCheckBox *datasetBox() const { return m_intoDataset; }
    QCheckBox *skipInvalidBox() const { return m_skipInvalid; }
    QLineEdit *domainEdit() const { return m_domain; }
    QPushButton *importButton() const { return m_import; }
    QString statusText() const;
    bool isBusy() const { return m_busy; }
    const ImportResult &lastResult() const { return m_lastResult; }

signals:
    void previewReady();
    void checkFinished(qint64 valid, qint64 invalid);
    // ok: the records were written (imported of them; datasetId when one was made).
    void importFinished(bool ok, qint64 imported, const QString &datasetId);

private:
    struct Outcome;

    void browse();
    void onPreview(const ImportPreview &preview, const QString &error);
    void buildMappingRows();
    void onMappingEdited();
    ImportOptions options(bool dryRun) const;
    void run(bool dryRun);
    void onRunFinished(bool dryRun, const Outcome &o);
    void showIssues(const std::vector<ImportIssue> &issues);
    void setBusy(bool busy);
    void updateButtons();

    QString m_wsPath;
    QString m_file;
    ImportPreview m_preview;
    ImportResult m_lastResult;
    int m_generation = 0;
    bool m_busy = false;
    bool m_checkedOk = false;
    bool m_fillingCombos = false;
    bool m_importing = false;

    QLineEdit *m_path;
    QComboBox *m_format;
    QLabel *m_previewLabel;
    QTableView *m_table;
    ImportPreviewModel *m_model;
    QWidget *m_mappingBox;
    QFormLayout *m_mappingForm;
    QLabel *m_mappingLabel;
    std::map<QString, QComboBox *> m_combos;
    QLineEdit *m_domain;
    QCheckBox *m_intoDataset;
    QLineEdit *m_datasetName;
    QCheckBox *m_skipInvalid;
    QListWidget *m_issues;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTimer *m_recheck = nullptr; // re-checks after a mapping or domain change
    QPushButton *m_check;
    QPushButton *m_import;
};

} // namespace crucible
