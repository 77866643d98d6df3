#include "ui/tournament/tournamentpanel.h"

#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/models/comparisonlistmodel.h"
#include "ui/models/ratingtablemodel.h"
#include "ui/models/winmatrixmodel.h"
#include "ui/tournament/ratingbardelegate.h"
#include "ui/tournament/ratinghistorychart.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace crucible {

using nlohmann::json;

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    return view;
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString jtext(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QString jscore(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? QString::number(it->get<double>(), 'g', 3)
                                            : QStringLiteral("–");
}

} // namespace

TournamentPanel::TournamentPanel(QWidget *parent)
    : QWidget(parent)
{
    m_ratingModel = new RatingTableModel(this);
    m_matrixModel = new WinMatrixModel(this);
    m_comparisonModel = new ComparisonListModel(this);
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(500);
    connect(m_reloadTimer, &QTimer::timeout, this, &TournamentPanel::reload);

    m_tournaments = new QComboBox(this);
    m_tournaments->setObjectName(QStringLiteral("tournamentBox"));
    m_tournaments->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tournaments->setMinimumContentsLength(24);
    m_reloadButton = new QPushButton(tr("Reload"), this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("tournamentStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Tournament:"), this));
    top->addWidget(m_tournaments);
    top->addWidget(m_reloadButton);
    top->addWidget(m_status, 1);

    m_ratingTable = makeTable(m_ratingModel, this, QStringLiteral("ratingTable"));
    m_ratingTable->setItemDelegateForColumn(RatingTableModel::RatingColumn,
                                            new RatingBarDelegate(m_ratingModel, m_ratingTable));
    m_ratingTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ratingTable->horizontalHeader()->setSectionResizeMode(RatingTableModel::RatingColumn,
                                                            QHeaderView::Stretch);
    m_matrixTable = makeTable(m_matrixModel, this, QStringLiteral("winMatrix"));
    m_matrixTable->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_matrixTable->verticalHeader()->show();
    m_matrixTable->horizontalHeader()->setDefaultSectionSize(72);
    m_matrixTable->setToolTip(tr("Share of the points the row entrant took from the column entrant "
                                 "(ties count half). Click a cell for its comparisons."));
    m_chart = new RatingHistoryChart(this);
    m_chart->setObjectName(QStringLiteral("ratingHistory"));
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_matrixTable, tr("Win matrix"));
    m_tabs->addTab(m_chart, tr("Rating history"));

    m_comparisonTable = makeTable(m_comparisonModel, this, QStringLiteral("comparisonTable"));
    m_comparisonTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_comparisonTable->horizontalHeader()->setStretchLastSection(true);
    m_comparisonTable->setColumnWidth(ComparisonListModel::ProblemColumn, 220);
    m_cellLabel = new QLabel(this);
    m_cellLabel->setObjectName(QStringLiteral("cellLabel"));
    m_allButton = new QPushButton(tr("Show all"), this);
    m_detail = new QTextBrowser(this);
    m_detail->setObjectName(QStringLiteral("comparisonDetail"));
    m_detail->setPlaceholderText(
        tr("Select a comparison to read both orders' verdicts and rationales."));

    auto *comparisons = new QWidget(this);
    auto *cl = new QVBoxLayout(comparisons);
    cl->setContentsMargins(0, 0, 0, 0);
    auto *cellRow = new QHBoxLayout;
    cellRow->addWidget(m_cellLabel, 1);
    cellRow->addWidget(m_allButton);
    cl->addLayout(cellRow);
    cl->addWidget(m_comparisonTable);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_ratingTable);
    upper->addWidget(m_tabs);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(comparisons);
    lower->addWidget(m_detail);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto *main = new QSplitter(Qt::Vertical, this);
    main->addWidget(upper);
    main->addWidget(lower);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(main, 1);

    connect(m_reloadButton, &QPushButton::clicked, this, &TournamentPanel::reload);
    connect(m_tournaments, &QComboBox::activated, this, &TournamentPanel::onTournamentChosen);
    connect(m_matrixTable, &QTableView::clicked, this,
            [this](const QModelIndex &index) { showCell(index.row(), index.column()); });
    connect(m_allButton, &QPushButton::clicked, this, &TournamentPanel::showAllComparisons);
    connect(m_comparisonTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showComparison(current.row()); });
    connect(m_ratingTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const int row = current.row();
                if (row >= 0 && row < m_matrixModel->rowCount())
                    m_matrixTable->selectRow(row);
            });
    showAllComparisons();
}

