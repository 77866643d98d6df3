#include "ui/problemspanel.h"

#include "core/store/datasetrepository.h"
#include "ui/backgroundrefresh.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/problems/curationcontext.h"
#include "ui/problems/curationstatescommand.h"
#include "ui/problems/datasetmemberscommand.h"
#include "ui/problems/deleteproblemscommand.h"
#include "ui/problems/editproblemcommand.h"
#include "ui/problems/problemfilterbar.h"
#include "ui/problems/reviewbar.h"
#include "ui/settings.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>

namespace crucible {

ProblemsPanel::ProblemsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ProblemTableModel(this))
    , m_filterBar(new ProblemFilterBar(this))
    , m_context(new CurationContext(this))
    , m_undo(new QUndoStack(this))
    , m_modifiedTimer(new QTimer(this))
{
    m_modifiedTimer->setSingleShot(true);
    m_modifiedTimer->setInterval(400);
    connect(m_modifiedTimer, &QTimer::timeout, this, &ProblemsPanel::workspaceModified);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_filterBar);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    m_tableStack = new QStackedWidget(m_splitter);
    m_table = new QTableView(m_tableStack);
    m_table->setObjectName(QStringLiteral("problemTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setCornerButtonEnabled(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    // Fixed row heights keep the view from measuring rows it has not fetched.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    auto *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ProblemTableModel::StatementColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(48);
    header->setSectionsClickable(true);
    header->setSortIndicatorShown(false);
    header->setToolTip(tr("Click a column to sort by it; a third click restores insertion order"));
    // Fit the short columns to their longest value so the statement gets the rest.
    const QFontMetrics fm = fontMetrics();
    const auto fit = [&fm](const QStringList &texts) {
        int width = 0;
        for (const QString &text : texts)
            width = std::max(width, fm.horizontalAdvance(text));
        return width + 30; // room for the sort indicator
    };
    header->resizeSection(ProblemTableModel::IdColumn,
                          fit({QStringLiteral("prb_0000000000000000")}));
    header->resizeSection(ProblemTableModel::DomainColumn, fit({QStringLiteral("manufacturing")}));
    header->resizeSection(ProblemTableModel::ComplexityColumn,
                          fit(complexityNames() + QStringList{tr("Complexity")}));
    header->resizeSection(ProblemTableModel::OriginColumn,
                          fit(originNames() + QStringList{tr("Origin")}));
    header->resizeSection(ProblemTableModel::CreatedColumn,
                          fit({QStringLiteral("2000-00-00 00:00")}));
    header->resizeSection(ProblemTableModel::ReviewColumn, fit(reviewStatusNames()) + 16);
    // The verdict reads best next to the id.
    header->moveSection(header->visualIndex(ProblemTableModel::ReviewColumn), 1);
    connect(header, &QHeaderView::sectionClicked, this, &ProblemsPanel::onHeaderClicked);
    m_tableStack->addWidget(m_table);

    auto *empty = new QWidget(m_tableStack);
    auto *emptyLayout = new QVBoxLayout(empty);
    m_emptyLabel = new QLabel(empty);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *clearButton = new QPushButton(tr("Clear filters"), empty);
    clearButton->setObjectName(QStringLiteral("clearFiltersButton"));
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addWidget(clearButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_tableStack->addWidget(empty);
    connect(clearButton, &QPushButton::clicked, this, &ProblemsPanel::clearFilters);

    m_detail = new ProblemDetailView(m_splitter);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({440, 400});

    connect(m_filterBar, &ProblemFilterBar::filterChanged, this, &ProblemsPanel::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current.row()); });
    connect(m_model, &ProblemTableModel::loadFailed, this, &ProblemsPanel::errorOccurred);
    connect(m_model, &ProblemTableModel::countFinished, this, &ProblemsPanel::onCountFinished);
    connect(m_model, &ProblemTableModel::countingChanged, this, [this](bool counting) {
        if (counting || m_model->isCounting())
            return;
        // The count failed (countFinished follows a successful one): show what is there.
        updateCountLabel();
        updateEmptyState();
    });
    connect(m_model, &ProblemTableModel::rowsLoaded, this, [this](int first, int last) {
        // The current row was selected while its page was read on the worker: show it now.
        const int row = m_table->currentIndex().row();
        if (row >= first && row <= last && !m_detail->isEditing() &&
            m_model->problemIdAt(row) != m_detail->problemId())
            onCurrentRowChanged(row);
    });
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_rowBeforeReset = m_table->currentIndex().row(); });
    connect(m_detail, &ProblemDetailView::problemLinkActivated, this,
            &ProblemsPanel::selectProblem);
    connect(m_detail, &ProblemDetailView::saveRequested, this,
            [this](const Problem &before, const Problem &after) {
                m_detail->endEdit();
                if (before != after)
                    push(new EditProblemCommand(m_context, before, after));
            });
    connect(m_detail, &ProblemDetailView::editFinished, this,
            [this] { m_table->setFocus(Qt::OtherFocusReason); });
    connect(m_detail->reviewBar(), &ReviewBar::verdictRequested, this, &ProblemsPanel::review);
    connect(m_detail->reviewBar(), &ReviewBar::noteRequested, this, [this](const QString &note) {
        if (m_detail->problemId().isEmpty())
            return;
        if (auto command = CurationStatesCommand::setNote(m_context, m_detail->problemId(), note))
            push(command.release());
    });
    connect(m_detail->reviewBar(), &ReviewBar::noteFinished, this,
            [this] { m_table->setFocus(Qt::OtherFocusReason); });
    connect(m_context, &CurationContext::problemsChanged, this,
            [this](const QStringList &, bool rowsChanged) { onProblemsChanged(rowsChanged); });
    connect(m_context, &CurationContext::errorOccurred, this, &ProblemsPanel::errorOccurred);
    connect(m_context, &CurationContext::busyChanged, this, [this](bool busy, const QString &what) {
        // One write at a time: curation and undo wait for a background write to end.
        m_undo->setActive(!busy);
        m_undoAction->setEnabled(!busy && m_undo->canUndo());
        m_redoAction->setEnabled(!busy && m_undo->canRedo());
        const bool writable = !busy && m_workspace && !m_workspace->isReadOnly();
        for (QAction *a : m_bulkActions)
            a->setEnabled(writable);
        m_detail->reviewBar()->setEnabled(writable);
        if (busy)
            m_filterBar->setCountText(tr("Saving: %1…").arg(what));
        else
            updateCountLabel();
    });
    connect(&m_choicesWatcher, &QFutureWatcher<Choices>::finished, this,
            &ProblemsPanel::onChoicesLoaded);
    m_choicesDelay = new QTimer(this);
    m_choicesDelay->setSingleShot(true);
    connect(m_choicesDelay, &QTimer::timeout, this, &ProblemsPanel::loadChoices);

    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &ProblemsPanel::showContextMenu);
    createActions();

    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WindowShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        searchBox()->setFocus(Qt::ShortcutFocusReason);
        searchBox()->selectAll();
    });
    // Esc in the filters and the table clears them; the edit form and the note editor have their
    // own Esc (cancel), which must not be ambiguous with this one.
    for (QWidget *w : {static_cast<QWidget *>(m_filterBar), static_cast<QWidget *>(m_table)}) {
        auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), w);
        escape->setContext(Qt::WidgetWithChildrenShortcut);
        connect(escape, &QShortcut::activated, this, &ProblemsPanel::onEscape);
    }
    setWorkspace(nullptr);
}

