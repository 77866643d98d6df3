#include "ui/review/solutionreviewpanel.h"

#include "core/evaluate/rubric.h"
#include "ui/models/solutionreviewmodel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUndoStack>
#include <QVBoxLayout>

namespace crucible {

namespace {

constexpr int kCardWidth = 430;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString scoreColor(double score)
{
    if (score >= 0.75)
        return QStringLiteral("#1b7f3b");
    if (score >= SolutionReviewModel::kLowScore)
        return QStringLiteral("#8a6d00");
    return QStringLiteral("#b00020");
}

QString stars(const std::optional<int> &rating)
{
    if (!rating)
        return SolutionReviewPanel::tr("skipped");
    return QString(*rating, QChar(0x2605)) + QString(5 - *rating, QChar(0x2606));
}

// One change of a human judgment: undo puts back what was there, redo what was set.
class JudgmentCommand final : public QUndoCommand
{
public:
    JudgmentCommand(SolutionReviewPanel *panel, QString solutionId, QString aspect,
                    std::optional<HumanJudgment> before, std::optional<HumanJudgment> after,
                    const QString &text)
        : QUndoCommand(text)
        , m_panel(panel)
        , m_solutionId(std::move(solutionId))
        , m_aspect(std::move(aspect))
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void undo() override
    {
        m_panel->applyJudgment(m_solutionId, m_aspect, m_before,
                               QObject::tr("Undone: %1").arg(text()));
    }
    void redo() override
    {
        if (m_done) // pushed after the change was made
            m_panel->applyJudgment(m_solutionId, m_aspect, m_after,
                                   QObject::tr("Redone: %1").arg(text()));
        m_done = true;
    }

private:
    SolutionReviewPanel *m_panel;
    QString m_solutionId;
    QString m_aspect;
    std::optional<HumanJudgment> m_before;
    std::optional<HumanJudgment> m_after;
    bool m_done = false;
};

} // namespace

SolutionReviewPanel::SolutionReviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new SolutionReviewModel(this))
    , m_problem(new QComboBox(this))
    , m_filter(new QComboBox(this))
    , m_progress(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_cardsHost(new QWidget(m_scroll))
    , m_cards(new QHBoxLayout(m_cardsHost))
    , m_ratings(new QTableWidget(this))
    , m_note(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("solutionReviewPanel"));
    setFocusPolicy(Qt::StrongFocus);
    m_problem->setObjectName(QStringLiteral("reviewProblem"));
    m_problem->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_problem->setMinimumContentsLength(30);
    m_filter->setObjectName(QStringLiteral("reviewFilter"));
    m_filter->addItem(tr("All solutions"), static_cast<int>(SolutionReviewModel::Filter::All));
    m_filter->addItem(tr("Unreviewed"), static_cast<int>(SolutionReviewModel::Filter::Unreviewed));
    m_filter->addItem(tr("Low score (< %1)").arg(SolutionReviewModel::kLowScore),
                      static_cast<int>(SolutionReviewModel::Filter::LowScore));
    m_filter->addItem(tr("Judges disagree"),
                      static_cast<int>(SolutionReviewModel::Filter::JudgesDisagree));

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Problem:"), this));
    top->addWidget(m_problem, 1);
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_filter);
    top->addWidget(m_progress);

    m_cards->setContentsMargins(4, 4, 4, 4);
    m_cards->setSpacing(8);
    m_cards->addStretch(1);
    m_scroll->setWidget(m_cardsHost);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFocusPolicy(Qt::NoFocus);

    m_ratings->setObjectName(QStringLiteral("reviewRatings"));
    m_ratings->setColumnCount(4);
    m_ratings->setHorizontalHeaderLabels(
        {tr("Aspect"), tr("Judges"), tr("Your rating"), tr("Note")});
    m_ratings->horizontalHeader()->setStretchLastSection(true);
    m_ratings->verticalHeader()->hide();
    m_ratings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ratings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_ratings->setSelectionMode(QAbstractItemView::SingleSelection);
    m_ratings->setFocusPolicy(Qt::NoFocus);
    m_note->setObjectName(QStringLiteral("reviewNote"));
    m_note->setPlaceholderText(tr("Note on the current aspect (E to edit, Enter to store)"));
    m_note->installEventFilter(this);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setWordWrap(true);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_ratings, 1);
    bottomLayout->addWidget(m_note);
    bottomLayout->addWidget(m_status);

    // Cards on the left get the dock's full height (solutions are what a reviewer reads); the
    // aspects, the note and the keys sit in a column on the right.
    bottom->setMinimumWidth(300);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_scroll);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({3000, 1000});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_problem, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            setProblem(m_problem->itemData(index).toString());
    });
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_model->setFilter(
            static_cast<SolutionReviewModel::Filter>(m_filter->itemData(index).toInt()));
        setFocus();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &SolutionReviewPanel::rebuildCards);
    updateStatus();
}

