#include "ui/import/importdialog.h"

#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/models/importpreviewmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPromise>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace crucible {

namespace {
constexpr int kPreviewRows = 20;
constexpr int kMaxListedIssues = 500;
} // namespace

struct ImportDialog::Outcome
{
    ImportResult result;
    std::optional<ImportIssue> fatal; // the record that stopped an all-or-nothing import
    QString error;                    // the workspace failed
};

ImportDialog::~ImportDialog()
{
    for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>())
        watcher->waitForFinished();
}

ImportDialog::ImportDialog(const QString &workspacePath, QWidget *parent)
    : QDialog(parent)
    , m_wsPath(workspacePath)
{
    setObjectName(QStringLiteral("ImportDialog"));
    setWindowTitle(tr("Import Problems"));
    auto *layout = new QVBoxLayout(this);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("&File:"), this));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("importPath"));
    m_path->setPlaceholderText(tr("A JSONL (.jsonl, .ndjson, .json) or CSV (.csv, .tsv) file"));
    static_cast<QLabel *>(fileRow->itemAt(0)->widget())->setBuddy(m_path);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("importBrowse"));
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("importFormat"));
    m_format->addItem(tr("Format from the extension"), QString());
    m_format->addItem(tr("JSONL"), QStringLiteral("jsonl"));
    m_format->addItem(tr("CSV"), QStringLiteral("csv"));
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    fileRow->addWidget(m_format);
    layout->addLayout(fileRow);

    auto *split = new QSplitter(Qt::Vertical, this);
    auto *previewBox = new QGroupBox(tr("Preview"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    m_previewLabel = new QLabel(tr("Choose a file to see its first records."), previewBox);
    m_previewLabel->setObjectName(QStringLiteral("previewLabel"));
    m_previewLabel->setWordWrap(true);
    m_model = new ImportPreviewModel(this);
    m_table = new QTableView(previewBox);
    m_table->setObjectName(QStringLiteral("importPreview"));
    m_table->setModel(m_model);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setDefaultSectionSize(170);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    previewLayout->addWidget(m_previewLabel);
    previewLayout->addWidget(m_table, 1);
    split->addWidget(previewBox);

    auto *lower = new QSplitter(Qt::Horizontal, this);
    auto *mappingGroup = new QGroupBox(tr("Field mapping (source column → problem field)"), this);
    auto *mappingLayout = new QVBoxLayout(mappingGroup);
    m_mappingLabel = new QLabel(mappingGroup);
    m_mappingLabel->setObjectName(QStringLiteral("mappingLabel"));
    m_mappingLabel->setWordWrap(true);
    auto *reset = new QPushButton(tr("&Automatic Mapping"), mappingGroup);
    reset->setObjectName(QStringLiteral("resetMapping"));
    reset->setToolTip(tr("The mapping crucible-cli import uses: each field from the first of its "
                         "usual column names"));
    auto *scroll = new QScrollArea(mappingGroup);
    scroll->setWidgetResizable(true);
    m_mappingBox = new QWidget(scroll);
    m_mappingForm = new QFormLayout(m_mappingBox);
    scroll->setWidget(m_mappingBox);
    auto *mappingBottom = new QHBoxLayout;
    mappingBottom->addWidget(m_mappingLabel, 1);
    mappingBottom->addWidget(reset);
    mappingLayout->addWidget(scroll, 1);
    mappingLayout->addLayout(mappingBottom);
    lower->addWidget(mappingGroup);

    auto *issuesGroup = new QGroupBox(tr("Records that cannot be imported"), this);
    auto *issuesLayout = new QVBoxLayout(issuesGroup);
    m_issues = new QListWidget(issuesGroup);
    m_issues->setObjectName(QStringLiteral("importIssues"));
    m_issues->setWordWrap(true);
    issuesLayout->addWidget(m_issues);
    lower->addWidget(issuesGroup);
    lower->setStretchFactor(0, 1);
    lower->setStretchFactor(1, 1);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    auto *options = new QFormLayout;
    m_domain = new QLineEdit(this);
    m_domain->setObjectName(QStringLiteral("importDomain"));
    m_domain->setPlaceholderText(tr("for records that name no domain (optional)"));
    options->addRow(tr("&Domain:"), m_domain);
    auto *datasetRow = new QHBoxLayout;
    m_intoDataset = new QCheckBox(tr("Also collect them in a new &dataset named"), this);
    m_intoDataset->setObjectName(QStringLiteral("importIntoDataset"));
    m_datasetName = new QLineEdit(this);
    m_datasetName->setObjectName(QStringLiteral("importDatasetName"));
    m_datasetName->setEnabled(false);
    datasetRow->addWidget(m_intoDataset);
    datasetRow->addWidget(m_datasetName, 1);
    options->addRow(datasetRow);
    m_skipInvalid = new QCheckBox(tr("&Skip invalid records (import the rest and list the "
                                     "others); otherwise nothing is imported when one is invalid"),
                                  this);
    m_skipInvalid->setObjectName(QStringLiteral("importSkipInvalid"));
    options->addRow(m_skipInvalid);
    layout->addLayout(options);

    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    layout->addLayout(statusRow);

    auto *buttons = new QDialogButtonBox(this);
    m_check = buttons->addButton(tr("&Check"), QDialogButtonBox::ActionRole);
    m_check->setObjectName(QStringLiteral("importCheck"));
    m_check->setToolTip(tr("Read every record as the import would, without writing"));
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importRun"));
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    // Enter in the path field reads the file; it never starts an import.
    for (QPushButton *b : {m_check, m_import, close})
        b->setAutoDefault(false);
    layout->addWidget(buttons);

    auto *recheck = new QTimer(this);
    recheck->setSingleShot(true);
    recheck->setInterval(300);
    connect(recheck, &QTimer::timeout, this, &ImportDialog::check);
    connect(this, &ImportDialog::checkFinished, recheck, &QTimer::stop);

    connect(browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->text().trimmed() != m_file)
            setFile(m_path->text().trimmed());
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_file.isEmpty())
            setFile(m_file);
    });
    connect(reset, &QPushButton::clicked, this, &ImportDialog::resetMapping);
    connect(m_intoDataset, &QCheckBox::toggled, m_datasetName, &QWidget::setEnabled);
    connect(m_skipInvalid, &QCheckBox::toggled, this, &ImportDialog::updateButtons);
    connect(m_domain, &QLineEdit::editingFinished, recheck, qOverload<>(&QTimer::start));
    connect(m_check, &QPushButton::clicked, this, &ImportDialog::check);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(this, &ImportDialog::previewReady, this, [this, recheck] {
        if (!m_preview.columns.isEmpty())
            recheck->start();
    });
    m_recheck = recheck;

    resize(960, 640);
    updateButtons();
}

