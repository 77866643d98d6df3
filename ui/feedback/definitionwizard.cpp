#include "ui/feedback/definitionwizard.h"

#include "ui/llm/llmenginehost.h"
#include "ui/llm/providerbox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace crucible {

using nlohmann::json;

namespace {

QString qs(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

} // namespace

DefinitionWizard::DefinitionWizard(LlmEngineHost *host, QWidget *parent)
    : QDialog(parent)
    , m_host(host)
{
    setWindowTitle(tr("Define a problem"));
    setObjectName(QStringLiteral("definitionWizard"));
    resize(1100, 720);
    auto *form = new QFormLayout();
    m_domain = new QLineEdit(this);
    m_domain->setPlaceholderText(tr("e.g. hospital nurse scheduling"));
    form->addRow(tr("&Domain:"), m_domain);
    m_statement = new QPlainTextEdit(this);
    m_statement->setPlaceholderText(tr("The problem in your own words, roughly: what has to be "
                                       "decided or produced, for whom, under what limits"));
    m_statement->setMaximumHeight(80);
    form->addRow(tr("&Statement:"), m_statement);
    m_provider = new QComboBox(this);
    auto *providerRow = new QHBoxLayout();
    providerRow->addWidget(m_provider, 1);
    m_start = new QPushButton(tr("&Ask me questions"), this);
    m_start->setDefault(true);
    providerRow->addWidget(m_start);
    auto *providerLabel = new QLabel(tr("&Provider:"), this);
    providerLabel->setBuddy(m_provider);
    form->addRow(providerLabel, providerRow);
    connect(m_start, &QPushButton::clicked, this,
            [this] { startSession(m_domain->text(), m_statement->toPlainText()); });

    m_questions = new QWidget(this);
    m_questionLayout = new QVBoxLayout(m_questions);
    m_questionLayout->addStretch();
    auto *scroll = new QScrollArea(this);
    m_scroll = scroll;
    scroll->setWidget(m_questions);
    scroll->setWidgetResizable(true);
    // The questions wrap to the pane's width; they never scroll sideways.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_send = new QPushButton(tr("Send the &rest"), this);
    m_send->setToolTip(tr("Closes this round: the answers you gave stand, the ones typed but "
                          "not applied are sent, unanswered questions count as skipped "
                          "(Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(m_send, &QPushButton::clicked, this, &DefinitionWizard::sendAnswers);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>Questions</b>"), this));
    leftLayout->addWidget(scroll, 1);
    leftLayout->addWidget(m_send, 0, Qt::AlignRight);
    m_draft = new QTextBrowser(this);
    m_draft->setObjectName(QStringLiteral("definitionDraft"));
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("<b>Draft</b> (what the last answers changed is "
                                         "highlighted)"),
                                      this));
    rightLayout->addWidget(m_draft, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({500, 560});

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("definitionStatus"));
    m_status->setWordWrap(true);
    m_finish = new QPushButton(tr("&Finish"), this);
    m_finish->setToolTip(tr("Make the draft a problem, with its rubric and test cases"));
    m_finishGenerate = new QPushButton(tr("Finish and &generate…"), this);
    m_finishGenerate->setToolTip(tr("Make the problem, then generate variations of it"));
    auto *close = new QPushButton(tr("Close"), this);
    close->setToolTip(tr("The session is stored: continue it later with crucible-cli define WS "
                         "--session ID"));
    connect(m_finish, &QPushButton::clicked, this, [this] { finishSession(false); });
    connect(m_finishGenerate, &QPushButton::clicked, this, [this] { finishSession(true); });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    auto *bottom = new QHBoxLayout();
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_finish);
    bottom->addWidget(m_finishGenerate);
    bottom->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    if (m_host) {
        DefinitionEngine *engine = m_host->definition();
        connect(engine, &DefinitionEngine::sessionUpdated, this,
                &DefinitionWizard::onSessionUpdated);
        connect(engine, &DefinitionEngine::busyChanged, this, &DefinitionWizard::setBusy);
        connect(engine, &DefinitionEngine::errorOccurred, this, [this](const QString &message) {
            m_status->setText(message);
            m_status->setStyleSheet(QStringLiteral("color: #b00020"));
            m_start->setEnabled(m_sessionId.isEmpty());
        });
        connect(engine, &DefinitionEngine::problemCreated, this,
                [this](const QString &session, const QString &problemId) {
                    if (session != m_sessionId)
                        return;
                    emit problemCreated(problemId, m_generate);
                    accept();
                });
    }
    m_send->setEnabled(false);
    m_finish->setEnabled(false);
    m_finishGenerate->setEnabled(false);
    m_status->setText(tr("Describe the problem roughly, then let the model ask what it needs "
                         "to know."));
}

