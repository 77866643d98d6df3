#include "ui/startpage.h"

#include <QCommandLinkButton>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QUrl>
#include <QVBoxLayout>

namespace crucible {

namespace {

constexpr int kMaxRecent = 5;
constexpr int kColumnWidth = 640;

QCommandLinkButton *linkButton(const QString &name, const QString &text, const QString &description,
                               QWidget *parent)
{
    auto *button = new QCommandLinkButton(text, description, parent);
    button->setObjectName(name);
    return button;
}

} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    auto *column = new QWidget;
    column->setObjectName(QStringLiteral("startColumn"));
    column->setMaximumWidth(kColumnWidth);

    auto *title = new QLabel(tr("Welcome to Crucible"), column);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    title->setFont(titleFont);

    auto *about = new QLabel(
        tr("Crucible turns a short description of a domain into families of test problems for "
           "LLM agents.<br>"
           "It varies them, mixes their complexity, covers every combination of the dimensions "
           "you name and writes adversarial cases.<br>"
           "Everything stays in one workspace file that you can review, replay and export."),
        column);
    about->setObjectName(QStringLiteral("startAbout"));
    about->setWordWrap(true);

    m_situation = new QLabel(column);
    m_situation->setObjectName(QStringLiteral("startSituation"));
    m_situation->setWordWrap(true);
    m_situation->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_generate = linkButton(
        QStringLiteral("startGenerate"), tr("Generate problems for a domain"),
        tr("Describe the domain in a sentence; Crucible writes seed problems, then datasets of "
           "variations. The Simulated provider works without an API key."),
        column);
    m_matrix = linkButton(QStringLiteral("startMatrix"), tr("Design a problem matrix"),
                          tr("Name the dimensions of your domain and their values; Crucible "
                             "covers every pair of values with as few problems as possible."),
                          column);
    m_import = linkButton(QStringLiteral("startImport"), tr("Import your own problems"),
                          tr("Bring problems you already have: JSON Lines, JSON or CSV."), column);
    m_example = linkButton(QStringLiteral("startExample"), tr("Open the example workspace"),
                           tr("Ten sample problems from different domains, with lineage, to "
                              "look around first. Your own workspaces stay separate."),
                           column);

    auto *open = new QLabel(column);
    open->setObjectName(QStringLiteral("startOpen"));
    open->setText(QStringLiteral("<a href=\"open\">%1</a>").arg(tr("Open a workspace…")));
    m_recent = new QLabel(column);
    m_recent->setObjectName(QStringLiteral("startRecent"));
    m_recent->setWordWrap(true);
    m_recent->hide();

    auto *layout = new QVBoxLayout(column);
    layout->setSpacing(10);
    layout->addWidget(title);
    layout->addWidget(about);
    layout->addSpacing(6);
    layout->addWidget(m_situation);
    layout->addWidget(m_generate);
    layout->addWidget(m_matrix);
    layout->addWidget(m_import);
    layout->addWidget(m_example);
    layout->addSpacing(6);
    layout->addWidget(open);
    layout->addWidget(m_recent);
    layout->addStretch(1);

    // Centred when there is room, scrollable when there is not: nothing is ever squeezed.
    auto *page = new QWidget;
    auto *centre = new QHBoxLayout(page);
    centre->setContentsMargins(24, 24, 24, 24);
    centre->addStretch(1);
    centre->addWidget(column, 100);
    centre->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("startScroll"));
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_generate, &QCommandLinkButton::clicked, this, &StartPage::generateRequested);
    connect(m_matrix, &QCommandLinkButton::clicked, this, &StartPage::matrixRequested);
    connect(m_import, &QCommandLinkButton::clicked, this, &StartPage::importRequested);
    connect(m_example, &QCommandLinkButton::clicked, this, &StartPage::exampleRequested);
    connect(open, &QLabel::linkActivated, this, &StartPage::openRequested);
    connect(m_recent, &QLabel::linkActivated, this,
            [this](const QString &link) { emit recentRequested(QUrl(link).toLocalFile()); });
    setWorkspace(QString(), false);
}

void StartPage::setWorkspace(const QString &path, bool readOnly)
{
    if (path.isEmpty())
        m_situation->setText(tr("No workspace is open. Generating or importing first asks where "
                                "to keep your problems."));
    else if (readOnly)
        m_situation->setText(tr("%1 has no problems yet, and it is read-only: open or create "
                                "another workspace to add some.")
                                 .arg(QDir::toNativeSeparators(path)));
    else
        m_situation->setText(
            tr("%1 has no problems yet. Start here:").arg(QDir::toNativeSeparators(path)));
}

void StartPage::setRecent(const QStringList &paths)
{
    QStringList links;
    for (const QString &path : paths) {
        if (links.size() == kMaxRecent)
            break;
        const QFileInfo info(path);
        links << QStringLiteral("<a href=\"%1\">%2</a> <span style=\"color: gray\">%3</span>")
                     .arg(QUrl::fromLocalFile(info.absoluteFilePath()).toString().toHtmlEscaped(),
                          info.fileName().toHtmlEscaped(),
                          QDir::toNativeSeparators(info.absolutePath()).toHtmlEscaped());
    }
    m_recent->setVisible(!links.isEmpty());
    m_recent->setText(tr("Recent:") % QStringLiteral("<br>") % links.join(QStringLiteral("<br>")));
}

QString StartPage::situationText() const
{
    return m_situation->text();
}

} // namespace crucible