QString ImportDialog::file() const
{
    return m_file;
}

void ImportDialog::browse()
{
    QString dir = m_file.isEmpty() ? QString() : QFileInfo(m_file).absolutePath();
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto *dialog = new QFileDialog(this, tr("Import Problems"), dir,
                                   tr("Problems (*.jsonl *.ndjson *.json *.csv *.tsv);;"
                                      "JSON Lines (*.jsonl *.ndjson *.json);;"
                                      "CSV (*.csv *.tsv);;All files (*)"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &ImportDialog::setFile);
    dialog->open(); // no nested event loop
}

void ImportDialog::setFile(const QString &path)
{
    m_file = path;
    if (m_path->text() != path)
        m_path->setText(path);
    const int generation = ++m_generation;
    m_checkedOk = false;
    m_issues->clear();
    m_model->setPreview({});
    m_preview = {};
    buildMappingRows();
    if (path.isEmpty()) {
        m_status->clear();
        setBusy(false);
        return;
    }
    if (m_datasetName->text().isEmpty() || !m_intoDataset->isChecked())
        m_datasetName->setText(QFileInfo(path).completeBaseName());
    setBusy(true);
    m_status->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
    std::optional<ProblemFileFormat> format;
    if (const QString f = m_format->currentData().toString(); !f.isEmpty())
        format = problemFileFormatFromName(f);
    struct Read
    {
        ImportPreview preview;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Read r = watcher->result();
        onPreview(r.preview, r.error);
    });
    watcher->setFuture(QtConcurrent::run(workspacePool(), [path, format] {
        Read r;
        try {
            r.preview = ProblemImporter::previewFile(path, format, kPreviewRows);
        } catch (const ImportError &e) {
            r.error = e.issue().toString();
        } catch (const std::exception &e) {
            r.error = QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what()));
        }
        return r;
    }));
}

