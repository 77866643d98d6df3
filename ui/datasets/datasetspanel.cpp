#include "ui/datasets/datasetspanel.h"

#include "core/store/datasetexporter.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemexporter.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/datasets/renamedatasetcommand.h"
#include "ui/models/datasetlistmodel.h"
#include "ui/models/datasetmembermodel.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPromise>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextBrowser>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <climits>
#include <utility>

namespace crucible {

struct DatasetsPanel::ListResult
{
    std::vector<DatasetSummary> summaries;
    QString error;
};

struct DatasetsPanel::CardResult
{
    QString markdown;
    QString error;
};

namespace {

struct TaskOutcome
{
    qint64 count = 0;
    QString error;
};

QString visibleFolder()
{
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!docs.isEmpty() && QFileInfo(docs).isDir())
        return docs;
    return QDir::homePath();
}

QString safeFileName(QString name)
{
    static const QString kBad = QStringLiteral("/\\:*?\"<>|");
    for (QChar &c : name)
        if (kBad.contains(c) || c.unicode() < 0x20)
            c = u'_';
    name = name.simplified();
    while (name.startsWith(u'.'))
        name.remove(0, 1);
    return name.isEmpty() ? QStringLiteral("dataset") : name;
}

} // namespace

DatasetsPanel::DatasetsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new DatasetListModel(this))
    , m_members(new DatasetMemberModel(this))
    , m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("DatasetsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *bar = new QHBoxLayout;
    m_rename = new QPushButton(tr("&Rename"), this);
    m_rename->setObjectName(QStringLiteral("renameDataset"));
    m_rename->setToolTip(tr("Rename the dataset (F2); Ctrl+Z undoes"));
    m_delete = new QPushButton(tr("&Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteDataset"));
    m_delete->setToolTip(tr("Delete the dataset; you choose whether its problems stay (Del)"));
    m_export = new QPushButton(tr("E&xport…"), this);
    m_export->setObjectName(QStringLiteral("exportDataset"));
    m_export->setToolTip(tr("Hugging Face JSONL with the dataset card next to it, or CSV"));
    m_onlyAccepted = new QCheckBox(tr("Only &accepted problems"), this);
    m_onlyAccepted->setObjectName(QStringLiteral("onlyAccepted"));
    m_onlyAccepted->setToolTip(
        tr("Export only the members a reviewer accepted (review them in the Problems panel)"));
    bar->addWidget(m_rename);
    bar->addWidget(m_delete);
    bar->addWidget(m_export);
    bar->addWidget(m_onlyAccepted);
    bar->addStretch();
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("datasetsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::SelectedClicked);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(DatasetListModel::NameColumn,
                                                      QHeaderView::Stretch);
    for (int column :
         {DatasetListModel::SizeColumn, DatasetListModel::MixColumn, DatasetListModel::OriginColumn,
          DatasetListModel::CostColumn, DatasetListModel::CreatedColumn})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);

    m_empty = new QLabel(tr("No datasets yet. Generate → Dataset… (Ctrl+G) makes one, and "
                            "File → Import… (Ctrl+I) can collect imported problems in one."),
                         this);
    m_empty->setObjectName(QStringLiteral("datasetsEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    auto *listStack = new QStackedWidget(this);
    listStack->addWidget(m_table);
    listStack->addWidget(m_empty);

    m_memberTable = new QTableView(this);
    m_memberTable->setObjectName(QStringLiteral("membersTable"));
    m_memberTable->setModel(m_members);
    m_memberTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_memberTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_memberTable->verticalHeader()->hide();
    m_memberTable->horizontalHeader()->setSectionResizeMode(DatasetMemberModel::StatementColumn,
                                                            QHeaderView::Stretch);
    for (int column : {DatasetMemberModel::PositionColumn, DatasetMemberModel::IdColumn,
                       DatasetMemberModel::ComplexityColumn, DatasetMemberModel::ReviewColumn})
        m_memberTable->horizontalHeader()->setSectionResizeMode(column,
                                                                QHeaderView::ResizeToContents);
    m_memberTable->setWordWrap(false);
    m_memberTable->setToolTip(tr("Double-click a member to show it in the Problems panel"));
    m_card = new QTextBrowser(this);
    m_card->setObjectName(QStringLiteral("datasetCard"));
    m_card->setOpenExternalLinks(true);
    m_card->setPlaceholderText(tr("Select a dataset to read its card."));
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_memberTable, tr("&Members"));
    m_tabs->addTab(m_card, tr("Dataset &Card"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("datasetsSplitter"));
    split->addWidget(listStack);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("datasetsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("datasetsProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    layout->addLayout(statusRow);

    const auto panelAction = [this](const QKeySequence &key, auto slot) {
        auto *a = new QAction(this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    panelAction(QKeySequence(Qt::Key_F2), [this] { renameCurrent(); });
    panelAction(QKeySequence::Delete, [this] { deleteCurrent(); });
    panelAction(QKeySequence::Undo, [this] { m_undo->undo(); });
    panelAction(QKeySequence::Redo, [this] { m_undo->redo(); });

    connect(m_rename, &QPushButton::clicked, this, &DatasetsPanel::renameCurrent);
    connect(m_delete, &QPushButton::clicked, this, &DatasetsPanel::deleteCurrent);
    connect(m_export, &QPushButton::clicked, this, &DatasetsPanel::exportCurrent);
    connect(m_model, &DatasetListModel::renameRequested, this, &DatasetsPanel::onRenameRequested);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this, listStack] {
        listStack->setCurrentWidget(m_model->rowCount() ? static_cast<QWidget *>(m_table)
                                                        : m_empty);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DatasetsPanel::onCurrentChanged);
    connect(m_memberTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QString id = m_members->problemIdAt(index.row());
        if (!id.isEmpty())
            emit problemActivated(id);
    });
    connect(m_members, &DatasetMemberModel::loadFailed, this, &DatasetsPanel::errorOccurred);
    listStack->setCurrentWidget(m_empty);
    updateButtons();
}

DatasetsPanel::~DatasetsPanel()
{
    m_undo->clear(); // the commands borrow the Workspace
    for (QFuture<void> &f : m_pending)
        f.waitForFinished();
}

void DatasetsPanel::setWorkspace(Workspace *ws)
{
    m_undo->clear();
    m_ws = ws;
    m_wsPath = ws ? ws->path() : QString();
    m_members->setWorkspace(ws);
    m_members->setDataset({});
    m_card->clear();
    m_model->setSummaries({});
    reload();
}

void DatasetsPanel::reload()
{
    const int generation = ++m_listGeneration;
    if (m_wsPath.isEmpty()) {
        m_model->setSummaries({});
        updateButtons();
        emit reloaded();
        return;
    }
    if (m_selectAfterReload.isEmpty())
        m_selectAfterReload = currentDatasetId();
    auto *watcher = new QFutureWatcher<ListResult>(this);
    connect(watcher, &QFutureWatcher<ListResult>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_listGeneration)
            return; // a newer reload is under way
        onListLoaded();
        const ListResult r = watcher->result();
        if (!r.error.isEmpty()) {
            setStatus(r.error);
            emit errorOccurred(r.error);
        }
        m_model->setSummaries(r.summaries);
        const QString select = std::exchange(m_selectAfterReload, QString());
        const int row = m_model->rowOf(select);
        if (row >= 0)
            m_table->selectRow(row);
        else if (m_model->rowCount() > 0)
            m_table->selectRow(0);
        else
            onCurrentChanged();
        updateButtons();
        emit reloaded();
    });
    watcher->setFuture(track(QtConcurrent::run(workspacePool(), [path = m_wsPath] {
        ListResult r;
        try {
            auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            r.summaries = DatasetRepository(*ws).summaries();
        } catch (const std::exception &e) {
            r.error = tr("Cannot list the datasets of %1: %2")
                          .arg(QDir::toNativeSeparators(path), QString::fromUtf8(e.what()));
        }
        return r;
    })));
}

