#include "ui/feedback/inboxpanel.h"

#include "core/store/workspace.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace crucible {

using nlohmann::json;

namespace {

enum AnswerPage { RatingPage, ChoicePage, YesNoPage, TextPage };
enum HistoryColumn { HWhen, HQuestion, HStatus, HAnswer, HEffect, HColumns };
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kAnswerRole = Qt::UserRole + 2;

QString str(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"));
}

// The question's context as HTML: problem, solutions and judges side by side.
QString contextHtml(const FeedbackQuestion &q)
{
    const json &c = q.context;
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(esc(q.question));
    html += QStringLiteral("<p style='color:#555'>%1 · expected value %2 (uncertainty %3 × "
                           "impact %4)</p>")
                .arg(toString(q.kind))
                .arg(q.expectedValue, 0, 'f', 2)
                .arg(q.uncertainty, 0, 'f', 2)
                .arg(q.impact, 0, 'f', 0);
    QStringList columns;
    if (const auto p = c.find("problem"); p != c.end() && p->is_object()) {
        QString col = QStringLiteral("<h4>Problem %1</h4><p>%2</p>")
                          .arg(esc(str(*p, "id")), esc(str(*p, "statement")));
        for (const char *list : {"constraints", "criteria"})
            if (const auto l = p->find(list); l != p->end() && l->is_array() && !l->empty()) {
                col += QStringLiteral("<p><i>%1</i>:</p><ul>").arg(QString::fromLatin1(list));
                for (const json &item : *l)
                    if (item.is_string())
                        col += QStringLiteral("<li>%1</li>")
                                   .arg(esc(QString::fromStdString(item.get<std::string>())));
                col += QStringLiteral("</ul>");
            }
        columns << col;
    }
    if (const auto s = c.find("solutions"); s != c.end() && s->is_array()) {
        const char *labels[] = {"A", "B"};
        int n = 0;
        for (const json &sol : *s) {
            const QString label = s->size() == 2 && n < 2
                                      ? QStringLiteral("Solution %1 (%2)")
                                            .arg(QString::fromLatin1(labels[n]), str(sol, "id"))
                                      : QStringLiteral("Solution %1").arg(str(sol, "id"));
            columns
                << QStringLiteral("<h4>%1</h4><p>%2</p>").arg(esc(label), esc(str(sol, "excerpt")));
            ++n;
        }
    }
    if (const auto judges = c.find("judges"); judges != c.end() && judges->is_array()) {
        QString col = QStringLiteral("<h4>Judges</h4>");
        for (const json &j : *judges) {
            col += QStringLiteral("<p><b>%1</b> · overall %2 · confidence %3</p><ul>")
                       .arg(esc(str(j, "judge").isEmpty() ? str(j, "judge_version_id")
                                                          : str(j, "judge")))
                       .arg(j.value("overall", 0.0), 0, 'f', 2)
                       .arg(j.value("confidence", 0.0), 0, 'f', 2);
            const json scores = j.value("scores", json::object()); // items() must not dangle
            for (const auto &[aspect, s] : scores.items())
                col += QStringLiteral("<li>%1: <b>%2</b> — %3</li>")
                           .arg(esc(QString::fromStdString(aspect)))
                           .arg(s.value("score", 0.0), 0, 'f', 2)
                           .arg(esc(str(s, "rationale")));
            col += QStringLiteral("</ul>");
        }
        columns << col;
    }
    if (const auto item = c.find("rubric_item"); item != c.end() && item->is_object())
        html += QStringLiteral("<p><b>Rubric item</b> %1: %2</p>")
                    .arg(esc(str(*item, "aspect")), esc(str(*item, "description")));
    if (const QString rationale = str(c, "judge_rationale"); !rationale.isEmpty())
        html += QStringLiteral("<p><b>The judge said</b>: %1</p>").arg(esc(rationale));
    if (c.contains("verdict_ab"))
        html += QStringLiteral("<p>The judge said <b>%1</b> with A first and <b>%2</b> with B "
                               "first.</p>")
                    .arg(esc(str(c, "verdict_ab")), esc(str(c, "verdict_ba")));
    if (!columns.isEmpty()) {
        html += QStringLiteral("<table width='100%' cellspacing='6'><tr>");
        for (const QString &col : columns)
            html += QStringLiteral("<td valign='top' width='%1%'>%2</td>")
                        .arg(100 / columns.size())
                        .arg(col);
        html += QStringLiteral("</tr></table>");
    }
    return html;
}

// What an answer did, for people.
QString effectText(const FeedbackAnswer &a)
{
    QStringList parts;
    const json &e = a.effects;
    if (const auto j = e.find("judgments"); j != e.end() && j->is_array() && !j->empty())
        parts << InboxPanel::tr("%n rating(s) recorded", nullptr, int(j->size()));
    if (const auto r = e.find("resolved"); r != e.end() && r->is_array() && !r->empty()) {
        QStringList ids;
        for (const json &item : *r) // {"id", "reason"} per resolved question
            if (item.is_object())
                ids << QStringLiteral("%1: %2").arg(str(item, "id"), str(item, "reason"));
            else if (item.is_string())
                ids << QString::fromStdString(item.get<std::string>());
        parts << InboxPanel::tr("resolved %n other question(s) automatically (%1)", nullptr,
                                int(ids.size()))
                     .arg(ids.join(QStringLiteral("; ")));
    }
    if (const auto r = e.find("rubric"); r != e.end() && r->is_object())
        parts << InboxPanel::tr("rubric of %1 now version %2")
                     .arg(str(*r, "problem_id"), str(*r, "to_version"));
    if (const auto p = e.find("preference");
        p != e.end() && p->is_object() && p->contains("pair_id"))
        parts << InboxPanel::tr("human preference pair %1: %2 over %3 (the training export uses "
                                "it instead of the judges')")
                     .arg(str(*p, "pair_id"), str(*p, "chosen_solution_id"),
                          str(*p, "rejected_solution_id"));
    return parts.isEmpty() ? InboxPanel::tr("no other effect") : parts.join(QStringLiteral("; "));
}

} // namespace