void SolutionReviewPanel::setWorkspace(Workspace *ws)
{
    m_undo->clear();
    m_model->setWorkspace(ws);
    reloadProblems();
}

void SolutionReviewPanel::reloadProblems()
{
    const QString keep = m_model->problemId();
    const QSignalBlocker block(m_problem);
    m_problem->clear();
    for (const auto &[id, statement] : m_model->problems()) {
        const QString label =
            statement.size() > 90 ? statement.left(89) + QChar(0x2026) : statement;
        m_problem->addItem(QStringLiteral("%1 — %2").arg(id, label), id);
    }
    int index = m_problem->findData(keep);
    if (index < 0 && m_problem->count() > 0)
        index = 0;
    m_problem->setCurrentIndex(index);
    if (index >= 0)
        m_model->setProblem(m_problem->itemData(index).toString());
    else
        m_model->setProblem({});
    updateStatus();
}

void SolutionReviewPanel::setProblem(const QString &problemId)
{
    const int index = m_problem->findData(problemId);
    if (index >= 0 && index != m_problem->currentIndex()) {
        const QSignalBlocker block(m_problem);
        m_problem->setCurrentIndex(index);
    }
    if (index < 0 && !problemId.isEmpty()) {
        m_status->setText(tr("Problem %1 has no solutions yet: solve it first (Evaluate → "
                             "Solve…).")
                              .arg(problemId));
        return;
    }
    if (problemId != m_model->problemId())
        m_undo->clear(); // undo is per problem shown
    m_model->setProblem(problemId);
}

void SolutionReviewPanel::refresh()
{
    const QString solution = currentSolutionId();
    const int aspect = m_aspect;
    reloadProblems();
    m_model->reload();
    const int row = m_model->rowOf(solution);
    setCurrent(row >= 0 ? row : (m_model->rowCount() > 0 ? 0 : -1), aspect);
}

QString SolutionReviewPanel::currentAspect() const
{
    const QStringList &aspects = m_model->aspects();
    return m_aspect >= 0 && m_aspect < aspects.size() ? aspects[m_aspect] : QString();
}

QString SolutionReviewPanel::currentSolutionId() const
{
    return m_row >= 0 && m_row < m_model->rowCount() ? m_model->entry(m_row).solution.id
                                                     : QString();
}

QString SolutionReviewPanel::statusText() const
{
    return m_status->text();
}

QTextBrowser *SolutionReviewPanel::card(int row) const
{
    return row >= 0 && row < static_cast<int>(m_cardViews.size())
               ? m_cardViews[static_cast<std::size_t>(row)]
               : nullptr;
}

void SolutionReviewPanel::rebuildCards()
{
    for (QTextBrowser *v : m_cardViews)
        delete v;
    m_cardViews.clear();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        auto *view = new QTextBrowser(m_cardsHost);
        view->setObjectName(QStringLiteral("reviewCard%1").arg(row));
        view->setMinimumWidth(kCardWidth);
        view->setMaximumWidth(kCardWidth + 120);
        view->setFocusPolicy(Qt::NoFocus);
        view->setOpenLinks(false);
        view->viewport()->installEventFilter(this);
        m_cards->insertWidget(row, view);
        m_cardViews.push_back(view);
    }
    const int row = m_model->rowCount() > 0 ? std::clamp(m_row, 0, m_model->rowCount() - 1) : -1;
    m_row = -2; // force the update
    setCurrent(row, std::clamp(m_aspect, 0, std::max(0, int(m_model->aspects().size()) - 1)));
}