TournamentPanel::~TournamentPanel()
{
    for (QFuture<void> &f : m_pending)
        f.waitForFinished();
}

void TournamentPanel::setWorkspace(Workspace *ws)
{
    m_wsPath = ws ? ws->path() : QString();
    m_chosen = false;
    m_requested = QString::fromLatin1(kPooled);
    reload();
}

void TournamentPanel::scheduleReload()
{
    m_reloadTimer->start();
}

void TournamentPanel::selectTournament(const QString &id)
{
    m_chosen = true;
    m_requested = id;
    reload();
}

QString TournamentPanel::currentTournamentId() const
{
    if (!m_chosen && m_snapshot.tournamentId.isEmpty())
        return QString::fromLatin1(kPooled);
    if (m_chosen)
        return m_requested;
    return m_snapshot.tournamentId;
}

void TournamentPanel::reload()
{
    const int generation = ++m_generation;
    if (m_wsPath.isEmpty()) {
        onLoaded(TournamentSnapshot{});
        return;
    }
    const bool pooled = m_chosen && m_requested == QLatin1String(kPooled);
    const QString id = m_chosen && !pooled ? m_requested : QString();
    auto *watcher = new QFutureWatcher<TournamentSnapshot>(this);
    connect(watcher, &QFutureWatcher<TournamentSnapshot>::finished, this,
            [this, watcher, generation] {
                watcher->deleteLater();
                if (generation != m_generation)
                    return; // a newer reload is under way
                onLoaded(watcher->result());
            });
    QFuture<TournamentSnapshot> future =
        QtConcurrent::run(workspacePool(), [path = m_wsPath, id, pooled] {
            return TournamentSnapshot::read(path, id, pooled);
        });
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(),
                                   [](const QFuture<void> &f) { return f.isFinished(); }),
                    m_pending.end());
    m_pending.append(QFuture<void>(future));
    watcher->setFuture(future);
}

void TournamentPanel::onLoaded(TournamentSnapshot snapshot)
{
    m_snapshot = std::move(snapshot);
    if (!m_snapshot.error.isEmpty())
        emit errorOccurred(m_snapshot.error);
    fillTournamentBox();
    m_ratingModel->setRatings(m_snapshot.ratings, m_snapshot.names);
    QStringList order;
    for (const RatingRecord &r : m_snapshot.ratings)
        order << r.entrant;
    for (const ComparisonRecord &c : m_snapshot.comparisons)
        for (const QString &e : {c.entrantA, c.entrantB})
            if (!e.isEmpty() && !order.contains(e))
                order << e;
    m_matrixModel->setData(order, m_snapshot.comparisons, m_snapshot.names);
    m_chart->setHistory(m_snapshot, order);
    showAllComparisons();
    m_status->setText(statusText());
    emit reloaded();
}