void ImportDialog::onPreview(const ImportPreview &preview, const QString &error)
{
    setBusy(false);
    m_preview = preview;
    m_model->setPreview(preview);
    buildMappingRows();
    if (!error.isEmpty()) {
        m_previewLabel->setText(tr("The file cannot be read."));
        showIssues({});
        m_issues->addItem(error);
        m_status->setText(tr("Cannot read the file: %1").arg(error));
        updateButtons();
        emit previewReady();
        return;
    }
    const QString name = QFileInfo(m_file).fileName();
    if (preview.rows.empty() && preview.issues.empty())
        m_previewLabel->setText(tr("%1 holds no records.").arg(name));
    else
        m_previewLabel->setText(
            tr("The first %1 records of %2 (%3)%4. Each column header says the problem field "
               "it becomes.")
                .arg(preview.rows.size())
                .arg(name,
                     preview.format == ProblemFileFormat::Csv ? QStringLiteral("CSV")
                                                              : QStringLiteral("JSONL"),
                     preview.more ? tr("; more follow") : QString()));
    showIssues(preview.issues);
    m_status->setText(preview.columns.isEmpty() ? tr("Nothing to import.")
                                                : tr("Checking every record…"));
    updateButtons();
    emit previewReady();
}

void ImportDialog::buildMappingRows()
{
    m_fillingCombos = true;
    while (m_mappingForm->rowCount() > 0)
        m_mappingForm->removeRow(0);
    m_combos.clear();
    for (const QString &column : m_preview.columns) {
        auto *combo = new QComboBox(m_mappingBox);
        combo->setObjectName(QStringLiteral("field_") + column);
        combo->addItem(ImportPreviewModel::fieldLabel(std::nullopt), QString());
        for (ImportField f : importFields())
            combo->addItem(ImportPreviewModel::fieldLabel(f), toString(f));
        const auto field = m_preview.mapping.fieldOf(column);
        combo->setCurrentIndex(combo->findData(field ? toString(*field) : QString()));
        connect(combo, &QComboBox::currentIndexChanged, this, &ImportDialog::onMappingEdited);
        auto *label = new QLabel(column, m_mappingBox);
        label->setToolTip(tr("Source column \"%1\"").arg(column));
        m_mappingForm->addRow(label, combo);
        m_combos[column] = combo;
    }
    m_fillingCombos = false;
    m_mappingLabel->setText(m_preview.columns.isEmpty() ? QString()
                                                        : tr("Automatic (as crucible-cli import)"));
    m_mappingLabel->setToolTip(tr("Change a field to choose your own mapping; columns left as "
                                  "metadata are kept under metadata.source_fields."));
}

std::optional<ImportMapping> ImportDialog::mapping() const
{
    ImportMapping m;
    for (const QString &column : m_preview.columns) {
        const auto it = m_combos.find(column);
        if (it == m_combos.end())
            continue;
        if (const auto f = importFieldFromString(it->second->currentData().toString()))
            m.columns.emplace_back(column, *f);
    }
    if (m == m_preview.mapping)
        return std::nullopt;
    return m;
}

void ImportDialog::setColumnField(const QString &column, std::optional<ImportField> field)
{
    const auto it = m_combos.find(column);
    if (it == m_combos.end())
        return;
    it->second->setCurrentIndex(it->second->findData(field ? toString(*field) : QString()));
}

