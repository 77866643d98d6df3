#include "ui/interactions/interactionsviewer.h"

#include "core/store/entityrepository.h"
#include "core/store/workspace.h"
#include "ui/interactions/chatbubbledelegate.h"
#include "ui/models/interactionlistmodel.h"
#include "ui/models/transcriptmodel.h"
#include "ui/textutil.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMetaMethod>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace crucible {

namespace {

constexpr int kProblemExcerptChars = 200;

QString costText(std::optional<double> cost)
{
    if (!cost)
        return InteractionsViewer::tr("cost not recorded");
    if (*cost == 0)
        return InteractionsViewer::tr("no cost");
    return QStringLiteral("$") % QLocale::c().toString(*cost, 'f', *cost < 1 ? 4 : 2);
}

QLabel *wrappedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

InteractionsViewer::InteractionsViewer(QWidget *parent)
    : QWidget(parent)
    , m_model(new InteractionListModel(this))
    , m_transcript(new TranscriptModel(this))
{
    setObjectName(QStringLiteral("interactionsViewer"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter);

    auto *listSide = new QWidget(m_splitter);
    buildList(listSide);
    auto *transcriptSide = new QWidget(m_splitter);
    buildTranscript(transcriptSide);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({620, 780});

    auto *copy = new QAction(tr("Copy Transcript"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &InteractionsViewer::copyTranscript);
    addAction(copy);
    m_copyButton->setDefaultAction(copy);
    m_copyButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    copy->setEnabled(false);

    connect(m_model, &InteractionListModel::loadFailed, this, &InteractionsViewer::errorOccurred);
    connect(m_model, &QAbstractItemModel::modelReset, this, &InteractionsViewer::updateListState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &InteractionsViewer::updateListState);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int current = m_list->currentIndex().row();
                if (current >= topLeft.row() && current <= bottomRight.row())
                    showInteraction(current);
            });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current.row()); });
    connect(m_onlyProblem, &QCheckBox::toggled, this, &InteractionsViewer::applyFilter);
    updateListState();
}