ProblemsPanel::~ProblemsPanel()
{
    m_choicesWatcher.waitForFinished();
}

QLineEdit *ProblemsPanel::searchBox() const
{
    return m_filterBar->searchBox();
}

void ProblemsPanel::createActions()
{
    m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction *a : {m_undoAction, m_redoAction}) {
        a->setShortcutContext(Qt::WindowShortcut);
        addAction(a);
    }

    // Review keys act where the reader is: the table and the detail view. Text fields there
    // (the edit form, the note) take their letters first, and the filter bar is not covered.
    const auto key = [this](const QString &text, const QList<QKeySequence> &keys,
                            auto slot) -> QAction * {
        auto *a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_table->addAction(a);
        m_detail->addAction(a);
        connect(a, &QAction::triggered, this, slot);
        m_reviewActions << a;
        return a;
    };
    auto *accept =
        key(tr("&Accept"), {QKeySequence(Qt::Key_A)}, [this] { review(ReviewStatus::Accepted); });
    auto *reject =
        key(tr("&Reject"), {QKeySequence(Qt::Key_R)}, [this] { review(ReviewStatus::Rejected); });
    auto *unreviewed = key(tr("Mark &Unreviewed"), {QKeySequence(Qt::Key_U)},
                           [this] { review(ReviewStatus::Unreviewed); });
    auto *note = key(tr("Review &Note…"), {QKeySequence(Qt::Key_N)}, [this] { beginNote(); });
    auto *edit =
        key(tr("&Edit…"),
            {QKeySequence(Qt::Key_E), QKeySequence(Qt::Key_F2), QKeySequence(Qt::CTRL | Qt::Key_E)},
            [this] { beginEdit(); });
    key(tr("Next Problem"), {QKeySequence(Qt::Key_J)}, [this] { nextProblem(); });
    key(tr("Previous Problem"), {QKeySequence(Qt::Key_K)}, [this] { previousProblem(); });
    auto *del = key(tr("&Delete"), {QKeySequence::Delete}, [this] { deleteSelection(); });
    auto *copy = key(tr("Copy Id"), {QKeySequence::Copy}, [this] { copyCurrentId(); });
    Q_UNUSED(copy);

    auto *addTag = new QAction(tr("Add &Tag…"), this);
    connect(addTag, &QAction::triggered, this, [this] { askTag(true); });
    auto *removeTag = new QAction(tr("Remo&ve Tag…"), this);
    connect(removeTag, &QAction::triggered, this, [this] { askTag(false); });
    m_complexityMenu = new QMenu(tr("Set &Complexity"), this);
    for (const QString &name : complexityNames())
        m_complexityMenu->addAction(name, this, [this, name] {
            setComplexityOfSelection(complexityFromString(name).value_or(Complexity::Medium));
        });
    m_datasetMenu = new QMenu(tr("Add to Data&set"), this);
    connect(m_datasetMenu, &QMenu::aboutToShow, this, [this] {
        m_datasetMenu->clear();
        for (const Dataset &d : m_datasets)
            m_datasetMenu->addAction(d.name.isEmpty() ? d.id : d.name, this,
                                     [this, id = d.id] { addSelectionToDataset(id); });
        if (!m_datasets.empty())
            m_datasetMenu->addSeparator();
        m_datasetMenu->addAction(tr("&New Dataset…"), this, &ProblemsPanel::askNewDataset);
    });
    m_removeFromDataset = new QAction(tr("Remove from &Filtered Dataset"), this);
    connect(m_removeFromDataset, &QAction::triggered, this,
            &ProblemsPanel::removeSelectionFromDataset);
    m_bulkActions = {accept,
                     reject,
                     unreviewed,
                     note,
                     edit,
                     addTag,
                     removeTag,
                     m_complexityMenu->menuAction(),
                     m_datasetMenu->menuAction(),
                     m_removeFromDataset,
                     del};
}