void DefinitionWizard::setProviders(const QList<LlmProviderInfo> &providers,
                                    const QString &defaultId)
{
    m_providers = providers;
    fillProviderBox(m_provider, providers, defaultId);
}

void DefinitionWizard::setDomain(const QString &domain)
{
    m_domain->setText(domain);
}

void DefinitionWizard::startSession(const QString &domain, const QString &statement)
{
    if (!m_host || !m_sessionId.isEmpty())
        return;
    m_domain->setText(domain);
    m_statement->setPlainText(statement);
    m_starting = true;
    m_start->setEnabled(false);
    m_status->setStyleSheet({});
    m_status->setText(tr("Starting: the model is writing its first questions…"));
    m_host->defineStart(domain, statement, m_provider->currentData().toString());
}

void DefinitionWizard::onSessionUpdated(const QString &id, const QString &recordJson,
                                        const QStringList &changes)
{
    if (m_sessionId.isEmpty() && m_starting) {
        m_sessionId = id;
        m_starting = false;
    }
    if (id != m_sessionId)
        return;
    m_record = json::parse(recordJson.toStdString(), nullptr, false);
    if (!m_record.is_object())
        return;
    if (!changes.isEmpty() || m_record["doc"].contains("draft"))
        m_changes = changes;
    const json &doc = m_record["doc"];
    const json rounds = doc.value("rounds", json::array());
    const bool open = !rounds.empty() && !rounds.back().contains("answered_at");
    showQuestions(open ? rounds.back() : json::object());
    showDraft();
    const QString state = status();
    m_status->setStyleSheet({});
    if (doc.contains("error")) {
        m_status->setStyleSheet(QStringLiteral("color: #b00020"));
        m_status->setText(qs(doc, "error"));
    } else if (state == u"ready") {
        m_status->setText(tr("The answers stopped changing the draft (%n round(s) of "
                             "questions): finish it into a problem.",
                             nullptr, int(rounds.size())));
    } else if (state == u"answering") {
        m_status->setText(
            m_changes.isEmpty() || !rounds.back().contains("partial")
                ? tr("Round %1: answer what you can; pick a suggestion, type your own and press "
                     "Return, skip, or let the model decide. Each answer updates the draft.")
                      .arg(rounds.size())
                : tr("Round %1: your answer changed the draft in %n place(s), highlighted. Answer "
                     "the next question.",
                     nullptr, int(m_changes.size()))
                      .arg(rounds.size()));
    } else if (state == u"finished") {
        m_status->setText(tr("Finished: problem %1.").arg(qs(m_record, "problem_id")));
    }
    const bool hasDraft = doc.contains("draft");
    m_send->setEnabled(open);
    m_finish->setEnabled(hasDraft && state != u"finished");
    m_finishGenerate->setEnabled(hasDraft && state != u"finished");
    emit updated();
}