void InteractionsViewer::buildList(QWidget *side)
{
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(6, 6, 3, 6);
    layout->setSpacing(6);
    auto *bar = new QHBoxLayout;
    m_onlyProblem = new QCheckBox(tr("Only this problem"), side);
    m_onlyProblem->setObjectName(QStringLiteral("onlyThisProblem"));
    m_onlyProblem->setToolTip(
        tr("Show only the interactions of the problem selected in the Problems panel"));
    m_onlyProblem->setEnabled(false);
    bar->addWidget(m_onlyProblem);
    bar->addStretch();
    m_countLabel = new QLabel(side);
    m_countLabel->setObjectName(QStringLiteral("interactionCount"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_countLabel);
    layout->addLayout(bar);

    m_listStack = new QStackedWidget(side);
    m_list = new QTreeView(m_listStack);
    m_list->setObjectName(QStringLiteral("interactionList"));
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setAllColumnsShowFocus(true);
    m_list->setTextElideMode(Qt::ElideRight);
    QHeaderView *header = m_list->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(InteractionListModel::ProblemColumn, QHeaderView::Stretch);
    const QFontMetrics fm = m_list->fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 24; };
    header->resizeSection(InteractionListModel::TurnsColumn, width(QStringLiteral("Turns")));
    header->resizeSection(InteractionListModel::StopColumn, width(QStringLiteral("goal reached")));
    header->resizeSection(InteractionListModel::CreatedColumn,
                          width(QStringLiteral("Sep 30, 00:00")));
    header->resizeSection(InteractionListModel::JobColumn, width(QStringLiteral("job_01234567")));
    header->setMinimumSectionSize(fm.horizontalAdvance(QStringLiteral("Turns")) + 12);
    m_listStack->addWidget(m_list);

    auto *emptyPage = new QWidget(m_listStack);
    auto *emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addStretch();
    m_emptyLabel = new QLabel(emptyPage);
    m_emptyLabel->setObjectName(QStringLiteral("interactionsEmpty"));
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyLabel->setMargin(16);
    emptyLayout->addWidget(m_emptyLabel);
    m_generateButton = new QPushButton(tr("Generate Interactions…"), emptyPage);
    m_generateButton->setObjectName(QStringLiteral("generateInteractions"));
    connect(m_generateButton, &QPushButton::clicked, this, &InteractionsViewer::generateRequested);
    emptyLayout->addWidget(m_generateButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_listStack->addWidget(emptyPage);
    layout->addWidget(m_listStack, 1);
}

void InteractionsViewer::buildTranscript(QWidget *side)
{
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(3, 6, 6, 6);
    m_transcriptStack = new QStackedWidget(side);
    layout->addWidget(m_transcriptStack);

    m_noSelectionLabel =
        new QLabel(tr("Select an interaction to read its transcript."), m_transcriptStack);
    m_noSelectionLabel->setAlignment(Qt::AlignCenter);
    m_noSelectionLabel->setForegroundRole(QPalette::PlaceholderText);
    m_transcriptStack->addWidget(m_noSelectionLabel);

    auto *page = new QWidget(m_transcriptStack);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->setSpacing(0);

    auto *header = new QFrame(page);
    header->setObjectName(QStringLiteral("interactionHeader"));
    header->setFrameShape(QFrame::StyledPanel);
    header->setBackgroundRole(QPalette::AlternateBase);
    header->setAutoFillBackground(true);
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(12, 10, 12, 10);
    headerLayout->setSpacing(5);
    auto *titleRow = new QHBoxLayout;
    m_problemLabel = wrappedLabel(header);
    m_problemLabel->setObjectName(QStringLiteral("interactionProblem"));
    QFont titleFont = m_problemLabel->font();
    titleFont.setBold(true);
    m_problemLabel->setFont(titleFont);
    titleRow->addWidget(m_problemLabel, 1);
    m_copyButton = new QToolButton(header);
    m_copyButton->setObjectName(QStringLiteral("copyTranscript"));
    m_copyButton->setAutoRaise(false);
    titleRow->addWidget(m_copyButton, 0, Qt::AlignTop);
    headerLayout->addLayout(titleRow);
    m_rolesLabel = wrappedLabel(header);
    m_rolesLabel->setObjectName(QStringLiteral("interactionRoles"));
    m_rolesLabel->setTextFormat(Qt::RichText);
    headerLayout->addWidget(m_rolesLabel);
    m_statusLabel = wrappedLabel(header);
    m_statusLabel->setObjectName(QStringLiteral("interactionStatus"));
    m_statusLabel->setTextFormat(Qt::RichText);
    headerLayout->addWidget(m_statusLabel);
    pageLayout->addWidget(header);

    m_transcriptView = new QListView(page);
    m_transcriptView->setObjectName(QStringLiteral("transcriptView"));
    m_transcriptView->setModel(m_transcript);
    m_transcriptView->setItemDelegate(new ChatBubbleDelegate(m_transcriptView));
    m_transcriptView->setResizeMode(QListView::Adjust);
    m_transcriptView->setUniformItemSizes(false);
    m_transcriptView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_transcriptView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_transcriptView->setSelectionMode(QAbstractItemView::NoSelection);
    m_transcriptView->setFrameShape(QFrame::NoFrame);
    pageLayout->addWidget(m_transcriptView, 1);
    m_transcriptStack->addWidget(page);
}

void InteractionsViewer::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    m_model->setWorkspace(ws); // the reset clears the transcript (updateListState)
    if (m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, 0));
}

void InteractionsViewer::reload()
{
    const QString current = currentInteractionId();
    m_model->reload();
    if (!selectInteraction(current) && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, 0));
}

void InteractionsViewer::addInteractions(const QStringList &ids)
{
    const bool hadSelection = m_list->currentIndex().isValid();
    m_model->addInteractions(ids);
    if (!hadSelection && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, 0));
}