QString SolutionReviewPanel::cardHtml(int row) const
{
    const auto &e = m_model->entry(row);
    const Solution &s = e.solution;
    QString h;
    h += QStringLiteral("<h3 style='margin:0'>%1</h3>").arg(esc(s.id));
    h += tr("<p style='color:#555'>%1 · %2").arg(esc(e.agentName), toString(s.stage));
    if (!s.refinedFrom.isEmpty())
        h += tr(" · refines %1").arg(esc(s.refinedFrom));
    h += QStringLiteral(" · %1 chars</p>").arg(s.textLength());
    if (e.overall)
        h += tr("<p><b>Overall <span style='color:%1'>%2</span></b>")
                 .arg(scoreColor(*e.overall))
                 .arg(*e.overall, 0, 'f', 2);
    else
        h += tr("<p><i>Not evaluated yet</i>");
    if (e.agreement.disagree())
        h += tr(" · <span style='color:#b00020'>judges disagree on %1 (spread %2)</span>")
                 .arg(esc(e.agreement.widestAspect))
                 .arg(e.agreement.maxSpread, 0, 'f', 2);
    h += QStringLiteral("</p>");
    h += tr("<p><b>Approach</b><br>%1</p>").arg(esc(s.body.approach));
    if (!s.body.steps.isEmpty()) {
        h += tr("<p><b>Steps</b></p><ol>");
        for (const QString &step : s.body.steps)
            h += QStringLiteral("<li>%1</li>").arg(esc(step));
        h += QStringLiteral("</ol>");
    }
    h += tr("<p><b>Final answer</b><br>%1</p>")
             .arg(s.body.finalAnswer.isEmpty() ? tr("<i style='color:#b00020'>missing</i>")
                                               : esc(s.body.finalAnswer));
    if (!s.body.assumptions.isEmpty()) {
        h += tr("<p><b>Assumptions</b></p><ul>");
        for (const QString &a : s.body.assumptions)
            h += QStringLiteral("<li>%1</li>").arg(esc(a));
        h += QStringLiteral("</ul>");
    }
    for (const Critique &c : e.critiques) {
        h += tr("<hr><p><b>Critique</b> (%1) · verdict <b>%2</b><br>%3</p>")
                 .arg(esc(c.id), esc(c.verdict), esc(c.summary));
        if (!c.issues.empty()) {
            h += QStringLiteral("<ul>");
            for (const CritiqueIssue &i : c.issues)
                h += QStringLiteral("<li><b>%1</b> %2: %3 <i>%4</i></li>")
                         .arg(esc(i.severity), esc(i.criterion), esc(i.description),
                              esc(i.suggestion));
            h += QStringLiteral("</ul>");
        }
    }
    for (const Verdict &v : e.verdicts) {
        h += tr("<hr><p><b>Verdict</b> %1 · judge %2 · rubric %3")
                 .arg(esc(v.id),
                      esc(v.judgeVersionId.isEmpty() ? tr("checks only") : v.judgeVersionId),
                      esc(v.rubricVersion));
        if (v.confidence)
            h += tr(" · confidence %1").arg(*v.confidence, 0, 'f', 2);
        if (v.novelty)
            h += tr(" · measured novelty %1").arg(*v.novelty, 0, 'f', 2);
        h += QStringLiteral("</p>");
        if (!v.ok())
            h += tr("<p style='color:#b00020'>Failed: %1</p>").arg(esc(v.error));
        if (!v.scores.aspects.empty()) {
            h += QStringLiteral("<table cellspacing='2'>");
            for (const auto &[aspect, score] : v.scores.aspects)
                h += QStringLiteral("<tr><td><b>%1</b></td><td style='color:%2'>%3</td>"
                                    "<td>%4</td></tr>")
                         .arg(esc(aspect), scoreColor(score.score))
                         .arg(score.score, 0, 'f', 2)
                         .arg(esc(score.rationale));
            h += QStringLiteral("</table>");
        }
        QStringList failed;
        for (const auto &[name, c] : v.checks)
            if (!c.passed)
                failed << QStringLiteral("%1: %2").arg(esc(name), esc(c.detail));
        if (!v.checks.empty())
            h += failed.isEmpty()
                     ? tr("<p style='color:#1b7f3b'>All %1 checks passed</p>").arg(v.checks.size())
                     : tr("<p style='color:#b00020'>Checks failed:<br>%1</p>")
                           .arg(failed.join(QStringLiteral("<br>")));
    }
    return h;
}

void SolutionReviewPanel::updateCard(int row)
{
    QTextBrowser *view = card(row);
    if (!view)
        return;
    const int scroll = view->verticalScrollBar()->value();
    view->setHtml(cardHtml(row));
    view->verticalScrollBar()->setValue(scroll);
    view->setStyleSheet(row == m_row ? QStringLiteral("QTextBrowser { border: 2px solid #2a6ad0; }")
                                     : QStringLiteral("QTextBrowser { border: 1px solid #bbb; }"));
}

