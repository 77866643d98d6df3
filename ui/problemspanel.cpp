#include "ui/problemspanel.h"

#include "ui/models/problemtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/settings.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace crucible {

namespace {

QString withCount(const QString &label, qint64 count)
{
    return QStringLiteral("%1 (%2)").arg(label, QLocale().toString(count));
}

// Selects the item whose data equals value, or the first ("any") item.
void selectData(QComboBox *combo, const QString &value)
{
    const int index = value.isEmpty() ? 0 : combo->findData(value);
    combo->setCurrentIndex(index < 0 ? 0 : index);
}

template <class Key> qint64 countOf(const std::map<Key, qint64> &counts, std::optional<Key> key)
{
    if (!key)
        return 0;
    const auto it = counts.find(*key);
    return it == counts.end() ? 0 : it->second;
}

} // namespace

ProblemsPanel::ProblemsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ProblemTableModel(this))
    , m_searchTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);

    auto *bar = new QWidget(this);
    buildFilterBar(bar);
    layout->addWidget(bar);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    m_tableStack = new QStackedWidget(m_splitter);
    m_table = new QTableView(m_tableStack);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
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
    // Fit the short columns to their longest value so the statement gets the rest.
    const QFontMetrics fm = fontMetrics();
    const auto fit = [&fm](const QStringList &texts) {
        int width = 0;
        for (const QString &text : texts)
            width = std::max(width, fm.horizontalAdvance(text));
        return width + 20;
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

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDebounceMs);
    connect(m_searchTimer, &QTimer::timeout, this, &ProblemsPanel::applyFilter);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current.row()); });
    connect(m_model, &ProblemTableModel::loadFailed, this, &ProblemsPanel::errorOccurred);
    connect(m_detail, &ProblemDetailView::problemLinkActivated, this,
            &ProblemsPanel::selectProblem);

    auto *copy = new QAction(tr("Copy Id"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copy, &QAction::triggered, this, &ProblemsPanel::copyCurrentId);

    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WindowShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &ProblemsPanel::onEscape);

    setWorkspace(nullptr);
}

void ProblemsPanel::buildFilterBar(QWidget *bar)
{
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("problemSearch"));
    m_search->setPlaceholderText(tr("Search statements, constraints and tags (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    row->addWidget(m_search, 1);

    m_domain = new QComboBox(bar);
    m_domain->setObjectName(QStringLiteral("domainFilter"));
    m_domain->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_domain->setMaximumWidth(280);
    m_complexity = new QComboBox(bar);
    m_complexity->setObjectName(QStringLiteral("complexityFilter"));
    m_origin = new QComboBox(bar);
    m_origin->setObjectName(QStringLiteral("originFilter"));
    for (QComboBox *combo : {m_domain, m_complexity, m_origin}) {
        combo->setToolTip(tr("Show only problems with this value"));
        row->addWidget(combo);
        connect(combo, &QComboBox::currentIndexChanged, this, &ProblemsPanel::applyFilter);
    }
    m_countLabel = new QLabel(bar);
    m_countLabel->setObjectName(QStringLiteral("problemCount"));
    m_countLabel->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("1,000,000 of 1,000,000 problems")));
    m_countLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row->addWidget(m_countLabel);

    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer->start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ProblemsPanel::applyFilter);
}

void ProblemsPanel::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    m_detail->setWorkspace(ws);
    {
        const QSignalBlocker block(m_search);
        m_search->clear();
    }
    m_searchTimer->stop();
    fillFilterCombos(nullptr);
    m_model->setFilter({}); // cheap while detached; the workspace is counted once below
    m_model->setWorkspace(ws);
    m_total = m_model->rowCount(); // until the statistics arrive
    onFilterApplied(QString());
    setEnabled(ws != nullptr);
}

void ProblemsPanel::setStats(const WorkspaceStats &stats)
{
    fillFilterCombos(&stats);
    m_total = stats.problems;
    updateCountLabel();
}

void ProblemsPanel::reload()
{
    applyFilter();
}