QComboBox *ImportDialog::fieldCombo(const QString &column) const
{
    const auto it = m_combos.find(column);
    return it == m_combos.end() ? nullptr : it->second;
}

void ImportDialog::resetMapping()
{
    m_fillingCombos = true;
    for (const QString &column : m_preview.columns)
        setColumnField(column, m_preview.mapping.fieldOf(column));
    m_fillingCombos = false;
    onMappingEdited();
}

void ImportDialog::onMappingEdited()
{
    if (m_fillingCombos || m_importing)
        return;
    const std::optional<ImportMapping> m = mapping();
    m_model->setMapping(m ? *m : m_preview.mapping);
    m_mappingLabel->setText(
        m ? tr("Your own mapping: only these columns are read; several statement columns "
               "are joined as paragraphs.")
          : tr("Automatic (as crucible-cli import)"));
    m_checkedOk = false;
    ++m_generation; // results of a check with the old mapping no longer apply
    setBusy(false);
    m_status->setText(tr("Checking every record with the new mapping…"));
    m_recheck->start();
}

ImportOptions ImportDialog::options(bool dryRun) const
{
    ImportOptions o;
    if (const QString f = m_format->currentData().toString(); !f.isEmpty())
        o.format = problemFileFormatFromName(f);
    o.defaultDomain = m_domain->text().trimmed();
    o.mapping = mapping();
    o.dryRun = dryRun;
    // A check lists every invalid record; an import is all or nothing unless asked.
    o.skipInvalid = dryRun || m_skipInvalid->isChecked();
    if (!dryRun && m_intoDataset->isChecked())
        o.datasetName = m_datasetName->text().trimmed();
    return o;
}

void ImportDialog::check()
{
    if (m_preview.columns.isEmpty() || m_file.isEmpty())
        return;
    run(true);
}

void ImportDialog::startImport()
{
    if (m_busy || m_preview.columns.isEmpty())
        return;
    if (m_intoDataset->isChecked() && m_datasetName->text().trimmed().isEmpty()) {
        m_status->setText(tr("Type a name for the new dataset, or untick the dataset box."));
        m_datasetName->setFocus();
        return;
    }
    run(false);
}

void ImportDialog::run(bool dryRun)
{
    const int generation = ++m_generation;
    m_importing = !dryRun;
    setBusy(true);
    m_progress->setRange(0, 0);
    m_progress->show();
    m_status->setText(dryRun ? tr("Checking every record…")
                             : tr("Importing %1…").arg(QFileInfo(m_file).fileName()));
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::progressRangeChanged, m_progress,
            &QProgressBar::setRange);
    connect(watcher, &QFutureWatcher<Outcome>::progressValueChanged, m_progress,
            &QProgressBar::setValue);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation, dryRun] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        onRunFinished(dryRun, watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run(workspacePool(), [path = m_file, wsPath = m_wsPath,
                                            given = options(dryRun)](QPromise<Outcome> &promise) {
            Outcome o;
            ImportOptions effective = given;
            promise.setProgressRange(0, 1000);
            effective.progress = [&promise](qint64 read, qint64 total) {
                if (total > 0)
                    promise.setProgressValue(static_cast<int>(read * 1000 / total));
            };
            try {
                auto ws = Workspace::open(wsPath, Workspace::Mode::ReadWrite);
                o.result = ProblemImporter(*ws).importFile(path, effective);
            } catch (const ImportError &e) {
                o.fatal = e.issue();
            } catch (const std::exception &e) {
                o.error = QString::fromUtf8(e.what());
            }
            promise.addResult(o);
        }));
}