void SolutionReviewPanel::setCurrent(int row, int aspect)
{
    const int previous = m_row;
    m_row = row;
    m_aspect = aspect;
    if (previous == -2) {
        for (int r = 0; r < m_model->rowCount(); ++r)
            updateCard(r);
    } else {
        if (previous != row)
            updateCard(previous);
        updateCard(row);
    }
    if (QTextBrowser *view = card(row))
        m_scroll->ensureWidgetVisible(view, 8, 0);
    updateRatingTable();
    updateStatus();
}

void SolutionReviewPanel::updateRatingTable()
{
    const QStringList &aspects = m_model->aspects();
    m_ratings->setRowCount(m_row >= 0 ? static_cast<int>(aspects.size()) : 0);
    if (m_row < 0)
        return;
    const auto &e = m_model->entry(m_row);
    for (int i = 0; i < aspects.size(); ++i) {
        const QString &aspect = aspects[i];
        QStringList judged;
        for (const Verdict &v : e.verdicts)
            if (const auto it = v.scores.aspects.find(aspect); it != v.scores.aspects.end())
                judged << QString::number(it->second.score, 'f', 2);
        QString rating = tr("—");
        QString note;
        if (const auto it = e.judgments.find(aspect); it != e.judgments.end()) {
            rating = stars(it->second.rating);
            note = it->second.note;
        }
        const QString cells[] = {aspect, judged.isEmpty() ? tr("—") : judged.join(u" / "), rating,
                                 note};
        for (int c = 0; c < 4; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(c == 0 ? Rubric::describeAspect(aspect) : cells[c]);
            m_ratings->setItem(i, c, item);
        }
    }
    m_ratings->resizeColumnsToContents();
    if (m_aspect >= 0 && m_aspect < m_ratings->rowCount())
        m_ratings->selectRow(m_aspect);
    const auto it = e.judgments.find(currentAspect());
    m_note->setText(it != e.judgments.end() ? it->second.note : QString());
}

void SolutionReviewPanel::updateStatus()
{
    m_progress->setText(
        tr("%1 of %2 reviewed").arg(m_model->reviewedCount()).arg(m_model->totalCount()));
    if (!m_model->workspace()) {
        m_status->setText(tr("Open a workspace to review its solutions."));
        return;
    }
    if (m_problem->count() == 0) {
        m_status->setText(tr("No solutions yet. Select a problem or dataset and use Evaluate → "
                             "Solve… (Ctrl+Alt+S), then Evaluate… (Ctrl+Alt+E)."));
        return;
    }
    if (m_model->rowCount() == 0) {
        m_status->setText(tr("No solution of this problem matches the filter."));
        return;
    }
    m_status->setText(
        tr("Solution %1 of %2 · aspect %3 (%4). Keys: 1–5 rate and move on · S skip · ↑/↓ "
           "aspect · ←/→ solution · E note · Ctrl+Z undo")
            .arg(m_row + 1)
            .arg(m_model->rowCount())
            .arg(currentAspect(), Rubric::describeAspect(currentAspect())));
}

void SolutionReviewPanel::nextSolution()
{
    if (m_row + 1 < m_model->rowCount())
        setCurrent(m_row + 1, 0);
}

void SolutionReviewPanel::previousSolution()
{
    if (m_row > 0)
        setCurrent(m_row - 1, 0);
}

void SolutionReviewPanel::nextAspect()
{
    if (m_aspect + 1 < m_model->aspects().size())
        setCurrent(m_row, m_aspect + 1);
}

void SolutionReviewPanel::previousAspect()
{
    if (m_aspect > 0)
        setCurrent(m_row, m_aspect - 1);
}

void SolutionReviewPanel::rateCurrent(std::optional<int> rating)
{
    if (m_row < 0 || currentAspect().isEmpty())
        return;
    QString error;
    const QString solution = currentSolutionId();
    const QString aspect = currentAspect();
    const int aspectCount = static_cast<int>(m_model->aspects().size());
    std::optional<HumanJudgment> before = storedJudgment(solution, aspect);
    if (!m_model->rate(m_row, aspect, rating, {}, &error)) {
        m_status->setText(tr("Could not store the rating of %1: %2").arg(solution, error));
        emit errorOccurred(m_status->text());
        return;
    }
    recordChange(solution, aspect, std::move(before),
                 rating ? tr("%1 of %2 rated %3").arg(aspect, solution).arg(*rating)
                        : tr("%1 of %2 skipped").arg(aspect, solution));
    // The last aspect moves on to the next solution (the filter may have dropped this one).
    int row = m_model->rowOf(solution);
    int aspectAfter = m_aspect + 1;
    if (aspectAfter >= aspectCount) {
        aspectAfter = 0;
        if (row + 1 < m_model->rowCount())
            ++row;
    }
    updateCard(m_row);
    setCurrent(row, aspectAfter);
}