QList<QAction *> ProblemsPanel::curationActions() const
{
    return m_bulkActions;
}

void ProblemsPanel::addEditActions(QMenu *menu)
{
    menu->addAction(m_undoAction);
    menu->addAction(m_redoAction);
}

void ProblemsPanel::showContextMenu(const QPoint &pos)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const int n = static_cast<int>(selectedIds().size());
    if (n > 1)
        menu->addSection(tr("%1 selected problems").arg(QLocale().toString(n)));
    for (QAction *a : m_bulkActions) {
        if (a == m_removeFromDataset && currentFilter().datasetId.isEmpty())
            continue;
        if (a->text() == tr("&Edit…") && n > 1)
            continue;
        menu->addAction(a);
    }
    menu->addSeparator();
    menu->addAction(tr("Copy Id"), this, &ProblemsPanel::copyCurrentId);
    menu->popup(m_table->viewport()->mapToGlobal(pos));
}

void ProblemsPanel::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    m_context->setWorkspace(ws);
    m_undo->clear();
    m_detail->setWorkspace(ws);
    m_filterBar->resetSearch();
    m_filterBar->setStats(nullptr);
    m_datasets.clear();
    m_choices = {};
    m_filterBar->setChoices({}, {});
    m_model->setFilter({}); // cheap while detached; the workspace is counted once below
    m_model->setWorkspace(ws);
    m_total = m_model->rowCount(); // until the statistics arrive
    onFilterApplied(QString());
    setEnabled(ws != nullptr);
    // A read-only workspace (a file without write permission) is browsed, not curated.
    const bool writable = ws && !ws->isReadOnly();
    for (QAction *a : m_bulkActions)
        a->setEnabled(writable);
    m_detail->findChild<QWidget *>(QStringLiteral("editProblem"))->setEnabled(writable);
    m_detail->reviewBar()->setEnabled(writable);
    m_choicesThrottle.reset(); // another workspace: its choices at once
    loadChoices();
}