InboxPanel::InboxPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("inboxPanel"));
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("inboxHeader"));
    m_header->setWordWrap(true);
    auto *newDigest = new QPushButton(tr("New &digest"), this);
    newDigest->setToolTip(tr("Make a new digest of the open questions worth most now"));
    connect(newDigest, &QPushButton::clicked, this, [this] { refresh(true); });
    auto *top = new QHBoxLayout();
    top->addWidget(m_header, 1);
    top->addWidget(newDigest);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("inboxQuestions"));
    m_list->setWordWrap(true);
    m_list->setMinimumWidth(160);
    m_list->installEventFilter(this);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { showQuestion(); });
    m_context = new QTextBrowser(this);
    m_context->setObjectName(QStringLiteral("inboxContext"));
    m_context->installEventFilter(this);

    // The answer controls, one page per kind of answer.
    m_answers = new QStackedWidget(this);
    m_ratingPage = new QWidget(m_answers);
    auto *ratingLayout = new QHBoxLayout(m_ratingPage);
    m_ratingText = new QLabel(m_ratingPage);
    m_ratingText->setTextFormat(Qt::RichText);
    m_ratingText->setWordWrap(true);
    ratingLayout->addWidget(m_ratingText, 1);
    for (int v = 1; v <= 5; ++v) {
        auto *b = new QPushButton(QString::number(v), m_ratingPage);
        b->setToolTip(tr("Rate the highlighted aspect %1 (key %1)").arg(v));
        b->setMaximumWidth(40);
        connect(b, &QPushButton::clicked, this, [this, v] { rate(v); });
        ratingLayout->addWidget(b);
    }
    auto *choicePage = new QWidget(m_answers);
    auto *choiceLayout = new QHBoxLayout(choicePage);
    for (const auto &[label, value] :
         {std::pair{tr("&A is better"), "a"}, std::pair{tr("&B is better"), "b"},
          std::pair{tr("&Tie"), "tie"}}) {
        auto *b = new QPushButton(label, choicePage);
        const QString v = QString::fromLatin1(value);
        connect(b, &QPushButton::clicked, this, [this, v] { choose(v); });
        choiceLayout->addWidget(b);
    }
    auto *yesNoPage = new QWidget(m_answers);
    auto *yesNoLayout = new QHBoxLayout(yesNoPage);
    auto *yes = new QPushButton(tr("&Yes"), yesNoPage);
    auto *no = new QPushButton(tr("&No"), yesNoPage);
    connect(yes, &QPushButton::clicked, this, [this] { answerYesNo(true); });
    connect(no, &QPushButton::clicked, this, [this] { answerYesNo(false); });
    yesNoLayout->addWidget(yes);
    yesNoLayout->addWidget(no);
    auto *textPage = new QWidget(m_answers);
    auto *textLayout = new QHBoxLayout(textPage);
    m_text = new QLineEdit(textPage);
    m_text->setObjectName(QStringLiteral("inboxText"));
    m_text->setPlaceholderText(tr("Your answer (Return sends), e.g. a criterion the rubric "
                                  "should check"));
    connect(m_text, &QLineEdit::returnPressed, this, [this] { answerText(m_text->text()); });
    textLayout->addWidget(m_text);
    m_answers->insertWidget(RatingPage, m_ratingPage);
    m_answers->insertWidget(ChoicePage, choicePage);
    m_answers->insertWidget(YesNoPage, yesNoPage);
    m_answers->insertWidget(TextPage, textPage);

    auto *skipButton = new QPushButton(tr("&Skip"), this);
    skipButton->setToolTip(tr("Next question, leaving this one open (s)"));
    connect(skipButton, &QPushButton::clicked, this, &InboxPanel::skip);
    auto *snoozeButton = new QPushButton(tr("Snoo&ze a day"), this);
    snoozeButton->setToolTip(tr("Ask again tomorrow (z)"));
    connect(snoozeButton, &QPushButton::clicked, this, &InboxPanel::snooze);
    auto *dismissButton = new QPushButton(tr("Dis&miss"), this);
    dismissButton->setToolTip(tr("Never ask this (Del)"));
    connect(dismissButton, &QPushButton::clicked, this, &InboxPanel::dismiss);
    auto *actions = new QHBoxLayout();
    actions->addWidget(skipButton);
    actions->addWidget(snoozeButton);
    actions->addWidget(dismissButton);
    actions->addStretch();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("inboxStatus"));
    m_status->setWordWrap(true);
    auto *hint = new QLabel(tr("1–5 rate · a/b/t choose · y/n · j/k next/previous · s skip · "
                               "z snooze · Del dismiss"),
                            this);
    hint->setStyleSheet(QStringLiteral("color: #666"));
    hint->setWordWrap(true);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_context, 1);
    rightLayout->addWidget(m_answers);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(hint);
    rightLayout->addWidget(m_status);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);

    m_history = new QTableWidget(0, HColumns, this);
    m_history->setObjectName(QStringLiteral("inboxHistory"));
    m_history->setHorizontalHeaderLabels(
        {tr("When"), tr("Question"), tr("Status"), tr("Answer"), tr("Effect")});
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setSelectionMode(QAbstractItemView::SingleSelection);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_undo = new QPushButton(tr("&Undo answer"), this);
    m_undo->setToolTip(tr("Revert the selected answer: its ratings, its rubric criterion, and "
                          "the questions it resolved reopen"));
    connect(m_undo, &QPushButton::clicked, this, &InboxPanel::undoSelectedAnswer);
    auto *historyPage = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyPage);
    historyLayout->addWidget(m_history, 1);
    historyLayout->addWidget(m_undo, 0, Qt::AlignLeft);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(split, tr("Questions"));
    m_tabs->addTab(historyPage, tr("History"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    setWorkspace(nullptr);
}

void InboxPanel::addPage(QWidget *page, const QString &title)
{
    m_tabs->addTab(page, title);
}

void InboxPanel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    m_questions.clear();
    m_list->clear();
    m_history->setRowCount(0);
    m_context->clear();
    setStatus({});
    setEnabled(ws != nullptr);
    if (ws)
        refresh();
    else
        m_header->setText(tr("Open a workspace to see its feedback inbox."));
}