void DatasetsPanel::onListLoaded()
{
    // A reload replaces the rows: the current row's members and card are read again.
    m_members->setDataset({});
}

QString DatasetsPanel::currentDatasetId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(DatasetListModel::IdRole).toString() : QString();
}

void DatasetsPanel::selectDataset(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_table->selectRow(row);
    else
        m_selectAfterReload = id; // after the reload under way
}

void DatasetsPanel::onCurrentChanged()
{
    const QString id = currentDatasetId();
    if (id != m_members->datasetId() || id.isEmpty())
        m_members->setDataset(id);
    loadCard(id);
    updateButtons();
    if (const DatasetSummary *s = m_model->summaryAt(m_table->currentIndex().row())) {
        const auto accepted = m_model
                                  ->data(m_model->index(m_table->currentIndex().row(), 0),
                                         DatasetListModel::AcceptedRole)
                                  .toLongLong();
        setStatus(tr("%1: %2 problems, %3 accepted · %4 · cost %5")
                      .arg(s->dataset.name)
                      .arg(s->size)
                      .arg(accepted)
                      .arg(DatasetListModel::originText(*s), DatasetListModel::costText(*s)));
    }
}

void DatasetsPanel::loadCard(const QString &id)
{
    const int generation = ++m_cardGeneration;
    if (id.isEmpty() || m_wsPath.isEmpty()) {
        m_card->clear();
        return;
    }
    auto *watcher = new QFutureWatcher<CardResult>(this);
    connect(watcher, &QFutureWatcher<CardResult>::finished, this, [this, watcher, generation, id] {
        watcher->deleteLater();
        if (generation != m_cardGeneration)
            return;
        const CardResult r = watcher->result();
        if (!r.error.isEmpty())
            m_card->setPlainText(r.error);
        else
            m_card->setMarkdown(r.markdown);
        emit cardShown(id);
    });
    watcher->setFuture(track(QtConcurrent::run(workspacePool(), [path = m_wsPath, id] {
        CardResult r;
        try {
            auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            QString md = DatasetExporter(*ws).card(id);
            // The YAML front matter is for the Hub, not for reading.
            if (md.startsWith(QStringLiteral("---\n"))) {
                const qsizetype end = md.indexOf(QStringLiteral("\n---\n"), 4);
                if (end > 0)
                    md.remove(0, end + 5);
            }
            r.markdown = md;
        } catch (const std::exception &e) {
            r.error =
                tr("Cannot build the card of dataset %1: %2").arg(id, QString::fromUtf8(e.what()));
        }
        return r;
    })));
}

