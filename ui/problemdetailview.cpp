#include "ui/problemdetailview.h"
#include "core/llm/moneyformat.h"

#include "core/store/problemrepository.h"
#include "ui/problems/problemeditform.h"
#include "ui/problems/reviewbar.h"
#include "ui/textutil.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace crucible {

namespace {

const QString kProblemScheme = QStringLiteral("problem");
constexpr int kMaxSampleChars = 20000;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString problemHref(const QString &id)
{
    QUrl url;
    url.setScheme(kProblemScheme);
    url.setPath(id);
    return esc(url.toString(QUrl::FullyEncoded));
}

QString listHtml(const QStringList &items)
{
    QString html = QStringLiteral("<ul>");
    for (const QString &item : items)
        html += QStringLiteral("<li>") % esc(item) % QStringLiteral("</li>");
    return html + QStringLiteral("</ul>");
}

QString sectionHtml(const QString &title, const QString &body)
{
    return QStringLiteral("<h3>") % esc(title) % QStringLiteral("</h3>") % body;
}

// How the problem was made: generator, template, job, cost, calls, and what an adversarial
// example attacks or how a scenario was expanded. Empty for problems without provenance.
QString provenanceHtml(const nlohmann::json &meta)
{
    if (!meta.is_object() || !meta.contains("generator"))
        return {};
    auto str = [](const nlohmann::json &j, const char *key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                : QString();
    };
    auto row = [](const QString &name, const QString &value) {
        return value.isEmpty() ? QString()
                               : QStringLiteral("<tr><td><b>") % esc(name) %
                                     QStringLiteral("</b>&nbsp;&nbsp;</td><td>") % esc(value) %
                                     QStringLiteral("</td></tr>");
    };
    QString rows = row(ProblemDetailView::tr("Generator"), str(meta, "generator"));
    if (const auto t = meta.find("template"); t != meta.end() && t->is_object())
        rows += row(ProblemDetailView::tr("Template"),
                    QStringLiteral("%1 v%2").arg(str(*t, "id")).arg(t->value("version", 0)));
    rows += row(ProblemDetailView::tr("Job"), str(meta, "job_id"));
    if (const auto params = meta.find("parameters"); params != meta.end() && params->is_object()) {
        rows += row(
            ProblemDetailView::tr("Provider"),
            QString(str(*params, "provider") + QLatin1Char(' ') + str(*params, "model")).trimmed());
        if (params->contains("temperature"))
            rows += row(ProblemDetailView::tr("Temperature"),
                        QString::number((*params)["temperature"].get<double>()));
    }
    if (const auto cost = meta.find("cost_usd"); cost != meta.end())
        rows += row(ProblemDetailView::tr("Cost"),
                    cost->is_number() ? formatUsd(cost->get<double>()) : unpricedLabel());
    QStringList calls;
    const nlohmann::json callIds = meta.value("call_ids", nlohmann::json::array());
    for (const auto &c : callIds)
        if (c.is_string())
            calls << QString::fromStdString(c.get<std::string>());
    rows += row(ProblemDetailView::tr("LLM calls"), calls.join(QStringLiteral(", ")));
    if (const auto a = meta.find("adversarial"); a != meta.end() && a->is_object()) {
        rows += row(ProblemDetailView::tr("Strategy"), str(*a, "strategy"));
        rows += row(ProblemDetailView::tr("Attacks"), str(*a, "attacked_assumption"));
        rows += row(ProblemDetailView::tr("Must notice"), str(*a, "must_notice"));
        rows += row(ProblemDetailView::tr("Weak answers"), str(*a, "expected_failure"));
    }
    const auto e = meta.find("expansion");
    const nlohmann::json details = e != meta.end() && e->is_object()
                                       ? e->value("details", nlohmann::json::object())
                                       : nlohmann::json::object();
    for (const auto &[factor, detail] : details.items())
        if (detail.is_string())
            rows += row(QString::fromStdString(factor),
                        QString::fromStdString(detail.get<std::string>()));
    return QStringLiteral("<table cellspacing=\"2\">") % rows % QStringLiteral("</table>");
}

QString snippet(const QString &statement)
{
    return elided(markdownToPlainLine(statement), 90);
}

QString lineageHtml(const std::vector<LineageEntry> &entries, int maxEntries, bool indent)
{
    QString html;
    const int shown = std::min<int>(maxEntries, static_cast<int>(entries.size()));
    for (int i = 0; i < shown; ++i) {
        const LineageEntry &e = entries[static_cast<size_t>(i)];
        const int margin = indent ? 12 + 18 * (e.depth - 1) : 12;
        const QString marker = indent && e.depth > 1 ? QStringLiteral("↳ ") : QStringLiteral("• ");
        html += QStringLiteral("<p style=\"margin-left:%1px; margin-top:0; margin-bottom:3px\">")
                    .arg(margin) %
                marker % QStringLiteral("<a href=\"") % problemHref(e.problem.id) %
                QStringLiteral("\">") % esc(e.problem.id) % QStringLiteral("</a> <i>(") %
                esc(toString(e.problem.origin)) % QStringLiteral(")</i> — ") %
                esc(snippet(e.problem.statement)) % QStringLiteral("</p>");
    }
    if (static_cast<int>(entries.size()) > shown)
        html += QStringLiteral("<p style=\"margin-left:12px\"><i>") %
                esc(ProblemDetailView::tr("… and %1 more")
                        .arg(static_cast<qint64>(entries.size()) - shown)) %
                QStringLiteral("</i></p>");
    return html;
}

} // namespace