void InboxPanel::refresh(bool newDigest)
{
    if (!m_ws)
        return;
    const QString keep = currentQuestionId();
    try {
        FeedbackCollector collector(*m_ws);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const DigestView d = collector.digest(now, newDigest && !m_ws->isReadOnly());
        m_questions = d.questions;
        m_open = d.open;
        m_header->setText(
            m_questions.empty()
                ? (d.open > 0
                       ? tr("%n question(s) open; none in this digest. The next digest "
                            "is due %1, or make one now.",
                            nullptr, d.open)
                             .arg(QLocale().toString(d.nextAt.toLocalTime(), QLocale::ShortFormat))
                       : tr("Nothing to answer. Questions appear here when judges "
                            "disagree, are unsure, sit at the accept threshold or "
                            "cannot score something (after an evaluation or a "
                            "tournament)."))
                : tr("Digest of %1 · %n open in all · next digest %2", nullptr, d.open)
                      .arg(m_questions.size())
                      .arg(QLocale().toString(d.nextAt.toLocalTime(), QLocale::ShortFormat)));
    } catch (const std::exception &e) {
        m_questions.clear();
        m_open = 0;
        m_header->setText(tr("The inbox could not be read: %1. Reopen the workspace.")
                              .arg(QString::fromUtf8(e.what())));
    }
    {
        const QSignalBlocker block(m_list);
        m_list->clear();
        int row = 0;
        for (const FeedbackQuestion &q : m_questions) {
            auto *item = new QListWidgetItem(
                QStringLiteral("%1 · %2%3\n%4")
                    .arg(q.expectedValue, 0, 'f', 2)
                    .arg(toString(q.kind),
                         q.aspect.isEmpty() ? QString() : QStringLiteral(" · ") + q.aspect,
                         q.question.left(140)),
                m_list);
            item->setData(kIdRole, q.id);
            item->setToolTip(q.question);
            if (q.id == keep)
                row = m_list->count() - 1;
        }
        if (m_list->count() > 0)
            m_list->setCurrentRow(row);
    }
    showQuestion();
    fillHistory();
    emit openCountChanged(m_open);
}

