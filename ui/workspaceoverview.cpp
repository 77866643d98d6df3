#include "ui/workspaceoverview.h"

#include "core/store/workspacestats.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QVBoxLayout>

namespace crucible {

namespace {
QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td>") % name.toHtmlEscaped() %
           QStringLiteral("&nbsp;&nbsp;</td><td align=\"right\">") % value.toHtmlEscaped() %
           QStringLiteral("</td></tr>");
}
} // namespace

WorkspaceOverview::WorkspaceOverview(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_domains(new QListWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *domainsTitle = new QLabel(tr("<b>Domains</b>"), this);
    layout->addWidget(domainsTitle);
    m_domains->setToolTip(tr("Click a domain to show only its problems"));
    m_domains->setUniformItemSizes(true);
    layout->addWidget(m_domains, 1);

    // One click filters (a list of filters, not of documents); keyboard activation too.
    const auto activate = [this](QListWidgetItem *item) {
        if (item)
            emit domainActivated(item->data(Qt::UserRole).toString());
    };
    connect(m_domains, &QListWidget::itemClicked, this, activate);
    connect(m_domains, &QListWidget::itemActivated, this, activate);
    showPending(QString());
}

void WorkspaceOverview::showPending(const QString &path)
{
    m_domains->clear();
    if (path.isEmpty()) {
        m_summary->setText(tr("<i>No workspace is open.</i>"));
        return;
    }
    m_summary->setText(QStringLiteral("<p><b>") % QFileInfo(path).fileName().toHtmlEscaped() %
                       QStringLiteral("</b></p><p><i>") % tr("Counting…") %
                       QStringLiteral("</i></p>"));
}

void WorkspaceOverview::setStats(const WorkspaceStats &stats, const QString &error)
{
    m_domains->clear();
    const QFileInfo file(stats.path);
    QString html = QStringLiteral("<p><b>") % file.fileName().toHtmlEscaped() %
                   QStringLiteral("</b><br><small>") %
                   QDir::toNativeSeparators(file.absolutePath()).toHtmlEscaped() %
                   QStringLiteral("</small></p>");
    if (!error.isEmpty()) {
        m_summary->setText(html % QStringLiteral("<p><i>") %
                           tr("Could not count the contents: %1").arg(error).toHtmlEscaped() %
                           QStringLiteral("</i></p>"));
        return;
    }
    const QLocale locale;
    html += QStringLiteral("<table cellspacing=\"1\">");
    html += row(tr("Size"), locale.formattedDataSize(stats.fileBytes));
    html += row(tr("Schema"), QString::number(stats.schemaVersion));
    html += row(tr("Problems"), locale.toString(stats.problems));
    html += row(tr("Datasets"), locale.toString(stats.datasets));
    html += row(tr("Agents"), locale.toString(stats.agents));
    html += row(tr("Solutions"), locale.toString(stats.solutions));
    html += row(tr("Interactions"), locale.toString(stats.interactions));
    html += row(tr("Feedback items"), locale.toString(stats.feedbackItems));
    html += row(tr("Training runs"), locale.toString(stats.trainingRuns));
    html += row(tr("LLM calls"), locale.toString(stats.llmCalls));
    html += QStringLiteral("</table>");
    m_summary->setText(html);

    for (const DomainCount &d : stats.domains) {
        const QString label = d.domain.isEmpty() ? tr("(no domain)") : d.domain;
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  (%2)").arg(label, locale.toString(d.count)), m_domains);
        item->setData(Qt::UserRole, d.domain);
    }
}

} // namespace crucible