void ProblemsPanel::setStats(const WorkspaceStats &stats)
{
    m_filterBar->setStats(&stats);
    m_total = stats.problems;
    updateCountLabel();
}

void ProblemsPanel::reload()
{
    if (m_model->workspace() == m_workspace && m_model->filter() == currentFilter()) {
        // Same filter (e.g. a job added problems): the rows stay until the new count is known,
        // instead of the table emptying while a long count runs.
        refreshRows(true);
    } else {
        applyFilter();
    }
    m_detail->refresh();
    loadChoicesThrottled(); // a job adds problems: its new tags can wait a little
}

void ProblemsPanel::loadChoicesThrottled()
{
    if (!m_workspace)
        return;
    if (m_choicesWatcher.isRunning()) {
        m_choicesPending = true;
        return;
    }
    if (m_choicesDelay->isActive())
        return; // already due
    if (const qint64 wait = m_choicesThrottle.waitMs(); wait > 0) {
        m_choicesDelay->start(int(std::min<qint64>(wait, 60'000)));
        return;
    }
    loadChoices();
}

void ProblemsPanel::loadChoices()
{
    if (!m_workspace)
        return;
    if (m_choicesWatcher.isRunning()) {
        m_choicesPending = true;
        m_choicesUrgent = true; // not throttled: the user changed something, or the workspace
        return;
    }
    m_choicesPending = false;
    m_choicesUrgent = false;
    m_choicesDelay->stop();
    m_choicesThrottle.started();
    // Tags are read from every problem: a second, read-only connection on the thread pool, at
    // idle priority (on a million problems this takes most of a second of CPU).
    const QString path = m_workspace->path();
    m_choicesWatcher.setFuture(QtConcurrent::run(workspacePool(), [path] {
        const IdlePriorityScope idle;
        Choices out;
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            out.datasets = DatasetRepository(*ws).list();
            out.filter = ProblemRepository(*ws).filterChoices();
        } catch (const std::exception &e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void ProblemsPanel::onChoicesLoaded()
{
    m_choicesThrottle.finished();
    const Choices result = m_choicesWatcher.result();
    if (m_choicesUrgent) {
        loadChoices();
        return;
    }
    if (m_choicesPending) {
        loadChoicesThrottled();
        return;
    }
    if (!m_workspace)
        return;
    if (!result.error.isEmpty()) {
        emit errorOccurred(tr("Could not read the datasets, jobs and tags of %1: %2")
                               .arg(m_workspace->path(), result.error));
        return;
    }
    m_datasets = result.datasets;
    m_choices = result.filter;
    m_filterBar->setChoices(m_datasets, m_choices);
    emit filterChoicesLoaded();
}

ProblemFilter ProblemsPanel::currentFilter() const
{
    return m_filterBar->filter();
}

void ProblemsPanel::applyFilter()
{
    const QString current = m_detail->problemId();
    m_model->setFilter(currentFilter());
    onFilterApplied(current);
}

void ProblemsPanel::onFilterApplied(const QString &current)
{
    updateCountLabel();
    updateEmptyState();
    if (!current.isEmpty() && m_workspace && !m_detail->isEditing()) {
        bool visible = false;
        try {
            visible = ProblemRepository(*m_workspace).matches(currentFilter(), current);
        } catch (const std::exception &e) {
            emit errorOccurred(QString::fromUtf8(e.what()));
        }
        // The detail view follows the table: a problem the filter hides is not shown.
        if (!visible)
            m_detail->clear();
    }
    // A count on the worker: the rest follows when it arrives (onCountFinished).
    m_selectAfterCount = m_model->isCounting();
    if (!m_selectAfterCount)
        selectShownProblem();
}

void ProblemsPanel::selectShownProblem()
{
    const qint64 shown = m_model->rowCount();
    // Keep the problem being read selected when it is still on the first page.
    if (!m_detail->problemId().isEmpty() && shown > 0) {
        m_model->problemIdAt(0); // the view is about to load the first page anyway
        if (const int row = m_model->cachedRowOf(m_detail->problemId()); row >= 0) {
            const QSignalBlocker block(m_table->selectionModel());
            m_table->selectRow(row);
        }
    }
    emit filteredCountChanged(shown);
}

void ProblemsPanel::onCountFinished()
{
    updateCountLabel();
    updateEmptyState();
    if (m_selectAfterCount) {
        m_selectAfterCount = false;
        selectShownProblem();
        return;
    }
    // A refresh after a change of the workspace: keep the reader's place, as refresh() does.
    emit filteredCountChanged(m_model->rowCount());
    const int clamped = std::min(m_rowBeforeReset, m_model->rowCount() - 1);
    if (!m_table->currentIndex().isValid() && clamped >= 0)
        m_table->selectionModel()->setCurrentIndex(
            m_model->index(clamped, ProblemTableModel::IdColumn),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void ProblemsPanel::updateCountLabel()
{
    const qint64 shown = m_model->rowCount();
    if (m_model->isCounting()) {
        // Shown until the worker's count arrives (a few hundred ms on a million problems).
        if (currentFilter().isEmpty())
            m_filterBar->setCountText(tr("Counting problems…"));
        else
            m_filterBar->setCountText(
                tr("Counting… of %1 problems").arg(QLocale().toString(m_total)));
        return;
    }
    if (currentFilter().isEmpty())
        m_filterBar->setCountText(tr("%1 problems").arg(QLocale().toString(shown)));
    else
        m_filterBar->setCountText(
            tr("%1 of %2 problems").arg(QLocale().toString(shown), QLocale().toString(m_total)));
}

void ProblemsPanel::updateEmptyState()
{
    if (m_model->rowCount() > 0) {
        m_tableStack->setCurrentWidget(m_table);
        return;
    }
    const bool filtered = !currentFilter().isEmpty();
    if (m_model->isCounting())
        m_emptyLabel->setText(filtered ? tr("Counting the problems that match these filters…")
                                       : tr("Counting problems…"));
    else if (!m_workspace)
        m_emptyLabel->setText(tr("No workspace is open.\nUse File → New or File → Open."));
    else if (filtered)
        m_emptyLabel->setText(tr("No problem matches these filters."));
    else
        m_emptyLabel->setText(tr("This workspace has no problems yet.\nImport some with "
                                 "crucible-cli import, or generate them from a seed."));
    m_tableStack->setCurrentIndex(1);
    m_tableStack->findChild<QPushButton *>(QStringLiteral("clearFiltersButton"))
        ->setVisible(filtered && !m_model->isCounting());
}

void ProblemsPanel::setDomainFilter(const QString &domain)
{
    m_filterBar->setDomain(domain);
}

void ProblemsPanel::setDatasetFilter(const QString &datasetId)
{
    m_filterBar->setDataset(datasetId);
}

void ProblemsPanel::clearFilters()
{
    m_filterBar->clear();
}

void ProblemsPanel::onEscape()
{
    // An open drop-down takes Esc for itself: close it, keep the search and the filters.
    if (QWidget *popup = QApplication::activePopupWidget()) {
        popup->close();
        return;
    }
    if (!searchBox()->text().isEmpty()) {
        m_filterBar->resetSearch();
        applyFilter();
    } else if (!currentFilter().isEmpty()) {
        clearFilters();
    }
}

void ProblemsPanel::onHeaderClicked(int section)
{
    auto *header = m_table->horizontalHeader();
    if (!ProblemTableModel::sortColumnFor(section)) {
        // Not sortable: keep the indicator where it was.
        if (m_sortSection >= 0)
            header->setSortIndicator(m_sortSection, m_sortOrder);
        return;
    }
    // Ascending, descending, then back to insertion order.
    if (section != m_sortSection) {
        m_sortSection = section;
        m_sortOrder = Qt::AscendingOrder;
    } else if (m_sortOrder == Qt::AscendingOrder) {
        m_sortOrder = Qt::DescendingOrder;
    } else {
        m_sortSection = -1;
    }
    header->setSortIndicatorShown(m_sortSection >= 0);
    if (m_sortSection >= 0)
        header->setSortIndicator(m_sortSection, m_sortOrder);
    const QString current = m_detail->problemId();
    if (m_sortSection >= 0)
        m_model->sort(m_sortSection, m_sortOrder);
    else
        m_model->setSort({});
    onFilterApplied(current);
}

void ProblemsPanel::onCurrentRowChanged(int row)
{
    const QString id = row >= 0 ? m_model->problemIdAt(row) : QString();
    if (id.isEmpty())
        return;
    m_detail->showProblem(id);
    emit currentProblemChanged(id);
}

void ProblemsPanel::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row, ProblemTableModel::IdColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    if (m_detail->problemId() != m_model->problemIdAt(row))
        onCurrentRowChanged(row);
}

void ProblemsPanel::selectProblem(const QString &id)
{
    const int row = m_model->cachedRowOf(id);
    if (row >= 0) {
        selectRow(row);
        return;
    }
    // Not on a loaded page (or filtered out): show it without moving the table.
    {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->clearSelection();
        m_table->selectionModel()->clearCurrentIndex();
    }
    m_detail->showProblem(id);
    emit currentProblemChanged(id);
}

void ProblemsPanel::copyCurrentId()
{
    QString id = m_table->currentIndex().data(ProblemTableModel::IdRole).toString();
    if (id.isEmpty())
        id = m_detail->problemId();
    if (!id.isEmpty())
        QApplication::clipboard()->setText(id);
}

QStringList ProblemsPanel::selectedIds() const
{
    QStringList ids;
    const QItemSelection selection = m_table->selectionModel()->selection();
    for (const QItemSelectionRange &range : selection) {
        // Rows are read with one query per range, whatever pages are cached.
        if (range.height() == 1) {
            if (const QString id = m_model->problemIdAt(range.top()); !id.isEmpty())
                ids << id;
        } else {
            ids << m_model->idsInRows(range.top(), range.bottom());
        }
    }
    ids.removeDuplicates();
    if (ids.isEmpty() && !m_detail->problemId().isEmpty())
        ids << m_detail->problemId();
    return ids;
}

void ProblemsPanel::push(QUndoCommand *command)
{
    if (m_context->isBusy()) {
        delete command;
        emit errorOccurred(tr("Still saving the previous change to many problems; try again "
                              "when the count above the table is back."));
        return;
    }
    m_undo->push(command); // runs redo(), which reports through the context
}

void ProblemsPanel::onProblemsChanged(bool rowsChanged)
{
    const QString current = m_detail->problemId();
    refreshRows(rowsChanged);
    m_detail->refresh();
    if (!current.isEmpty() && m_detail->problemId() == current && m_workspace &&
        !ProblemRepository(*m_workspace).matches(currentFilter(), current) &&
        !m_detail->isEditing())
        m_detail->clear();
    m_modifiedTimer->start();
    if (rowsChanged)
        loadChoices();
}

void ProblemsPanel::refreshRows(bool rowsChanged)
{
    const int row = m_table->currentIndex().row();
    const bool reset = m_model->refresh();
    if (m_model->isCounting()) {
        updateCountLabel(); // the rows stay until the count arrives (onCountFinished)
    } else if (reset || rowsChanged) {
        updateCountLabel();
        updateEmptyState();
        emit filteredCountChanged(m_model->rowCount());
        if (reset && row >= 0) {
            // Keep the reader's place: the row it was on, which the detail view follows.
            const int clamped = std::min(row, m_model->rowCount() - 1);
            if (clamped >= 0)
                m_table->selectionModel()->setCurrentIndex(
                    m_model->index(clamped, ProblemTableModel::IdColumn),
                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
}

void ProblemsPanel::review(ReviewStatus status)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    const bool single = ids.size() == 1;
    const int row = m_table->currentIndex().row();
    const QString id = ids.front();
    if (auto command = CurationStatesCommand::setReview(m_context, ids, status))
        push(command.release());
    if (!single || row < 0)
        return;
    // Labelling-tool flow: a verdict moves on. When the verdict took the problem out of the
    // filter (e.g. "unreviewed"), the next one has moved up into its row.
    const bool stillThere = m_model->problemIdAt(row) == id;
    selectRow(stillThere ? std::min(row + 1, m_model->rowCount() - 1)
                         : std::min(row, m_model->rowCount() - 1));
}

void ProblemsPanel::beginNote()
{
    if (m_detail->problemId().isEmpty())
        return;
    m_detail->reviewBar()->beginNote();
}

bool ProblemsPanel::beginEdit()
{
    return m_detail->beginEdit();
}

void ProblemsPanel::nextProblem()
{
    selectRow(std::min(m_table->currentIndex().row() + 1, m_model->rowCount() - 1));
}

void ProblemsPanel::previousProblem()
{
    selectRow(std::max(m_table->currentIndex().row() - 1, 0));
}

void ProblemsPanel::deleteSelection()
{
    const QStringList ids = selectedIds();
    if (!ids.isEmpty())
        push(new DeleteProblemsCommand(m_context, ids));
}

void ProblemsPanel::addTagToSelection(const QString &tag)
{
    if (auto command = CurationStatesCommand::addTag(m_context, selectedIds(), tag))
        push(command.release());
}

void ProblemsPanel::removeTagFromSelection(const QString &tag)
{
    if (auto command = CurationStatesCommand::removeTag(m_context, selectedIds(), tag))
        push(command.release());
}

void ProblemsPanel::setComplexityOfSelection(Complexity complexity)
{
    if (auto command = CurationStatesCommand::setComplexity(m_context, selectedIds(), complexity))
        push(command.release());
}

void ProblemsPanel::addSelectionToDataset(const QString &datasetId)
{
    const QStringList ids = selectedIds();
    if (!ids.isEmpty())
        push(
            new DatasetMembersCommand(m_context, DatasetMembersCommand::Kind::Add, datasetId, ids));
}

QString ProblemsPanel::addSelectionToNewDataset(const QString &name)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return {};
    const QString id = jsonio::newId("ds");
    push(new DatasetMembersCommand(m_context, DatasetMembersCommand::Kind::AddToNew, id, ids,
                                   name.trimmed().isEmpty() ? id : name.trimmed()));
    return id;
}

void ProblemsPanel::removeSelectionFromDataset()
{
    const QString datasetId = currentFilter().datasetId;
    const QStringList ids = selectedIds();
    if (datasetId.isEmpty() || ids.isEmpty())
        return;
    push(new DatasetMembersCommand(m_context, DatasetMembersCommand::Kind::Remove, datasetId, ids));
}

void ProblemsPanel::askTag(bool add)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || !m_workspace)
        return;
    QStringList offered;
    if (add) {
        for (const auto &[tag, count] : m_choices.tags)
            offered << tag;
    } else {
        for (const CurationState &s : ProblemRepository(*m_workspace).curationStates(ids))
            for (const QString &tag : s.tags)
                if (!offered.contains(tag))
                    offered << tag;
        if (offered.isEmpty())
            return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(add ? tr("Add Tag") : tr("Remove Tag"));
    dialog->setLabelText(add ? tr("Tag to add to %n problem(s):", nullptr, int(ids.size()))
                             : tr("Tag to remove from %n problem(s):", nullptr, int(ids.size())));
    dialog->setComboBoxItems(offered);
    dialog->setComboBoxEditable(add);
    if (add)
        dialog->setTextValue(QString());
    connect(dialog, &QInputDialog::textValueSelected, this, [this, add](const QString &tag) {
        if (add)
            addTagToSelection(tag);
        else
            removeTagFromSelection(tag);
    });
    dialog->open();
}

void ProblemsPanel::askNewDataset()
{
    if (selectedIds().isEmpty())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New Dataset"));
    dialog->setLabelText(tr("Name of the new dataset:"));
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this](const QString &name) { addSelectionToNewDataset(name); });
    dialog->open();
}

void ProblemsPanel::saveState() const
{
    settings::problemsSplitterState.set(m_splitter->saveState());
    settings::problemsHeaderState.set(m_table->horizontalHeader()->saveState());
}

void ProblemsPanel::restoreState()
{
    const QByteArray splitter = settings::problemsSplitterState.get();
    if (!splitter.isEmpty())
        m_splitter->restoreState(splitter);
    const QByteArray header = settings::problemsHeaderState.get();
    if (!header.isEmpty())
        m_table->horizontalHeader()->restoreState(header);
    // A saved sort indicator is not a sort: the table starts in insertion order.
    m_table->horizontalHeader()->setSortIndicatorShown(false);
}

} // namespace crucible