void ImportDialog::onRunFinished(bool dryRun, const Outcome &o)
{
    m_importing = false;
    setBusy(false);
    m_progress->hide();
    const QString file = QFileInfo(m_file).fileName();
    if (!o.error.isEmpty()) {
        m_checkedOk = false;
        m_status->setText(dryRun ? tr("Cannot check the records: %1").arg(o.error)
                                 : tr("Nothing was imported: %1").arg(o.error));
        updateButtons();
        if (dryRun)
            emit checkFinished(0, 0);
        else
            emit importFinished(false, 0, QString());
        return;
    }
    if (o.fatal) {
        m_checkedOk = false;
        showIssues({*o.fatal});
        m_status->setText(dryRun ? tr("The file cannot be read past %1.").arg(o.fatal->toString())
                                 : tr("Nothing was imported: %1 — fix that record, change the "
                                      "mapping, or tick \"Skip invalid records\".")
                                       .arg(o.fatal->toString()));
        updateButtons();
        if (dryRun)
            emit checkFinished(0, 1);
        else
            emit importFinished(false, 0, QString());
        return;
    }
    const ImportResult &r = o.result;
    const auto invalid = static_cast<qint64>(r.skipped.size());
    showIssues(r.skipped);
    if (dryRun) {
        m_checkedOk = invalid == 0 && r.imported > 0;
        if (r.imported == 0 && invalid == 0)
            m_status->setText(tr("%1 holds no records.").arg(file));
        else if (invalid == 0)
            m_status->setText(tr("All %1 records can be imported.").arg(r.imported));
        else
            m_status->setText(tr("%1 records can be imported; %2 cannot (listed above). Fix them, "
                                 "change the mapping, or tick \"Skip invalid records\".")
                                  .arg(r.imported)
                                  .arg(invalid));
        updateButtons();
        emit checkFinished(r.imported, invalid);
        return;
    }
    m_lastResult = r;
    QString text = tr("Imported %1 problems from %2").arg(r.imported).arg(file);
    if (!r.datasetId.isEmpty())
        text += tr(" into the new dataset \"%1\" (%2)")
                    .arg(m_datasetName->text().trimmed(), r.datasetId);
    if (invalid > 0)
        text += tr("; skipped %1 invalid records (listed above)").arg(invalid);
    m_status->setText(text + u'.');
    m_checkedOk = false; // importing again would clash with the ids just written
    updateButtons();
    emit importFinished(true, r.imported, r.datasetId);
}

void ImportDialog::showIssues(const std::vector<ImportIssue> &issues)
{
    m_issues->clear();
    const int shown = std::min<int>(kMaxListedIssues, static_cast<int>(issues.size()));
    for (int i = 0; i < shown; ++i) {
        const ImportIssue &issue = issues[static_cast<size_t>(i)];
        ImportIssue local = issue;
        local.file = QFileInfo(issue.file).fileName();
        auto *item = new QListWidgetItem(local.toString(), m_issues);
        item->setToolTip(issue.toString());
    }
    if (static_cast<int>(issues.size()) > shown)
        m_issues->addItem(tr("… and %1 more").arg(issues.size() - static_cast<size_t>(shown)));
}

QStringList ImportDialog::issues() const
{
    QStringList out;
    for (int i = 0; i < m_issues->count(); ++i)
        out << m_issues->item(i)->text();
    return out;
}

QString ImportDialog::statusText() const
{
    return m_status->text();
}

void ImportDialog::setBusy(bool busy)
{
    m_busy = busy;
    if (!busy)
        m_progress->hide();
    updateButtons();
}

void ImportDialog::updateButtons()
{
    const bool ready = !m_busy && !m_preview.columns.isEmpty();
    // Nothing about the import changes while it runs.
    for (QWidget *w :
         {static_cast<QWidget *>(m_mappingBox), static_cast<QWidget *>(m_path),
          static_cast<QWidget *>(m_format), static_cast<QWidget *>(m_domain),
          static_cast<QWidget *>(m_intoDataset), static_cast<QWidget *>(m_skipInvalid)})
        w->setEnabled(!m_importing);
    m_datasetName->setEnabled(!m_importing && m_intoDataset->isChecked());
    m_check->setEnabled(ready);
    m_import->setEnabled(ready && (m_checkedOk || m_skipInvalid->isChecked()));
    m_import->setToolTip(m_import->isEnabled() || !ready
                             ? QString()
                             : tr("Some records cannot be imported (see the list): fix them, "
                                  "change the mapping, or tick \"Skip invalid records\""));
}

} // namespace crucible