void InteractionsViewer::setProblemFilter(const QString &problemId)
{
    if (problemId == m_followedProblem)
        return;
    m_followedProblem = problemId;
    m_onlyProblem->setEnabled(!problemId.isEmpty());
    m_onlyProblem->setToolTip(
        problemId.isEmpty()
            ? tr("Select a problem in the Problems panel to show only its interactions")
            : tr("Show only the interactions of problem %1").arg(problemId));
    if (m_onlyProblem->isChecked())
        applyFilter();
}

bool InteractionsViewer::onlyThisProblem() const
{
    return m_onlyProblem->isChecked();
}

void InteractionsViewer::setOnlyThisProblem(bool only)
{
    m_onlyProblem->setChecked(only);
}

void InteractionsViewer::applyFilter()
{
    const QString wanted = m_onlyProblem->isChecked() ? m_followedProblem : QString();
    if (wanted == m_model->problemFilter())
        return;
    const QString current = currentInteractionId();
    m_model->setProblemFilter(wanted);
    if (!selectInteraction(current) && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, 0));
}

bool InteractionsViewer::selectInteraction(const QString &id)
{
    if (id.isEmpty())
        return false;
    int row = m_model->rowOf(id);
    // Later pages are read on demand: look there too, a page at a time.
    while (row < 0 && m_model->canFetchMore({})) {
        m_model->fetchMore({});
        row = m_model->rowOf(id);
    }
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
    return true;
}

QString InteractionsViewer::currentInteractionId() const
{
    const auto &shown = m_transcript->interaction();
    return shown ? shown->id : QString();
}

void InteractionsViewer::onCurrentRowChanged(int row)
{
    showInteraction(row);
    emit currentInteractionChanged(currentInteractionId());
}

void InteractionsViewer::showInteraction(int row)
{
    const InteractionSummary *summary = m_model->summaryAt(row);
    std::optional<Interaction> interaction;
    if (summary && m_workspace) {
        try {
            interaction = EntityStore(*m_workspace).get<Interaction>(summary->id);
        } catch (const std::exception &e) {
            emit errorOccurred(tr("Could not read interaction %1 from %2: %3")
                                   .arg(summary->id, QDir::toNativeSeparators(m_workspace->path()),
                                        QString::fromUtf8(e.what())));
        }
    }
    m_problemStatement = summary ? summary->problemStatement : QString();
    m_transcript->setInteraction(interaction);
    const QList<QAction *> acts = actions();
    for (QAction *a : acts)
        a->setEnabled(interaction.has_value());
    m_transcriptStack->setCurrentIndex(interaction ? 1 : 0);
    updateHeader();
    m_transcriptView->scrollToTop();
}