const FeedbackQuestion *InboxPanel::current() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < int(m_questions.size()) ? &m_questions[size_t(row)] : nullptr;
}

QString InboxPanel::currentQuestionId() const
{
    const FeedbackQuestion *q = current();
    return q ? q->id : QString();
}

QString InboxPanel::contextText() const
{
    return m_context->toPlainText();
}

QString InboxPanel::statusText() const
{
    return m_status->text();
}

int InboxPanel::pendingRating(const QString &aspect) const
{
    const auto it = m_ratings.find(aspect);
    return it == m_ratings.end() ? 0 : it->second;
}

void InboxPanel::showQuestion()
{
    m_ratings.clear();
    m_aspect = 0;
    const FeedbackQuestion *q = current();
    m_answers->setEnabled(q != nullptr);
    if (!q) {
        m_context->clear();
        return;
    }
    m_context->setHtml(contextHtml(*q));
    showAnswerControls(*q);
}

void InboxPanel::showAnswerControls(const FeedbackQuestion &q)
{
    switch (q.answerType) {
    case AnswerType::Rating: {
        m_answers->setCurrentIndex(RatingPage);
        QStringList parts;
        const QStringList aspects = q.ratedAspects();
        for (int i = 0; i < aspects.size(); ++i) {
            const int r = pendingRating(aspects[i]);
            const QString text = QStringLiteral("%1: %2").arg(
                aspects[i], r > 0 ? QString::number(r) : QStringLiteral("_"));
            parts << (i == m_aspect ? QStringLiteral("<b><u>%1</u></b>").arg(text) : text);
        }
        m_ratingText->setText(tr("Rate 1–5: %1").arg(parts.join(QStringLiteral(" · "))));
        break;
    }
    case AnswerType::Choice:
        m_answers->setCurrentIndex(ChoicePage);
        break;
    case AnswerType::YesNo:
        m_answers->setCurrentIndex(YesNoPage);
        break;
    case AnswerType::Text:
        m_answers->setCurrentIndex(TextPage);
        m_text->clear();
        break;
    }
}