ProblemDetailView::ProblemDetailView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_browser(new QTextBrowser(this))
    , m_form(new ProblemEditForm(this))
    , m_reviewBar(new ReviewBar(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);
    m_stack->addWidget(m_placeholder);

    auto *page = new QWidget(this);
    m_page = page;
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(8, 6, 0, 0);
    pageLayout->setSpacing(2);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setWordWrap(true);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    auto *edit = new QPushButton(tr("Edit"), this);
    edit->setObjectName(QStringLiteral("editProblem"));
    edit->setToolTip(tr("Edit the statement, constraints, criteria, complexity, domain and tags "
                        "(e, F2 or Ctrl+E)"));
    edit->setFocusPolicy(Qt::NoFocus);
    titleRow->addWidget(edit);
    pageLayout->addLayout(titleRow);
    pageLayout->addWidget(m_subtitle);
    pageLayout->addWidget(m_reviewBar);
    pageLayout->addSpacing(2);
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::NoFrame);
    m_browser->document()->setDocumentMargin(6);
    pageLayout->addWidget(m_browser, 1);
    m_stack->addWidget(page);
    // Scrolled, so that the form's height never squeezes the table above the detail view.
    m_formScroll = new QScrollArea(this);
    m_formScroll->setWidgetResizable(true);
    m_formScroll->setFrameShape(QFrame::NoFrame);
    m_formScroll->setWidget(m_form);
    m_stack->addWidget(m_formScroll);

    connect(m_browser, &QTextBrowser::anchorClicked, this, &ProblemDetailView::onAnchorClicked);
    connect(edit, &QPushButton::clicked, this, &ProblemDetailView::beginEdit);
    connect(m_form, &ProblemEditForm::saveRequested, this, &ProblemDetailView::saveRequested);
    connect(m_form, &ProblemEditForm::cancelRequested, this, &ProblemDetailView::endEdit);
    clear();
}

void ProblemDetailView::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    clear();
}

void ProblemDetailView::clear()
{
    m_problemId.clear();
    m_problem.reset();
    m_browser->clear();
    showMessage(m_workspace ? tr("Select a problem to see its statement, constraints, sample "
                                 "data and lineage.")
                            : tr("No workspace is open."));
}

void ProblemDetailView::showMessage(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
}

QString ProblemDetailView::statementText() const
{
    return m_browser->toPlainText();
}

void ProblemDetailView::showProblem(const QString &id)
{
    if (id == m_problemId && !id.isEmpty())
        return;
    if (isEditing())
        endEdit();
    load(id);
}

void ProblemDetailView::refresh()
{
    if (m_problemId.isEmpty() || isEditing())
        return;
    const int scroll = m_browser->verticalScrollBar()->value();
    load(m_problemId);
    m_browser->verticalScrollBar()->setValue(scroll);
}

bool ProblemDetailView::beginEdit()
{
    if (!m_problem)
        return false;
    if (!isEditing()) {
        m_form->setProblem(*m_problem);
        m_stack->setCurrentWidget(m_formScroll);
    }
    m_form->statementEdit()->setFocus(Qt::ShortcutFocusReason);
    return true;
}

void ProblemDetailView::endEdit()
{
    if (!isEditing())
        return;
    m_stack->setCurrentWidget(m_problem ? m_page : static_cast<QWidget *>(m_placeholder));
    emit editFinished();
}

bool ProblemDetailView::isEditing() const
{
    return m_stack->currentWidget() == m_formScroll;
}

