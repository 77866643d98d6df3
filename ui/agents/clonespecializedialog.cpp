#include "ui/agents/clonespecializedialog.h"

#include "core/llm/moneyformat.h"
#include "core/store/agentrepository.h"
#include "ui/agents/specializationrunner.h"
#include "ui/llm/providerbox.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringBuilder>
#include <QTableWidget>
#include <QVBoxLayout>

namespace crucible {

CloneSpecializeDialog::CloneSpecializeDialog(Workspace *ws, AgentVersion source, LlmEngine *engine,
                                             const QList<LlmProviderInfo> &providers,
                                             const QString &defaultProvider, QWidget *parent)
    : QDialog(parent)
    , m_ws(ws)
    , m_source(std::move(source))
    , m_specialization(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_context(new QPlainTextEdit(this))
    , m_provider(new QComboBox(this))
    , m_suggest(new QPushButton(tr("&Suggest adjustments"), this))
    , m_clone(new QPushButton(tr("&Clone"), this))
    , m_table(new QTableWidget(0, 4, this))
    , m_notes(new QLabel(this))
    , m_domains(new QLabel(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("cloneSpecializeDialog"));
    setWindowTitle(tr("Clone & specialize %1").arg(m_source.name()));
    setAttribute(Qt::WA_DeleteOnClose);
    if (engine)
        m_runner = new SpecializationRunner(engine);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Clone <b>%1</b> v%2 (%3). The model suggests trait adjustments "
                                "of at most ±%4 each, with a reason; turn off any you do not "
                                "want before cloning.")
                                 .arg(m_source.name().toHtmlEscaped())
                                 .arg(m_source.version)
                                 .arg(m_source.id)
                                 .arg(CloneSpecializer::kMaxDelta),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_specialization->setPlaceholderText(tr("e.g. tax law for small businesses"));
    form->addRow(tr("&Specialization:"), m_specialization);
    m_name->setPlaceholderText(tr("%1 (specialization)").arg(m_source.name()));
    form->addRow(tr("&Name:"), m_name);
    m_context->setPlaceholderText(tr("Optional background for the model"));
    m_context->setMaximumHeight(60);
    form->addRow(tr("Con&text:"), m_context);
    if (engine)
        fillProviderBox(m_provider, providers, defaultProvider);
    m_provider->setEnabled(engine && m_provider->count() > 0);
    form->addRow(tr("&Model:"), m_provider);
    layout->addLayout(form);

    auto *suggestRow = new QHBoxLayout;
    suggestRow->addWidget(m_suggest);
    suggestRow->addWidget(m_status, 1);
    m_status->setWordWrap(true);
    layout->addLayout(suggestRow);

    m_table->setObjectName(QStringLiteral("adjustmentsTable"));
    m_table->setHorizontalHeaderLabels({tr("Use"), tr("Trait"), tr("Change"), tr("Reason")});
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(m_table, 1);
    m_notes->setWordWrap(true);
    m_domains->setWordWrap(true);
    layout->addWidget(m_domains);
    layout->addWidget(m_notes);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_clone, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    resize(680, 520);

    connect(m_suggest, &QPushButton::clicked, this, &CloneSpecializeDialog::requestSuggestion);
    connect(m_clone, &QPushButton::clicked, this, &CloneSpecializeDialog::applyClone);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_specialization, &QLineEdit::textChanged, this, [this] {
        m_hasSuggestion = false; // a suggestion is for the specialization it was asked for
        updateButtons();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() != 0 || !m_hasSuggestion)
            return;
        const int row = item->row();
        if (row >= 0 && row < static_cast<int>(m_suggestion.adjustments.size()))
            m_suggestion.adjustments[static_cast<size_t>(row)].accepted =
                item->checkState() == Qt::Checked;
    });
    if (m_runner)
        connect(m_runner, &SpecializationRunner::finished, this,
                &CloneSpecializeDialog::onFinished);
    if (!engine)
        m_status->setText(tr("No LLM engine: the clone gets the name and specialization only"));
    updateButtons();
}

CloneSpecializeDialog::~CloneSpecializeDialog()
{
    if (m_runner)
        m_runner->deleteLater();
}