void DatasetsPanel::renameCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    m_table->setFocus();
    m_table->edit(m_model->index(current.row(), DatasetListModel::NameColumn));
}

void DatasetsPanel::onRenameRequested(const QString &id, const QString &oldName,
                                      const QString &newName)
{
    if (!m_ws || m_ws->isReadOnly()) {
        setStatus(tr("The workspace is open read-only; the dataset cannot be renamed."));
        return;
    }
    auto *command = new RenameDatasetCommand(*m_ws, m_model, id, oldName, newName);
    m_undo->push(command); // runs redo()
    if (!command->error().isEmpty()) {
        setStatus(command->error());
        emit errorOccurred(command->error());
        return;
    }
    setStatus(tr("Renamed to \"%1\" (Ctrl+Z undoes)").arg(newName));
    loadCard(id);
}

void DatasetsPanel::deleteCurrent()
{
    const DatasetSummary *s = m_model->summaryAt(m_table->currentIndex().row());
    if (!s || m_busy)
        return;
    const QString id = s->dataset.id;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Delete Dataset"),
        tr("Delete the dataset \"%1\" (%2 problems)?").arg(s->dataset.name).arg(s->size),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteDatasetBox"));
    box->setInformativeText(tr("Its problems can stay in the workspace (they are still listed "
                               "in the Problems panel) or be deleted with it. Problems that "
                               "another dataset also holds are always kept."));
    QPushButton *keep =
        box->addButton(tr("Delete Dataset, &Keep Problems"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepProblems"));
    QPushButton *all =
        box->addButton(tr("Delete Dataset &and Its Problems"), QMessageBox::DestructiveRole);
    all->setObjectName(QStringLiteral("deleteProblems"));
    box->setDefaultButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, id, keep, all](QAbstractButton *b) {
        if (b == keep)
            deleteDataset(id, false);
        else if (b == all)
            deleteDataset(id, true);
    });
    box->open(); // no nested event loop
}