void DefinitionWizard::showQuestions(const json &round)
{
    // What is typed or toggled but not applied yet survives the refresh an answer brings.
    struct Kept
    {
        QString text;
        bool decide = false, skip = false;
    };
    std::map<QString, Kept> kept;
    for (QuestionRow &r : m_rows)
        if (r.answer) {
            kept[r.id] = {r.answer->text(), r.decide->isChecked(), r.skip->isChecked()};
            r.answer->parentWidget()->deleteLater();
        }
    m_rows.clear();
    // Where the expert was reading stays in view across the refresh an answer brings.
    const int scrolled = m_scroll->verticalScrollBar()->value();
    QTimer::singleShot(0, this,
                       [this, scrolled] { m_scroll->verticalScrollBar()->setValue(scrolled); });
    const json partial = round.value("partial", json::object());
    const json perAnswer = round.value("partial_changes", json::object());
    for (const json &q : round.value("questions", json::array())) {
        QuestionRow r;
        r.id = qs(q, "id");
        const json given = partial.value(r.id.toStdString(), json());
        auto *box = new QWidget(m_questions);
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(0, 4, 0, 8);
        auto *text = new QLabel(QStringLiteral("<b>%1</b> %2<br><span style='color:#666'>%3"
                                               "</span>")
                                    .arg(esc(r.id), esc(qs(q, "question")), esc(qs(q, "why"))),
                                box);
        text->setWordWrap(true);
        v->addWidget(text);
        auto *chips = new QHBoxLayout();
        r.answer = new QLineEdit(box);
        r.answer->setPlaceholderText(
            tr("Your answer (Return puts it in the draft), or pick one above"));
        const QString id = r.id;
        connect(r.answer, &QLineEdit::returnPressed, this, [this, id] { applyAnswer(id); });
        for (const json &s : q.value("suggestions", json::array())) {
            const QString suggestion = QString::fromStdString(s.get<std::string>());
            r.suggestions << suggestion;
            // A chip (a link, so that a long suggestion wraps) is an answer: it goes into the
            // draft at once.
            auto *chip = new QLabel(QStringLiteral("<a href='pick' style='text-decoration:none'>"
                                                   "%1</a>")
                                        .arg(esc(suggestion)),
                                    box);
            chip->setWordWrap(true);
            chip->setTextInteractionFlags(Qt::LinksAccessibleByMouse |
                                          Qt::LinksAccessibleByKeyboard);
            chip->setToolTip(tr("Answer with this suggestion"));
            chip->setStyleSheet(QStringLiteral("border-radius: 9px; padding: 2px 8px; "
                                               "border: 1px solid #88a"));
            QLineEdit *answer = r.answer;
            connect(chip, &QLabel::linkActivated, this, [this, id, answer, suggestion] {
                answer->setText(suggestion);
                applyAnswer(id);
            });
            v->addWidget(chip);
        }
        r.decide = new QPushButton(tr("You decide"), box);
        r.decide->setCheckable(true);
        r.skip = new QPushButton(tr("Skip"), box);
        r.skip->setCheckable(true);
        QPushButton *decide = r.decide;
        QPushButton *skip = r.skip;
        if (const auto k = kept.find(r.id); k != kept.end()) {
            r.answer->setText(k->second.text);
            decide->setChecked(k->second.decide);
            skip->setChecked(k->second.skip);
        } else if (given.is_object()) {
            r.answer->setText(qs(given, "text"));
            decide->setChecked(given.value("kind", std::string()) == "you_decide");
            skip->setChecked(given.value("kind", std::string()) == "skip");
        }
        // Toggled by a click (not by restoring): the choice goes into the draft at once.
        connect(decide, &QPushButton::clicked, this, [this, id, skip](bool on) {
            if (on) {
                skip->setChecked(false);
                applyAnswer(id);
            }
        });
        connect(skip, &QPushButton::clicked, this, [this, id, decide](bool on) {
            if (on) {
                decide->setChecked(false);
                applyAnswer(id);
            }
        });
        chips->addStretch();
        chips->addWidget(decide);
        chips->addWidget(skip);
        v->addLayout(chips);
        v->addWidget(r.answer);
        if (given.is_object()) {
            // In the draft already, and what this answer changed there.
            const json changed = perAnswer.value(r.id.toStdString(), json::array());
            auto *done = new QLabel(
                changed.empty() ? tr("✓ in the draft (it changed nothing)")
                                : tr("✓ in the draft: %n change(s)", nullptr, int(changed.size())),
                box);
            done->setStyleSheet(QStringLiteral("color: #2e7d32"));
            v->addWidget(done);
        }
        m_questionLayout->insertWidget(m_questionLayout->count() - 1, box);
        m_rows.push_back(r);
    }
}

void DefinitionWizard::showDraft()
{
    const json draft = m_record.value("doc", json::object()).value("draft", json());
    if (!draft.is_object()) {
        m_draft->setHtml(tr("<p style='color:#666'>The draft appears after the first answers."
                            "</p>"));
        return;
    }
    const auto changed = [this](const QString &label, const QString &item) {
        return m_changes.contains(QStringLiteral("+ %1: %2").arg(label, item));
    };
    const QString mark = QStringLiteral(" style='background:#fff3a0'");
    QString html;
    html += QStringLiteral("<h3>Problem</h3><p%1>%2</p>")
                .arg(m_changes.contains(QStringLiteral("statement rewritten")) ? mark : QString(),
                     esc(qs(draft, "problem_statement")));
    for (const auto &[key, title, label] :
         {std::tuple{"domain_knowledge", tr("Domain knowledge"), QStringLiteral("knowledge")},
          std::tuple{"constraints", tr("Constraints"), QStringLiteral("constraint")},
          std::tuple{"success_criteria", tr("Success criteria"), QStringLiteral("criterion")}}) {
        html += QStringLiteral("<h4>%1</h4><ul>").arg(title);
        for (const json &s : draft.value(key, json::array()))
            if (s.is_string()) {
                const QString item = QString::fromStdString(s.get<std::string>());
                html += QStringLiteral("<li%1>%2</li>")
                            .arg(changed(label, item) ? mark : QString(), esc(item));
            }
        html += QStringLiteral("</ul>");
    }
    html += tr("<h4>Rubric</h4>");
    for (const json &a : draft.value("rubric", json::array())) {
        const QString aspect = qs(a, "aspect");
        QStringList checks;
        for (const json &c : a.value("checks", json::array()))
            if (c.is_string())
                checks << esc(QString::fromStdString(c.get<std::string>()));
        html += QStringLiteral("<p%1><b>%2</b>: high when %3; low when %4.<br>Check: %5</p>")
                    .arg(m_changes.contains(QStringLiteral("rubric: ") + aspect) ? mark : QString(),
                         esc(aspect), esc(qs(a, "high")), esc(qs(a, "low")),
                         checks.join(QStringLiteral("; ")));
    }
    html += tr("<h4>Test cases</h4><ol%1>")
                .arg(m_changes.contains(QStringLiteral("test cases")) ? mark : QString());
    for (const json &t : draft.value("test_cases", json::array()))
        html += QStringLiteral("<li>%1 → %2</li>").arg(esc(qs(t, "input")), esc(qs(t, "expected")));
    html += QStringLiteral("</ol>");
    for (const QString &c : m_changes)
        if (c.startsWith(u'−'))
            html += QStringLiteral("<p style='color:#a00'>%1</p>").arg(esc(c));
    m_draft->setHtml(html);
}