SpecializationRequest CloneSpecializeDialog::request() const
{
    SpecializationRequest r;
    r.specialization = m_specialization->text().trimmed();
    r.name = m_name->text().trimmed();
    r.context = m_context->toPlainText().trimmed();
    r.providerId = m_provider->currentData().toString();
    return r;
}

void CloneSpecializeDialog::updateButtons()
{
    const bool haveText = !m_specialization->text().trimmed().isEmpty();
    m_suggest->setEnabled(m_runner && haveText && !m_busy && m_provider->count() > 0);
    m_clone->setEnabled(haveText && !m_busy);
}

void CloneSpecializeDialog::requestSuggestion()
{
    const SpecializationRequest r = request();
    if (const QString problem = CloneSpecializer::checkRequest(m_source, r); !problem.isEmpty()) {
        m_status->setText(problem);
        emit suggested(false);
        return;
    }
    if (!m_runner)
        return;
    m_busy = true;
    m_status->setText(tr("Asking %1…").arg(m_provider->currentText()));
    updateButtons();
    m_runner->start(++m_ticket, m_source, r);
}

void CloneSpecializeDialog::onFinished(quint64 ticket, const SpecializationSuggestion &s)
{
    if (ticket != m_ticket)
        return;
    m_busy = false;
    showSuggestion(s);
}

void CloneSpecializeDialog::showSuggestion(const SpecializationSuggestion &s)
{
    m_busy = false;
    if (!s.ok()) {
        m_hasSuggestion = false;
        m_status->setText(s.error);
        updateButtons();
        emit suggested(false);
        return;
    }
    m_suggestion = s;
    m_hasSuggestion = true;
    const QSignalBlocker block(m_table);
    m_table->setRowCount(static_cast<int>(s.adjustments.size()));
    const Agent proposed = s.proposed();
    for (int row = 0; row < static_cast<int>(s.adjustments.size()); ++row) {
        const TraitAdjustment &a = s.adjustments[static_cast<size_t>(row)];
        auto *use = new QTableWidgetItem;
        use->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        use->setCheckState(a.accepted ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(row, 0, use);
        m_table->setItem(row, 1, new QTableWidgetItem(a.trait));
        const int from = m_source.definition.traits.at(a.trait);
        QString change = QString::number(from) % QStringLiteral(" → ") %
                         QString::number(std::clamp(from + a.delta, 0, 100)) %
                         QStringLiteral("  (") % (a.delta > 0 ? QStringLiteral("+") : QString()) %
                         QString::number(a.delta) % u')';
        if (a.bounded)
            change += tr(" bounded");
        m_table->setItem(row, 2, new QTableWidgetItem(change));
        m_table->setItem(row, 3, new QTableWidgetItem(a.reason));
    }
    m_table->resizeColumnsToContents();
    m_domains->setText(s.knowledgeDomains.isEmpty()
                           ? QString()
                           : tr("Knowledge domains to add: %1")
                                 .arg(s.knowledgeDomains.join(QStringLiteral(", "))));
    m_notes->setText(s.notes.join(u'\n'));
    QString cost;
    if (!s.callIds.isEmpty())
        cost = s.costUsd ? formatUsd(*s.costUsd) : tr("unpriced");
    QString status = s.adjustments.empty()
                         ? tr("The model suggests no trait changes")
                         : tr("%n suggestion(s)", nullptr, static_cast<int>(s.adjustments.size()));
    if (!cost.isEmpty())
        status += QStringLiteral(" · ") + cost;
    m_status->setText(status);
    updateButtons();
    emit suggested(true);
}

void CloneSpecializeDialog::applyClone()
{
    if (!m_ws) {
        emit failed(tr("No workspace is open"));
        return;
    }
    SpecializationSuggestion s;
    if (m_hasSuggestion) {
        s = m_suggestion;
        s.request.name = m_name->text().trimmed();
    } else {
        s.source = m_source;
        s.request = request();
        s.error = CloneSpecializer::checkRequest(m_source, s.request);
    }
    try {
        AgentRepository repo(*m_ws);
        const AgentVersion v = CloneSpecializer::apply(repo, s);
        emit cloned(v.agentId, v.id);
        accept();
    } catch (const std::exception &e) {
        const QString message =
            tr("Could not clone %1: %2").arg(m_source.name(), QString::fromUtf8(e.what()));
        m_status->setText(message);
        emit failed(message);
    }
}

} // namespace crucible