void TournamentPanel::fillTournamentBox()
{
    const QSignalBlocker block(m_tournaments);
    m_tournaments->clear();
    for (const TournamentRecord &t : m_snapshot.tournaments) {
        const QString label = t.name.isEmpty() ? t.id : t.name;
        m_tournaments->addItem(
            tr("%1 (%2, %3)")
                .arg(label, t.format,
                     t.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
            t.id);
    }
    m_tournaments->addItem(tr("All comparisons, pooled"), QString::fromLatin1(kPooled));
    const QString current =
        m_snapshot.tournamentId.isEmpty() ? QString::fromLatin1(kPooled) : m_snapshot.tournamentId;
    m_tournaments->setCurrentIndex(std::max(0, m_tournaments->findData(current)));
}

void TournamentPanel::onTournamentChosen()
{
    selectTournament(m_tournaments->currentData().toString());
}

QString TournamentPanel::statusText() const
{
    if (!m_snapshot.error.isEmpty())
        return m_snapshot.error;
    if (m_wsPath.isEmpty())
        return tr("No workspace open.");
    if (m_snapshot.tournaments.empty() && m_snapshot.comparisons.empty())
        return tr("No tournament yet. Start one from Evaluate → Run Tournament… or with "
                  "crucible-cli tournament.");
    int failed = 0;
    int ties = 0;
    for (const ComparisonRecord &c : m_snapshot.comparisons) {
        failed += c.winner == u"failed" ? 1 : 0;
        ties += c.winner == u"tie" ? 1 : 0;
    }
    QString text = tr("%n comparison(s), each judged in both orders", nullptr,
                      static_cast<int>(m_snapshot.comparisons.size()));
    text += tr("; %n tie(s)", nullptr, ties);
    if (failed > 0)
        text += tr("; %n failed (not counted)", nullptr, failed);
    if (m_snapshot.ratings.empty() && !m_snapshot.comparisons.empty())
        text += tr("; ratings are computed when the tournament ends");
    return text;
}

void TournamentPanel::showCell(int row, int column)
{
    const QStringList &entrants = m_matrixModel->entrants();
    if (row < 0 || column < 0 || row >= entrants.size() || column >= entrants.size() ||
        row == column) {
        showAllComparisons();
        return;
    }
    const QString x = entrants[row];
    const QString y = entrants[column];
    std::vector<ComparisonRecord> between;
    for (const ComparisonRecord &c : m_snapshot.comparisons)
        if ((c.entrantA == x && c.entrantB == y) || (c.entrantA == y && c.entrantB == x))
            between.push_back(c);
    m_cellLabel->setText(
        tr("%1 against %2: %n comparison(s)", nullptr, static_cast<int>(between.size()))
            .arg(m_snapshot.nameOf(x), m_snapshot.nameOf(y)));
    m_comparisonModel->setComparisons(std::move(between), m_snapshot.names, m_snapshot.problems);
    m_allButton->setEnabled(true);
    m_detail->clear();
    if (m_comparisonModel->rowCount() > 0)
        m_comparisonTable->selectRow(0);
}

void TournamentPanel::showAllComparisons()
{
    m_cellLabel->setText(tr("All comparisons (%1). Click a win-matrix cell to see one pairing.")
                             .arg(m_snapshot.comparisons.size()));
    m_comparisonModel->setComparisons(m_snapshot.comparisons, m_snapshot.names,
                                      m_snapshot.problems);
    m_allButton->setEnabled(false);
    m_detail->clear();
}

void TournamentPanel::showComparison(int row)
{
    const ComparisonRecord *c = m_comparisonModel->comparisonAt(row);
    m_detail->setHtml(c ? comparisonHtml(*c) : QString());
}

QString TournamentPanel::comparisonHtml(const ComparisonRecord &c) const
{
    const QString a = m_snapshot.nameOf(c.entrantA);
    const QString b = m_snapshot.nameOf(c.entrantB);
    QString html;
    html +=
        QStringLiteral("<p><b>%1</b></p>").arg(esc(m_comparisonModel->problemText(c.problemId)));
    html += tr("<p>A: <b>%1</b> (%2 characters) · B: <b>%3</b> (%4 characters)<br>Winner: "
               "<b>%5</b></p>")
                .arg(esc(a))
                .arg(c.doc.value("length_a", 0))
                .arg(esc(b))
                .arg(c.doc.value("length_b", 0))
                .arg(esc(m_comparisonModel->verdictText(c, c.winner)));
    const auto order = [&](const char *key, const QString &title, const QString &verdict) {
        const json o = c.doc.value(key, json::object());
        QString part = QStringLiteral("<h4>%1: %2</h4>")
                           .arg(esc(title), esc(m_comparisonModel->verdictText(c, verdict)));
        const QString error = jtext(o, "error");
        if (!error.isEmpty())
            part += QStringLiteral("<p style='color:#b42828'>%1</p>").arg(esc(error));
        const QString rationale = jtext(o, "rationale");
        if (!rationale.isEmpty())
            part += QStringLiteral("<p>%1</p>").arg(esc(rationale));
        const QString assessA = jtext(o, "assessment_a");
        const QString assessB = jtext(o, "assessment_b");
        if (!assessA.isEmpty() || !assessB.isEmpty())
            part += QStringLiteral("<p><i>%1</i> (%2/10): %3<br><i>%4</i> (%5/10): %6</p>")
                        .arg(esc(a), jscore(o, "score_a"), esc(assessA), esc(b),
                             jscore(o, "score_b"), esc(assessB));
        return part;
    };
    html += order("ab", tr("A shown first"), c.verdictAb);
    html += order("ba", tr("B shown first"), c.verdictBa);
    if (c.winner == u"failed") {
        const QString error = jtext(c.doc, "error");
        html += tr("<p style='color:#b42828'>Failed comparison, not counted in the ratings%1</p>")
                    .arg(error.isEmpty() ? QString() : QStringLiteral(": ") + esc(error));
    }
    return html;
}

} // namespace crucible