void DatasetsPanel::deleteDataset(const QString &id, bool withMembers)
{
    if (m_wsPath.isEmpty() || m_busy)
        return;
    m_busy = true;
    updateButtons();
    setStatus(tr("Deleting dataset %1…").arg(id));
    auto *watcher = new QFutureWatcher<DatasetRemoval>(this);
    auto error = std::make_shared<QString>();
    connect(
        watcher, &QFutureWatcher<DatasetRemoval>::finished, this,
        [this, watcher, id, withMembers, error] {
            watcher->deleteLater();
            m_busy = false;
            const DatasetRemoval r = watcher->result();
            if (error->isEmpty() && !r.removed)
                *error = tr("Dataset %1 no longer exists").arg(id);
            if (!error->isEmpty()) {
                setStatus(*error);
                emit errorOccurred(*error);
            } else if (withMembers) {
                setStatus(
                    tr("Deleted dataset %1 and %2 problems%3")
                        .arg(id)
                        .arg(r.problemsDeleted)
                        .arg(r.problemsKept
                                 ? tr(" (kept %1 that another dataset holds)").arg(r.problemsKept)
                                 : QString()));
            } else {
                setStatus(tr("Deleted dataset %1; its problems stay in the workspace").arg(id));
            }
            m_undo->clear(); // a rename of a deleted dataset cannot be undone
            reload();
            if (withMembers && r.problemsDeleted > 0)
                emit problemsChanged();
            emit deleteFinished(id, *error);
        });
    watcher->setFuture(
        track(QtConcurrent::run(workspacePool(), [path = m_wsPath, id, withMembers, error] {
            try {
                auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
                return DatasetRepository(*ws).remove(id, withMembers);
            } catch (const std::exception &e) {
                *error = tr("Cannot delete dataset %1: %2").arg(id, QString::fromUtf8(e.what()));
            }
            return DatasetRemoval{};
        })));
}

QString DatasetsPanel::suggestedExportPath(const QString &id, DatasetExportFormat format) const
{
    const int row = m_model->rowOf(id);
    const QString name = row >= 0 ? m_model->summaryAt(row)->dataset.name : id;
    return QDir(visibleFolder())
        .filePath(safeFileName(name) + (format == DatasetExportFormat::Csv
                                            ? QStringLiteral(".csv")
                                            : QStringLiteral(".jsonl")));
}