void ProblemDetailView::load(const QString &id)
{
    if (id != m_problemId)
        m_reviewBar->cancelNote(); // a half-written note belonged to the problem before
    if (id.isEmpty() || !m_workspace) {
        clear();
        return;
    }
    try {
        const ProblemRepository repo(*m_workspace);
        const std::optional<Problem> p = repo.get(id);
        if (!p) {
            clear();
            showMessage(
                tr("Problem %1 is not in this workspace (it may have been deleted).").arg(id));
            return;
        }
        auto ancestors = repo.ancestors(id);
        auto descendants = repo.descendants(id, 8);
        render(*p, ancestors, descendants);
        m_problemId = id;
        m_problem = *p;
    } catch (const std::exception &e) {
        clear();
        showMessage(tr("Could not load problem %1 from %2:\n%3")
                        .arg(id, m_workspace->path(), QString::fromUtf8(e.what())));
    }
}

void ProblemDetailView::render(const Problem &p, const std::vector<LineageEntry> &ancestors,
                               const std::vector<LineageEntry> &descendants)
{
    m_title->setText(p.id);
    QStringList facts;
    if (!p.domain.isEmpty())
        facts << p.domain;
    facts << toString(p.complexity) << toString(p.origin);
    if (p.createdAt.isValid())
        facts << tr("created %1")
                     .arg(p.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    m_subtitle->setText(facts.join(QStringLiteral("  ·  ")));
    m_reviewBar->setReview(p.reviewStatus, p.reviewNote);

    // The statement is authored Markdown; every other field is plain text and is escaped.
    m_browser->setMarkdown(p.statement);
    QString html;
    if (!p.constraints.isEmpty())
        html += sectionHtml(tr("Constraints"), listHtml(p.constraints));
    if (!p.successCriteria.isEmpty())
        html += sectionHtml(tr("Success criteria"), listHtml(p.successCriteria));
    if (!p.sampleData.is_null()) {
        QString json = QString::fromStdString(p.sampleData.dump(2));
        if (json.size() > kMaxSampleChars)
            json = json.left(kMaxSampleChars) + QStringLiteral("\n…");
        html += sectionHtml(tr("Sample data"),
                            QStringLiteral("<pre>") % esc(json) % QStringLiteral("</pre>"));
    }
    if (!p.matrixCell.empty()) {
        QString rows;
        for (const auto &[dimension, value] : p.matrixCell)
            rows += QStringLiteral("<tr><td><b>") % esc(dimension) %
                    QStringLiteral("</b>&nbsp;&nbsp;</td><td>") % esc(value) %
                    QStringLiteral("</td></tr>");
        html += sectionHtml(tr("Matrix cell"), QStringLiteral("<table cellspacing=\"2\">") % rows %
                                                   QStringLiteral("</table>"));
    }
    if (!p.tags.isEmpty()) {
        const QString chipColor = palette().color(QPalette::AlternateBase).name();
        QStringList chips;
        for (const QString &tag : p.tags)
            chips << QStringLiteral("<span style=\"background-color:") % chipColor %
                         QStringLiteral("\">&nbsp;") % esc(tag) % QStringLiteral("&nbsp;</span>");
        html += sectionHtml(tr("Tags"), QStringLiteral("<p>") % chips.join(QStringLiteral(" ")) %
                                            QStringLiteral("</p>"));
    }
    if (const QString provenance = provenanceHtml(p.metadata); !provenance.isEmpty())
        html += sectionHtml(tr("Provenance"), provenance);
    QString lineage;
    if (!ancestors.empty()) {
        // Nearest first reads as "derived from X, which was derived from Y".
        auto sorted = ancestors;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto &a, const auto &b) { return a.depth < b.depth; });
        lineage += QStringLiteral("<p><b>") % esc(tr("Derived from")) % QStringLiteral("</b></p>") %
                   lineageHtml(sorted, kMaxLineageEntries, false);
    }
    if (!descendants.empty()) {
        lineage += QStringLiteral("<p><b>") %
                   esc(tr("Derived problems (%1)").arg(descendants.size())) %
                   QStringLiteral("</b></p>") % lineageHtml(descendants, kMaxLineageEntries, true);
    }
    if (lineage.isEmpty())
        lineage = QStringLiteral("<p><i>") %
                  esc(tr("An original problem: not derived from another, and nothing derived "
                         "from it yet.")) %
                  QStringLiteral("</i></p>");
    html += sectionHtml(tr("Lineage"), lineage);

    QTextCursor cursor(m_browser->document());
    cursor.movePosition(QTextCursor::End);
    // A new block, or the first heading would continue the statement's last paragraph.
    cursor.insertBlock();
    cursor.insertHtml(html);
    m_browser->moveCursor(QTextCursor::Start);
    m_stack->setCurrentIndex(1);
}

void ProblemDetailView::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() == kProblemScheme) {
        emit problemLinkActivated(url.path());
        return;
    }
    if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        QDesktopServices::openUrl(url);
}

} // namespace crucible