void ProblemsPanel::fillFilterCombos(const WorkspaceStats *stats)
{
    const QString domain = m_domain->currentData().toString();
    const QString complexity = m_complexity->currentData().toString();
    const QString origin = m_origin->currentData().toString();
    const QSignalBlocker b1(m_domain), b2(m_complexity), b3(m_origin);
    m_domain->clear();
    m_complexity->clear();
    m_origin->clear();

    // Without statistics yet, the values are offered without counts.
    const auto label = [stats](const QString &name, qint64 count) {
        return stats ? withCount(name, count) : name;
    };
    m_domain->addItem(label(tr("All domains"), stats ? stats->problems : 0), QString());
    if (stats) {
        for (const DomainCount &d : stats->domains)
            m_domain->addItem(withCount(d.domain.isEmpty() ? tr("(no domain)") : d.domain, d.count),
                              d.domain);
    }
    m_complexity->addItem(tr("Any complexity"), QString());
    for (const QString &name : complexityNames()) {
        const auto c = complexityFromString(name);
        m_complexity->addItem(label(name, stats ? countOf(stats->complexity, c) : 0), name);
    }
    m_origin->addItem(tr("Any origin"), QString());
    for (const QString &name : originNames()) {
        const auto o = originFromString(name);
        m_origin->addItem(label(name, stats ? countOf(stats->origin, o) : 0), name);
    }
    // A domain chosen before the counts arrived is kept even though it was not listed yet.
    if (!domain.isEmpty() && m_domain->findData(domain) < 0)
        m_domain->addItem(domain, domain);
    selectData(m_domain, domain);
    selectData(m_complexity, complexity);
    selectData(m_origin, origin);
}

ProblemFilter ProblemsPanel::currentFilter() const
{
    ProblemFilter f;
    f.search = m_search->text().trimmed();
    f.domain = m_domain->currentData().toString();
    f.complexity = complexityFromString(m_complexity->currentData().toString());
    f.origin = originFromString(m_origin->currentData().toString());
    return f;
}

void ProblemsPanel::applyFilter()
{
    m_searchTimer->stop();
    const QString current = m_detail->problemId();
    m_model->setFilter(currentFilter());
    onFilterApplied(current);
}

void ProblemsPanel::onFilterApplied(const QString &current)
{
    const qint64 shown = m_model->rowCount();
    updateCountLabel();
    updateEmptyState();
    // Keep the problem being read selected when it is still on the first page.
    if (!current.isEmpty() && shown > 0) {
        m_model->problemIdAt(0); // the view is about to load the first page anyway
        if (const int row = m_model->cachedRowOf(current); row >= 0) {
            const QSignalBlocker block(m_table->selectionModel());
            m_table->selectRow(row);
        }
    }
    emit filteredCountChanged(shown);
}

void ProblemsPanel::updateCountLabel()
{
    const qint64 shown = m_model->rowCount();
    if (currentFilter().isEmpty())
        m_countLabel->setText(tr("%1 problems").arg(QLocale().toString(shown)));
    else
        m_countLabel->setText(
            tr("%1 of %2 problems").arg(QLocale().toString(shown), QLocale().toString(m_total)));
}

void ProblemsPanel::updateEmptyState()
{
    if (m_model->rowCount() > 0) {
        m_tableStack->setCurrentWidget(m_table);
        return;
    }
    const bool filtered = !currentFilter().isEmpty();
    if (!m_workspace)
        m_emptyLabel->setText(tr("No workspace is open.\nUse File → New or File → Open."));
    else if (filtered)
        m_emptyLabel->setText(tr("No problem matches these filters."));
    else
        m_emptyLabel->setText(tr("This workspace has no problems yet.\nImport some with "
                                 "crucible-cli import, or generate them from a seed."));
    m_tableStack->setCurrentIndex(1);
    m_tableStack->findChild<QPushButton *>(QStringLiteral("clearFiltersButton"))
        ->setVisible(filtered);
}

void ProblemsPanel::setDomainFilter(const QString &domain)
{
    selectData(m_domain, domain);
}

void ProblemsPanel::clearFilters()
{
    const QSignalBlocker b0(m_search), b1(m_domain), b2(m_complexity), b3(m_origin);
    m_search->clear();
    m_domain->setCurrentIndex(0);
    m_complexity->setCurrentIndex(0);
    m_origin->setCurrentIndex(0);
    applyFilter();
}

void ProblemsPanel::onEscape()
{
    if (!m_search->text().isEmpty()) {
        m_search->clear();
        applyFilter();
    } else {
        clearFilters();
    }
}

void ProblemsPanel::onCurrentRowChanged(int row)
{
    const QString id = row >= 0 ? m_model->problemIdAt(row) : QString();
    if (id.isEmpty())
        return;
    m_detail->showProblem(id);
    emit currentProblemChanged(id);
}

void ProblemsPanel::selectProblem(const QString &id)
{
    const int row = m_model->cachedRowOf(id);
    if (row >= 0) {
        m_table->selectRow(row);
        m_table->scrollTo(m_model->index(row, 0));
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
    const QString id = m_table->currentIndex().data(ProblemTableModel::IdRole).toString();
    if (!id.isEmpty())
        QApplication::clipboard()->setText(id);
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
}

} // namespace crucible