void InboxPanel::rate(int value)
{
    const FeedbackQuestion *q = current();
    if (!q || q->answerType != AnswerType::Rating || value < 1 || value > 5)
        return;
    const QStringList aspects = q->ratedAspects();
    if (aspects.isEmpty())
        return;
    m_ratings[aspects[std::min<qsizetype>(m_aspect, aspects.size() - 1)]] = value;
    // The next aspect not rated yet; all rated: send.
    for (int step = 1; step <= aspects.size(); ++step) {
        const int i = (m_aspect + step) % int(aspects.size());
        if (!m_ratings.count(aspects[i])) {
            m_aspect = i;
            showAnswerControls(*q);
            return;
        }
    }
    AnswerValue v;
    v.type = AnswerType::Rating;
    v.ratings = m_ratings;
    send(v);
}

void InboxPanel::choose(const QString &choice)
{
    const FeedbackQuestion *q = current();
    if (!q || q->answerType != AnswerType::Choice)
        return;
    AnswerValue v;
    v.type = AnswerType::Choice;
    v.choice = choice;
    send(v);
}

void InboxPanel::answerYesNo(bool yes)
{
    const FeedbackQuestion *q = current();
    if (!q || q->answerType != AnswerType::YesNo)
        return;
    AnswerValue v;
    v.type = AnswerType::YesNo;
    v.yes = yes;
    send(v);
}

void InboxPanel::answerText(const QString &text)
{
    const FeedbackQuestion *q = current();
    if (!q || q->answerType != AnswerType::Text)
        return;
    AnswerValue v;
    v.type = AnswerType::Text;
    v.text = text.trimmed();
    send(v);
}

void InboxPanel::send(const AnswerValue &value)
{
    const FeedbackQuestion *q = current();
    if (!q || !m_ws)
        return;
    const QString id = q->id;
    try {
        const FeedbackAnswer a = FeedbackCollector(*m_ws).answer(id, value);
        setStatus(tr("Answered %1 (%2): %3.").arg(id, value.describe(), effectText(a)));
        emit answered();
    } catch (const FeedbackError &e) {
        // Answered in another window, resolved meanwhile, a bad value: say so and show the
        // inbox as it is now.
        setStatus(tr("Not recorded: %1").arg(e.message()), true);
    } catch (const std::exception &e) {
        setStatus(tr("Not recorded: %1. Nothing was changed; try again.")
                      .arg(QString::fromUtf8(e.what())),
                  true);
    }
    refresh();
}

void InboxPanel::skip()
{
    if (m_list->count() > 0)
        m_list->setCurrentRow((m_list->currentRow() + 1) % m_list->count());
}

void InboxPanel::snooze()
{
    const FeedbackQuestion *q = current();
    if (!q || !m_ws)
        return;
    const QString id = q->id;
    try {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        FeedbackCollector(*m_ws).snooze(id, now.addDays(1), now);
        setStatus(tr("Snoozed %1 until tomorrow.").arg(id));
    } catch (const std::exception &e) {
        setStatus(tr("Could not snooze %1: %2").arg(id, QString::fromUtf8(e.what())), true);
    }
    refresh();
}

void InboxPanel::dismiss()
{
    const FeedbackQuestion *q = current();
    if (!q || !m_ws)
        return;
    const QString id = q->id;
    try {
        FeedbackCollector(*m_ws).dismiss(id);
        setStatus(tr("Dismissed %1; it stays in the history.").arg(id));
    } catch (const std::exception &e) {
        setStatus(tr("Could not dismiss %1: %2").arg(id, QString::fromUtf8(e.what())), true);
    }
    refresh();
}