void InteractionsViewer::updateHeader()
{
    const auto &interaction = m_transcript->interaction();
    if (!interaction) {
        m_problemLabel->clear();
        m_rolesLabel->clear();
        m_statusLabel->clear();
        return;
    }
    m_problemLabel->setText(
        m_problemStatement.isEmpty()
            ? tr("Problem %1 (not in this workspace)").arg(interaction->problemId)
            : elided(m_problemStatement, kProblemExcerptChars));
    m_problemLabel->setToolTip(m_problemStatement);

    QStringList roles;
    const auto &participants = m_transcript->participants();
    for (size_t i = 0; i < participants.size(); ++i) {
        const auto &p = participants[i];
        const QString color = ChatBubbleDelegate::accentColor(static_cast<int>(i)).name();
        const QString kind = p.isUser ? tr("user persona") : tr("agent");
        const QString name = p.name.isEmpty() ? p.role : p.name;
        roles << QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;<b>%2</b>"
                                "&nbsp;<span style=\"color:%3\">%4</span>")
                     .arg(color, name.toHtmlEscaped(),
                          palette().color(QPalette::PlaceholderText).name(), kind);
    }
    m_rolesLabel->setText(roles.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
    QStringList tips;
    for (const auto &p : participants)
        if (!p.description.isEmpty())
            tips << (p.name.isEmpty() ? p.role : p.name) % QStringLiteral(": ") % p.description;
    m_rolesLabel->setToolTip(tips.join(QLatin1Char('\n')));

    const QString reason = interaction->stopReason;
    const QColor reasonColor = reason == QLatin1String("goal_reached") ? QColor(0x2f, 0x85, 0x5a)
                               : reason == QLatin1String("repetition")
                                   ? QColor(0xb7, 0x79, 0x1f)
                                   : palette().color(QPalette::Text);
    const auto turns = static_cast<int>(interaction->turns.size());
    const int limit = m_transcript->turnLimit();
    QStringList parts;
    parts << QStringLiteral("<b style=\"color:%1\">%2</b>")
                 .arg(reasonColor.name(),
                      InteractionListModel::stopReasonText(reason).toHtmlEscaped());
    parts << (limit > 0 ? tr("%1 of %2 turns").arg(turns).arg(limit) : tr("%n turn(s)", "", turns));
    if (const QString provider = m_transcript->providerText(); !provider.isEmpty())
        parts << (provider == QLatin1String("simulated")
                      ? tr("simulated provider")
                      : tr("model %1").arg(provider.toHtmlEscaped()));
    parts << costText(m_transcript->costUsd());
    const QString job = m_transcript->jobId();
    parts << (job.isEmpty() ? tr("no job recorded")
                            : tr("job <code>%1</code>").arg(job.toHtmlEscaped()));
    m_statusLabel->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    m_statusLabel->setToolTip(tr("Interaction %1").arg(interaction->id));
}

void InteractionsViewer::updateListState()
{
    // A reset clears the current row without a signal: drop the transcript it belonged to.
    if (!m_list->currentIndex().isValid() && m_transcript->interaction())
        showInteraction(-1);
    const int rows = m_model->rowCount();
    const qint64 total = m_model->totalCount();
    m_countLabel->setText(m_workspace ? tr("%n interaction(s)", "", static_cast<int>(total))
                                      : QString());
    m_listStack->setCurrentIndex(rows > 0 ? 0 : 1);
    if (rows > 0)
        return;
    const QString problem = m_model->problemFilter();
    const QString command =
        QStringLiteral("<code>crucible-cli generate interactions %1 --problem %2</code>")
            .arg(m_workspace ? QDir::toNativeSeparators(m_workspace->path()).toHtmlEscaped()
                             : QStringLiteral("WORKSPACE"),
                 problem.isEmpty() ? QStringLiteral("ID") : problem.toHtmlEscaped());
    QString text;
    if (!m_workspace)
        text = tr("<p>No workspace open.</p>");
    else if (!problem.isEmpty())
        text = tr("<p><b>No interactions for this problem yet.</b></p>"
                  "<p>Generate some with <b>Generate → Interactions…</b>, or from a "
                  "terminal:</p><p>%1</p>")
                   .arg(command);
    else
        text = tr("<p><b>No interactions yet.</b></p>"
                  "<p>Interactions are simulated conversations about a problem between a user "
                  "persona and agents.</p>"
                  "<p>Generate them with <b>Generate → Interactions…</b>, or from a "
                  "terminal:</p><p>%1</p>")
                   .arg(command);
    m_emptyLabel->setText(text);
    m_generateButton->setVisible(
        m_workspace && !m_workspace->isReadOnly() &&
        isSignalConnected(QMetaMethod::fromSignal(&InteractionsViewer::generateRequested)));
}

QString InteractionsViewer::transcriptText() const
{
    return m_transcript->toPlainText(m_problemStatement);
}

void InteractionsViewer::copyTranscript()
{
    const QString text = transcriptText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

QString InteractionsViewer::statusText() const
{
    return QTextDocumentFragment::fromHtml(m_statusLabel->text()).toPlainText();
}

QString InteractionsViewer::problemText() const
{
    return m_problemLabel->text();
}

bool InteractionsViewer::isEmptyStateShown() const
{
    return m_listStack->currentIndex() == 1;
}

QString InteractionsViewer::emptyStateText() const
{
    return m_emptyLabel->text();
}

} // namespace crucible