void DatasetsPanel::exportCurrent()
{
    const QString id = currentDatasetId();
    if (id.isEmpty() || m_busy)
        return;
    const QString hf = tr("Hugging Face JSONL + dataset card (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    auto *dialog = new QFileDialog(window(), tr("Export Dataset"),
                                   suggestedExportPath(id, DatasetExportFormat::HfJsonl));
    dialog->setObjectName(QStringLiteral("exportDatasetDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({hf, csv});
    dialog->setDefaultSuffix(QStringLiteral("jsonl"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog, csv](const QString &filter) {
        dialog->setDefaultSuffix(filter == csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    });
    connect(dialog, &QFileDialog::fileSelected, this, [this, dialog, id, csv](const QString &path) {
        const bool isCsv = dialog->selectedNameFilter() == csv ||
                           path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
        exportDataset(id, path, isCsv ? DatasetExportFormat::Csv : DatasetExportFormat::HfJsonl,
                      m_onlyAccepted->isChecked());
    });
    dialog->open(); // no nested event loop
}

void DatasetsPanel::exportDataset(const QString &id, const QString &path,
                                  DatasetExportFormat format, bool onlyAccepted)
{
    if (m_wsPath.isEmpty() || m_busy)
        return;
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_wsPath).absoluteFilePath()) {
        const QString error = tr("%1 is the workspace itself; choose another file")
                                  .arg(QDir::toNativeSeparators(path));
        setStatus(error);
        emit exportFinished(path, 0, error);
        return;
    }
    m_busy = true;
    updateButtons();
    m_progress->setRange(0, 0);
    m_progress->show();
    setStatus(tr("Exporting dataset %1 to %2…").arg(id, QDir::toNativeSeparators(path)));
    auto *watcher = new QFutureWatcher<TaskOutcome>(this);
    connect(watcher, &QFutureWatcher<TaskOutcome>::progressRangeChanged, m_progress,
            &QProgressBar::setRange);
    connect(watcher, &QFutureWatcher<TaskOutcome>::progressValueChanged, m_progress,
            &QProgressBar::setValue);
    connect(watcher, &QFutureWatcher<TaskOutcome>::finished, this,
            [this, watcher, path, format, onlyAccepted] {
                watcher->deleteLater();
                m_busy = false;
                m_progress->hide();
                updateButtons();
                const TaskOutcome o = watcher->result();
                if (!o.error.isEmpty()) {
                    setStatus(tr("Export failed: %1").arg(o.error));
                } else {
                    QString text = tr("Exported %1 %2problems to %3")
                                       .arg(o.count)
                                       .arg(onlyAccepted ? tr("accepted ") : QString())
                                       .arg(QDir::toNativeSeparators(path));
                    if (format == DatasetExportFormat::HfJsonl)
                        text += tr(" and the dataset card to %1")
                                    .arg(QDir::toNativeSeparators(
                                        DatasetExporter::defaultCardPath(path)));
                    if (onlyAccepted && o.count == 0)
                        text += tr(" — no member is accepted yet: review them in the Problems "
                                   "panel, or untick \"Only accepted problems\"");
                    setStatus(text);
                }
                emit exportFinished(path, o.count, o.error);
            });
    watcher->setFuture(track(
        QtConcurrent::run(workspacePool(), [path, id, format, onlyAccepted,
                                            wsPath = m_wsPath](QPromise<TaskOutcome> &promise) {
            TaskOutcome o;
            try {
                auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
                ProblemFilter filter;
                filter.datasetId = id;
                if (onlyAccepted)
                    filter.reviewStatus = ReviewStatus::Accepted;
                const qint64 total = ProblemRepository(*ws).count(filter);
                promise.setProgressRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
                const auto progress = [&promise](qint64 done) {
                    promise.setProgressValue(static_cast<int>(std::min<qint64>(done, INT_MAX)));
                };
                if (format == DatasetExportFormat::HfJsonl) {
                    DatasetExporter exporter(*ws);
                    DatasetJsonlOptions options;
                    options.filter = filter;
                    options.progress = [&progress](qint64 done, qint64) { progress(done); };
                    o.count = exporter.exportJsonl(path, options);
                    DatasetCardOptions card;
                    card.dataFile = QFileInfo(path).fileName();
                    card.onlyAccepted = onlyAccepted;
                    exporter.writeCard(id, DatasetExporter::defaultCardPath(path), card);
                } else {
                    ExportOptions options;
                    options.format = ProblemFileFormat::Csv;
                    options.filter = filter;
                    options.progress = progress;
                    o.count = ProblemExporter(*ws).exportToFile(path, options);
                }
            } catch (const std::exception &e) {
                o.error = QString::fromUtf8(e.what());
            }
            promise.addResult(o);
        })));
}

void DatasetsPanel::updateButtons()
{
    const bool selected = !currentDatasetId().isEmpty();
    const bool writable = m_ws && !m_ws->isReadOnly();
    m_rename->setEnabled(selected && writable && !m_busy);
    m_delete->setEnabled(selected && writable && !m_busy);
    m_export->setEnabled(selected && !m_busy);
}

void DatasetsPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString DatasetsPanel::statusText() const
{
    return m_status->text();
}

} // namespace crucible