void InboxPanel::fillHistory()
{
    m_history->setRowCount(0);
    if (!m_ws)
        return;
    try {
        FeedbackCollector collector(*m_ws);
        std::map<QString, FeedbackAnswer> byId;
        for (FeedbackAnswer &a : collector.answers())
            byId.emplace(a.id, std::move(a));
        const auto history = collector.history();
        m_history->setRowCount(int(history.size()));
        for (int row = 0; row < int(history.size()); ++row) {
            const FeedbackQuestion &q = history[size_t(row)];
            QString answer;
            QString effect;
            QString answerId;
            if (q.status == QuestionStatus::Answered)
                answerId = q.answerId;
            if (const auto it = byId.find(q.answerId); it != byId.end()) {
                answer = it->second.value.describe();
                effect = effectText(it->second);
            } else if (q.status == QuestionStatus::Resolved) {
                effect = tr("resolved by answer %1").arg(q.resolvedBy);
            }
            const QStringList cells{
                QLocale().toString(q.updatedAt.toLocalTime(), QLocale::ShortFormat), q.question,
                toString(q.status), answer, effect};
            for (int c = 0; c < HColumns; ++c) {
                auto *item = new QTableWidgetItem(cells[c]);
                item->setData(kIdRole, q.id);
                item->setData(kAnswerRole, answerId);
                item->setToolTip(cells[c]);
                m_history->setItem(row, c, item);
            }
        }
    } catch (const std::exception &e) {
        setStatus(tr("The history could not be read: %1").arg(QString::fromUtf8(e.what())), true);
    }
    m_history->resizeColumnToContents(HWhen);
    m_history->resizeColumnToContents(HStatus);
}

void InboxPanel::undoSelectedAnswer()
{
    const int row = m_history->currentRow();
    const QTableWidgetItem *item = row >= 0 ? m_history->item(row, HWhen) : nullptr;
    const QString answerId = item ? item->data(kAnswerRole).toString() : QString();
    if (answerId.isEmpty() || !m_ws) {
        setStatus(tr("Select an answered question in the history to undo its answer."), true);
        return;
    }
    try {
        const FeedbackAnswer a = FeedbackCollector(*m_ws).undo(answerId);
        setStatus(tr("Undid answer %1 (%2): its question and the ones it resolved are open "
                     "again.")
                      .arg(a.id, a.value.describe()));
        emit answered();
    } catch (const std::exception &e) {
        setStatus(tr("Could not undo %1: %2").arg(answerId, QString::fromUtf8(e.what())), true);
    }
    refresh();
}

void InboxPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
}

bool InboxPanel::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_list || watched == m_context) && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier))
            return QWidget::eventFilter(watched, event);
        switch (key->key()) {
        case Qt::Key_1:
        case Qt::Key_2:
        case Qt::Key_3:
        case Qt::Key_4:
        case Qt::Key_5:
            rate(key->key() - Qt::Key_0);
            return true;
        case Qt::Key_A:
            choose(QStringLiteral("a"));
            return true;
        case Qt::Key_B:
            choose(QStringLiteral("b"));
            return true;
        case Qt::Key_T:
            choose(QStringLiteral("tie"));
            return true;
        case Qt::Key_Y:
            answerYesNo(true);
            return true;
        case Qt::Key_N:
            answerYesNo(false);
            return true;
        case Qt::Key_J:
            if (m_list->currentRow() + 1 < m_list->count())
                m_list->setCurrentRow(m_list->currentRow() + 1);
            return true;
        case Qt::Key_K:
            if (m_list->currentRow() > 0)
                m_list->setCurrentRow(m_list->currentRow() - 1);
            return true;
        case Qt::Key_S:
            skip();
            return true;
        case Qt::Key_Z:
            snooze();
            return true;
        case Qt::Key_Delete:
            dismiss();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace crucible