std::optional<HumanJudgment> SolutionReviewPanel::storedJudgment(const QString &solutionId,
                                                                 const QString &aspect) const
{
    const int row = m_model->rowOf(solutionId);
    if (row < 0)
        return std::nullopt;
    const auto &judgments = m_model->entry(row).judgments;
    const auto it = judgments.find(aspect);
    if (it == judgments.end())
        return std::nullopt;
    return it->second;
}

void SolutionReviewPanel::recordChange(const QString &solutionId, const QString &aspect,
                                       std::optional<HumanJudgment> before, const QString &what)
{
    m_undo->push(new JudgmentCommand(this, solutionId, aspect, std::move(before),
                                     storedJudgment(solutionId, aspect), what));
}

void SolutionReviewPanel::applyJudgment(const QString &solutionId, const QString &aspect,
                                        const std::optional<HumanJudgment> &judgment,
                                        const QString &what)
{
    QString error;
    if (!m_model->restoreJudgment(solutionId, aspect, judgment, &error)) {
        m_status->setText(tr("Could not change the rating of %1: %2").arg(solutionId, error));
        emit errorOccurred(m_status->text());
        return;
    }
    const int row = m_model->rowOf(solutionId);
    if (row >= 0) {
        updateCard(row);
        setCurrent(row, std::max(0, static_cast<int>(m_model->aspects().indexOf(aspect))));
    }
    updateStatus();
    m_status->setText(what + QStringLiteral(" · ") + m_status->text());
}

bool SolutionReviewPanel::event(QEvent *event)
{
    // Ctrl+Z here undoes a rating, not the window's last problem edit.
    if (event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

void SolutionReviewPanel::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Undo)) {
        if (m_undo->canUndo())
            m_undo->undo();
        else
            m_status->setText(tr("Nothing to undo for this problem."));
        return;
    }
    if (event->matches(QKeySequence::Redo)) {
        if (m_undo->canRedo())
            m_undo->redo();
        return;
    }
    const int key = event->key();
    if (key >= Qt::Key_1 && key <= Qt::Key_5 && event->modifiers() == Qt::NoModifier) {
        rateCurrent(key - Qt::Key_0);
        return;
    }
    switch (key) {
    case Qt::Key_S:
    case Qt::Key_0:
        rateCurrent(std::nullopt);
        return;
    case Qt::Key_Right:
    case Qt::Key_N:
        nextSolution();
        return;
    case Qt::Key_Left:
    case Qt::Key_P:
        previousSolution();
        return;
    case Qt::Key_Down:
    case Qt::Key_J:
        nextAspect();
        return;
    case Qt::Key_Up:
    case Qt::Key_K:
        previousAspect();
        return;
    case Qt::Key_E:
        if (m_row >= 0) {
            m_note->setFocus();
            m_note->selectAll();
        }
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

bool SolutionReviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_note && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            QString error;
            if (m_row >= 0) {
                const QString solution = currentSolutionId();
                const QString aspect = currentAspect();
                std::optional<HumanJudgment> before = storedJudgment(solution, aspect);
                if (m_model->setNote(m_row, aspect, m_note->text(), &error))
                    recordChange(solution, aspect, std::move(before),
                                 tr("note on %1 of %2").arg(aspect, solution));
                else
                    m_status->setText(tr("Could not store the note: %1").arg(error));
            }
            updateCard(m_row);
            updateRatingTable();
            setFocus();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            updateRatingTable();
            setFocus();
            return true;
        }
    }
    if (event->type() == QEvent::MouseButtonPress)
        for (int r = 0; r < static_cast<int>(m_cardViews.size()); ++r)
            if (m_cardViews[static_cast<std::size_t>(r)]->viewport() == watched) {
                setCurrent(r, m_aspect);
                setFocus();
                break;
            }
    return QWidget::eventFilter(watched, event);
}

} // namespace crucible
