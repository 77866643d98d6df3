#include "ui/feedback/calibrationview.h"

#include "core/evaluate/rubric.h"
#include "core/feedback/judgechoice.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/training/livechart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace crucible {

namespace {

enum Column { CJudge, CAspect, CKappa, CSpearman, CN, CWeight, CHeldOut, CColumns };

QString estimate(const agreement::AgreementEstimate &e)
{
    if (e.n == 0)
        return QStringLiteral("–");
    if (e.degenerate)
        return QStringLiteral("%1 (n %2, too few)").arg(e.value, 0, 'f', 2).arg(e.n);
    return QStringLiteral("%1 [%2, %3]")
        .arg(e.value, 0, 'f', 2)
        .arg(e.low, 0, 'f', 2)
        .arg(e.high, 0, 'f', 2);
}

} // namespace

CalibrationView::CalibrationView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("calibrationView"));
    m_aspect = new QComboBox(this);
    m_aspect->addItem(tr("every aspect"), QString());
    for (const QString &a : Rubric::defaultAspects())
        m_aspect->addItem(a, a);
    connect(m_aspect, &QComboBox::currentIndexChanged, this, &CalibrationView::refresh);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setMinimumWidth(120);
    auto *top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Aspect:"), this));
    top->addWidget(m_aspect);
    top->addWidget(m_summary, 1);

    m_table = new QTableWidget(0, CColumns, this);
    m_table->setObjectName(QStringLiteral("calibrationTable"));
    m_table->setHorizontalHeaderLabels({tr("Judge"), tr("Aspect"), tr("κ (95 % CI)"),
                                        tr("Spearman ρ (95 % CI)"), tr("Ratings"), tr("Weight"),
                                        tr("Held-out κ: without → with examples")});
    m_table->setToolTip(tr("Agreement of each judge with the people's ratings: quadratic-"
                           "weighted Cohen's κ of the judge's 1–5 rating (1 + round(4·score)) "
                           "against the person's, Spearman ρ of the raw score; bootstrap "
                           "intervals. The weight is what the verifier gives the judge."));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &CalibrationView::showRow);

    m_confusion = new QTableWidget(5, 5, this);
    m_confusion->setObjectName(QStringLiteral("confusionMatrix"));
    QStringList levels;
    for (int i = 1; i <= 5; ++i)
        levels << QString::number(i);
    m_confusion->setHorizontalHeaderLabels(levels);
    m_confusion->setVerticalHeaderLabels(levels);
    m_confusion->setToolTip(tr("Rows: the judge's rating; columns: the person's rating. The "
                               "diagonal is agreement."));
    m_confusion->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_confusion->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_confusion->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    auto *confusionBox = new QWidget(this);
    auto *confusionLayout = new QVBoxLayout(confusionBox);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    confusionLayout->addWidget(new QLabel(tr("Judge (rows) against person (columns)"), this));
    confusionLayout->addWidget(m_confusion, 1);
    m_chart = new LiveChart(tr("κ over time (windows of ratings)"), this);
    m_chart->setYRange(-1, 1);
    m_series = m_chart->addSeries(tr("κ"));
    auto *below = new QSplitter(Qt::Horizontal, this);
    below->addWidget(confusionBox);
    below->addWidget(m_chart);
    below->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(below);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(&m_watcher, &QFutureWatcher<Computed>::finished, this, &CalibrationView::onComputed);
    setWorkspace(nullptr);
}

CalibrationView::~CalibrationView()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void CalibrationView::setWorkspace(Workspace *ws)
{
    m_path = ws ? ws->path() : QString();
    m_report = {};
    m_table->setRowCount(0);
    m_chart->clear();
    m_summary->setText(ws ? QString() : tr("Open a workspace to see its judges' agreement."));
    setEnabled(ws != nullptr);
    if (ws)
        refresh();
}

void CalibrationView::refresh()
{
    if (m_path.isEmpty())
        return;
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_pending = false;
    const QString path = m_path;
    CalibrationOptions options;
    options.aspect = m_aspect->currentData().toString();
    m_watcher.setFuture(QtConcurrent::run(workspacePool(), [path, options] {
        const IdlePriorityScope idle;
        Computed out;
        out.path = path;
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            out.report = JudgeCalibration(*ws).report(options);
            if (const auto choice = chooseJudge(*ws))
                out.judge = choice->describe();
        } catch (const std::exception &e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void CalibrationView::onComputed()
{
    Computed result = m_watcher.result();
    if (m_pending) {
        refresh();
        return;
    }
    if (result.path != m_path)
        return;
    if (!result.error.isEmpty()) {
        m_summary->setText(tr("The calibration could not be computed: %1").arg(result.error));
        return;
    }
    m_report = std::move(result.report);
    m_summary->setText(
        m_report.ratings == 0
            ? tr("No human ratings yet: answer rating questions in the Questions tab (or "
                 "crucible-cli inbox WS answer ID --rating aspect=4) and the judges' agreement "
                 "appears here.")
            : tr("%n human rating(s) behind these figures.", nullptr, m_report.ratings) +
                  (result.judge.isEmpty()
                       ? QString()
                       : tr(" A job without a named judge uses %1.").arg(result.judge)));
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(m_report.rows.size()));
    for (int row = 0; row < int(m_report.rows.size()); ++row) {
        const JudgeAspectCalibration &r = m_report.rows[size_t(row)];
        const QStringList cells{
            r.judgeName.isEmpty() ? r.judgeVersionId : r.judgeName,
            r.aspect,
            estimate(r.kappa),
            estimate(r.spearman),
            QString::number(r.kappa.n),
            QString::number(r.weight, 'f', 2),
            r.heldOutBefore.n > 0 || r.heldOutAfter.n > 0
                ? QStringLiteral("%1 → %2").arg(estimate(r.heldOutBefore), estimate(r.heldOutAfter))
                : QStringLiteral("–")};
        for (int c = 0; c < CColumns; ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    m_table->resizeColumnsToContents();
    if (!m_report.rows.empty() && m_table->currentRow() < 0)
        m_table->selectRow(0);
    showRow();
    emit computed();
}

void CalibrationView::showRow()
{
    m_chart->clear();
    const int row = m_table->currentRow();
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            m_confusion->setItem(i, j, new QTableWidgetItem());
    if (row < 0 || row >= int(m_report.rows.size()))
        return;
    const JudgeAspectCalibration &r = m_report.rows[size_t(row)];
    int most = 1;
    for (const auto &line : r.confusion)
        for (const int n : line)
            most = std::max(most, n);
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j) {
            const int n = r.confusion[size_t(i)][size_t(j)];
            auto *item = new QTableWidgetItem(n > 0 ? QString::number(n) : QString());
            item->setTextAlignment(Qt::AlignCenter);
            const int shade = 255 - 120 * n / most;
            item->setBackground(i == j ? QColor(shade, 255, shade) : QColor(255, shade, shade));
            m_confusion->setItem(i, j, item);
        }
    std::vector<QPointF> points;
    for (size_t i = 0; i < r.overTime.size(); ++i)
        points.emplace_back(double(i + 1), r.overTime[i].kappa);
    m_chart->setPoints(m_series, std::move(points));
    m_chart->flushNow();
}

QString CalibrationView::summaryText() const
{
    return m_summary->text();
}

} // namespace crucible