DefinitionWizard::QuestionRow *DefinitionWizard::row(const QString &questionId)
{
    for (QuestionRow &r : m_rows)
        if (r.id == questionId)
            return &r;
    return nullptr;
}

void DefinitionWizard::pickSuggestion(const QString &questionId, int index)
{
    if (QuestionRow *r = row(questionId); r && index >= 0 && index < r->suggestions.size())
        r->answer->setText(r->suggestions[index]);
}

void DefinitionWizard::setAnswer(const QString &questionId, const QString &text)
{
    if (QuestionRow *r = row(questionId))
        r->answer->setText(text);
}

void DefinitionWizard::setYouDecide(const QString &questionId)
{
    if (QuestionRow *r = row(questionId))
        r->decide->setChecked(true);
}

void DefinitionWizard::applyAnswer(const QString &questionId)
{
    QuestionRow *r = row(questionId);
    if (!m_host || m_sessionId.isEmpty() || !r)
        return;
    const QString text = r->answer->text().trimmed();
    const char *kind = r->decide->isChecked() ? "you_decide"
                       : r->skip->isChecked() ? "skip"
                                              : "answer";
    if (std::string(kind) == "answer" && text.isEmpty()) {
        m_status->setStyleSheet(QStringLiteral("color: #b00020"));
        m_status->setText(tr("%1 has no answer yet: type one, pick a suggestion, skip it or let "
                             "the model decide.")
                              .arg(questionId));
        return;
    }
    const json one = {{questionId.toStdString(), {{"kind", kind}, {"text", text.toStdString()}}}};
    m_status->setStyleSheet({});
    m_status->setText(
        tr("The model is rewriting the draft with your answer to %1…").arg(questionId));
    m_host->defineAnswerOne(m_sessionId, QString::fromStdString(one.dump()),
                            m_provider->currentData().toString());
}

void DefinitionWizard::sendAnswers()
{
    if (!m_host || m_sessionId.isEmpty() || m_rows.empty())
        return;
    json answers = json::object();
    for (const QuestionRow &r : m_rows) {
        const QString text = r.answer->text().trimmed();
        const char *kind = r.decide->isChecked()                   ? "you_decide"
                           : r.skip->isChecked() || text.isEmpty() ? "skip"
                                                                   : "answer";
        answers[r.id.toStdString()] = {{"kind", kind}, {"text", text.toStdString()}};
    }
    m_send->setEnabled(false);
    m_status->setStyleSheet({});
    m_status->setText(tr("The model is rewriting the draft from your answers…"));
    m_host->defineAnswer(m_sessionId, QString::fromStdString(answers.dump()),
                         m_provider->currentData().toString());
}

void DefinitionWizard::finishSession(bool generate)
{
    if (!m_host || m_sessionId.isEmpty())
        return;
    m_generate = generate;
    m_host->defineFinish(m_sessionId);
}

void DefinitionWizard::setBusy(bool busy)
{
    // One rewrite at a time: the answers wait while the model writes the draft.
    m_questions->setEnabled(!busy);
    if (busy) {
        m_send->setEnabled(false);
        m_finish->setEnabled(false);
        m_finishGenerate->setEnabled(false);
    }
}

QString DefinitionWizard::status() const
{
    return qs(m_record, "status");
}

QStringList DefinitionWizard::questionIds() const
{
    QStringList ids;
    for (const QuestionRow &r : m_rows)
        ids << r.id;
    return ids;
}

QString DefinitionWizard::answerText(const QString &questionId) const
{
    for (const QuestionRow &r : m_rows)
        if (r.id == questionId)
            return r.answer->text();
    return {};
}

QString DefinitionWizard::draftText() const
{
    return m_draft->toPlainText();
}

QString DefinitionWizard::statusText() const
{
    return m_status->text();
}

} // namespace crucible
