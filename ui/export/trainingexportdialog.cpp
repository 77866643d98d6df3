#include "ui/export/trainingexportdialog.h"

#include "core/store/graphexporter.h"
#include "core/store/preferenceexporter.h"
#include "core/store/solutionexporter.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <climits>

namespace crucible {

struct TrainingExportDialog::Counts
{
    qint64 available = 0;
    qint64 matched = 0;
    qint64 evaluationNodes = 0; // graph formats: nodes besides problems and datasets
    QString error;
};

struct TrainingExportDialog::Outcome
{
    qint64 written = 0;
    qint64 relationships = 0;
    qint64 skipped = 0;
    QString error;
};

namespace {

struct Options
{
    TrainingExportFormat format;
    bool onlyAgreed = false;
    bool onlyAccepted = false;
    std::optional<double> minGap;
};

bool isPairs(TrainingExportFormat f)
{
    return f == TrainingExportFormat::Dpo || f == TrainingExportFormat::DpoOpenAi;
}

bool isGraph(TrainingExportFormat f)
{
    return f == TrainingExportFormat::Cypher || f == TrainingExportFormat::Neo4jCsv;
}

PreferenceExportOptions pairOptions(const Options &o)
{
    PreferenceExportOptions p;
    p.format = o.format == TrainingExportFormat::DpoOpenAi ? PreferenceFormat::OpenAi
                                                           : PreferenceFormat::Trl;
    p.onlyAgreed = o.onlyAgreed;
    p.onlyAccepted = o.onlyAccepted;
    p.minScoreGap = o.minGap;
    return p;
}

QString counted(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? one : many);
}

int clampInt(qint64 v)
{
    return static_cast<int>(std::min<qint64>(v, INT_MAX));
}

} // namespace

TrainingExportDialog::TrainingExportDialog(const QString &workspacePath, QWidget *parent)
    : QDialog(parent)
    , m_wsPath(workspacePath)
{
    setObjectName(QStringLiteral("trainingExportDialog"));
    setWindowTitle(tr("Export Training Data"));
    buildUi();
    onFormatChanged();
}

bool TrainingExportDialog::event(QEvent *e)
{
    const bool handled = QDialog::event(e);
    if (e->type() == QEvent::LayoutRequest) {
        const int needed = heightForWidth(width());
        if (needed > height())
            resize(width(), needed);
    }
    return handled;
}

TrainingExportDialog::~TrainingExportDialog()
{
    for (QFuture<void> &f : m_pending)
        f.waitForFinished();
}

void TrainingExportDialog::buildUi()
{
    auto *layout = new QVBoxLayout(this);

    auto *form = new QFormLayout;
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->addItem(tr("DPO preference pairs — TRL (prompt, chosen, rejected)"),
                      static_cast<int>(TrainingExportFormat::Dpo));
    m_format->addItem(tr("DPO preference pairs — OpenAI preference fine-tuning"),
                      static_cast<int>(TrainingExportFormat::DpoOpenAi));
    m_format->addItem(tr("Solutions with critiques, verdicts and lineage (JSONL)"),
                      static_cast<int>(TrainingExportFormat::Solutions));
    m_format->addItem(tr("Neo4j graph — Cypher script (cypher-shell)"),
                      static_cast<int>(TrainingExportFormat::Cypher));
    m_format->addItem(tr("Neo4j graph — neo4j-admin import CSVs (a folder)"),
                      static_cast<int>(TrainingExportFormat::Neo4jCsv));
    form->addRow(tr("&Format:"), m_format);
    m_formatHelp = new QLabel(this);
    m_formatHelp->setWordWrap(true);
    m_formatHelp->setObjectName(QStringLiteral("formatHelp"));
    form->addRow(QString(), m_formatHelp);
    layout->addLayout(form);

    auto *options = new QGroupBox(tr("Which pairs and solutions"), this);
    auto *optionsForm = new QFormLayout(options);
    m_onlyAgreed = new QCheckBox(tr("Only pairs whose &judges agreed"), options);
    m_onlyAgreed->setToolTip(tr("Both orders of the comparison chose the same solution, and no "
                                "other judge found a tie or the other winner"));
    optionsForm->addRow(m_onlyAgreed);
    m_minGap = new QDoubleSpinBox(options);
    m_minGap->setObjectName(QStringLiteral("minGap"));
    // In the pairwise judge's units (0–10); the step below 0 is "no minimum".
    m_minGap->setRange(-0.5, 10.0);
    m_minGap->setSingleStep(0.5);
    m_minGap->setDecimals(1);
    m_minGap->setSpecialValueText(tr("No minimum"));
    m_minGap->setValue(-0.5);
    m_minGap->setToolTip(tr("Only pairs whose chosen score beats the rejected score by at least "
                            "this much (the pairwise judge scores 0–10, the mean of both orders; "
                            "pairs without scores are left out)"));
    optionsForm->addRow(tr("Minimum score &gap:"), m_minGap);
    m_onlyAccepted = new QCheckBox(tr("Only problems a reviewer &accepted"), options);
    optionsForm->addRow(m_onlyAccepted);
    layout->addWidget(options);

    auto *destination = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_browse = new QPushButton(tr("&Browse…"), this);
    destination->addWidget(m_path, 1);
    destination->addWidget(m_browse);
    auto *destForm = new QFormLayout;
    auto *saveTo = new QLabel(tr("&Save to:"), this);
    saveTo->setBuddy(m_path);
    destForm->addRow(saveTo, destination);
    layout->addLayout(destForm);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("exportSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_progress = new QProgressBar(this);
    m_progress->hide();
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setDefault(true);
    layout->addWidget(buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this,
            &TrainingExportDialog::onFormatChanged);
    connect(m_onlyAgreed, &QCheckBox::toggled, this, &TrainingExportDialog::recount);
    connect(m_onlyAccepted, &QCheckBox::toggled, this, &TrainingExportDialog::recount);
    connect(m_minGap, &QDoubleSpinBox::valueChanged, this, &TrainingExportDialog::recount);
    connect(m_path, &QLineEdit::textEdited, this, [this] {
        m_pathEdited = true;
        updateButtons();
    });
    connect(m_path, &QLineEdit::textChanged, this, &TrainingExportDialog::updateButtons);
    connect(m_browse, &QPushButton::clicked, this, &TrainingExportDialog::browse);
    // Export runs in the dialog; Close (reject) closes it.
    connect(buttons, &QDialogButtonBox::accepted, this, &TrainingExportDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(620, sizeHint().height());
}

QString TrainingExportDialog::defaultFileName(TrainingExportFormat format)
{
    switch (format) {
    case TrainingExportFormat::Dpo:
        return QStringLiteral("preference-pairs.jsonl");
    case TrainingExportFormat::DpoOpenAi:
        return QStringLiteral("preference-pairs-openai.jsonl");
    case TrainingExportFormat::Solutions:
        return QStringLiteral("solutions.jsonl");
    case TrainingExportFormat::Cypher:
        return QStringLiteral("graph.cypher");
    case TrainingExportFormat::Neo4jCsv:
        return QStringLiteral("neo4j-import");
    }
    return {};
}

void TrainingExportDialog::setFormat(TrainingExportFormat format)
{
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(format)));
}

TrainingExportFormat TrainingExportDialog::format() const
{
    return static_cast<TrainingExportFormat>(m_format->currentData().toInt());
}

void TrainingExportDialog::setDestination(const QString &path)
{
    m_path->setText(path);
    m_pathEdited = true;
}

QString TrainingExportDialog::destination() const
{
    return m_path->text().trimmed();
}

QString TrainingExportDialog::summaryText() const
{
    return m_summary->text();
}

QString TrainingExportDialog::statusText() const
{
    return m_status->text();
}

void TrainingExportDialog::onFormatChanged()
{
    const TrainingExportFormat f = format();
    m_onlyAgreed->setEnabled(isPairs(f));
    m_minGap->setEnabled(isPairs(f));
    m_onlyAccepted->setEnabled(!isGraph(f));
    switch (f) {
    case TrainingExportFormat::Dpo:
        m_formatHelp->setText(tr("One JSON object a line: {\"prompt\", \"chosen\", \"rejected\"} "
                                 "— TRL's standard preference format with an explicit prompt, "
                                 "for DPOTrainer."));
        break;
    case TrainingExportFormat::DpoOpenAi:
        m_formatHelp->setText(tr("One JSON object a line: {\"input\": {\"messages\"}, "
                                 "\"preferred_output\", \"non_preferred_output\"} — for OpenAI's "
                                 "preference (DPO) fine-tuning."));
        break;
    case TrainingExportFormat::Solutions:
        m_formatHelp->setText(tr("One solution a line with its problem, agent version, "
                                 "critiques, verdicts (scores and rationales), human judgments "
                                 "and refinement lineage."));
        break;
    case TrainingExportFormat::Cypher:
        m_formatHelp->setText(tr("Constraints, then batched UNWIND … MERGE statements. Load with "
                                 "cypher-shell -f graph.cypher (idempotent)."));
        break;
    case TrainingExportFormat::Neo4jCsv:
        m_formatHelp->setText(tr("A folder with one CSV per label and relationship type and an "
                                 "import.sh that runs neo4j-admin database import full."));
        break;
    }
    if (!m_pathEdited && !m_wsPath.isEmpty())
        m_path->setText(QDir::toNativeSeparators(
            QFileInfo(m_wsPath).absoluteDir().filePath(defaultFileName(f))));
    recount();
}

void TrainingExportDialog::recount()
{
    const int generation = ++m_generation;
    m_matched = -1;
    m_summary->setText(tr("Counting…"));
    updateButtons();
    Options o{format(), m_onlyAgreed->isChecked(), m_onlyAccepted->isChecked(), std::nullopt};
    if (m_minGap->value() > m_minGap->minimum())
        o.minGap = m_minGap->value();
    auto *watcher = new QFutureWatcher<Counts>(this);
    connect(watcher, &QFutureWatcher<Counts>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        onCounts(generation, watcher->result());
    });
    watcher->setFuture(track(QtConcurrent::run(workspacePool(), [path = m_wsPath, o] {
        Counts c;
        try {
            auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            if (isPairs(o.format)) {
                PreferenceExporter exporter(*ws);
                c.available = exporter.available();
                c.matched = exporter.count(pairOptions(o));
            } else if (o.format == TrainingExportFormat::Solutions) {
                SolutionExporter exporter(*ws);
                SolutionExportOptions options;
                options.onlyAccepted = o.onlyAccepted;
                c.available = exporter.available();
                c.matched = exporter.count(options);
            } else {
                GraphExporter exporter(*ws);
                c.available = c.matched = exporter.nodeTotal();
                c.evaluationNodes = exporter.evaluationNodeTotal();
            }
        } catch (const std::exception &e) {
            c.error = QString::fromUtf8(e.what());
        }
        return c;
    })));
}

void TrainingExportDialog::onCounts(int generation, const Counts &c)
{
    if (generation != m_generation)
        return; // the options changed since
    const TrainingExportFormat f = format();
    QString text;
    m_matched = c.error.isEmpty() ? c.matched : 0;
    if (!c.error.isEmpty()) {
        text = tr("Cannot read the workspace: %1").arg(c.error);
    } else if (isPairs(f)) {
        if (c.available == 0)
            text = tr("No preference pairs: run a tournament first (every decisive comparison "
                      "of two solutions makes a pair).");
        else if (c.matched == 0)
            text = tr("None of the %1 passes these options: relax them.")
                       .arg(counted(c.available, tr("preference pair"), tr("preference pairs")));
        else
            text = tr("%1 of %2 will be exported.")
                       .arg(QLocale().toString(c.matched))
                       .arg(counted(c.available, tr("preference pair"), tr("preference pairs")));
    } else if (f == TrainingExportFormat::Solutions) {
        if (c.available == 0)
            text = tr("No solutions yet: solve problems first.");
        else if (c.matched == 0)
            text = tr("None of the %1 is for an accepted problem.")
                       .arg(counted(c.available, tr("solution"), tr("solutions")));
        else
            text = tr("%1 of %2 will be exported.")
                       .arg(QLocale().toString(c.matched))
                       .arg(counted(c.available, tr("solution"), tr("solutions")));
    } else if (c.available == 0) {
        text = tr("The workspace is empty: nothing to export yet.");
    } else if (c.evaluationNodes == 0) {
        text = tr("%1, problems and datasets only: agents, solutions and comparisons join the "
                  "graph once you solve problems and run tournaments.")
                   .arg(counted(c.available, tr("node"), tr("nodes")));
    } else {
        text = tr("%1: problems, datasets, agents and their versions, solutions, critiques, "
                  "verdicts, comparisons and tournaments.")
                   .arg(counted(c.available, tr("node"), tr("nodes")));
    }
    m_summary->setText(text);
    updateButtons();
    emit countsReady(c.available, m_matched);
}

void TrainingExportDialog::browse()
{
    const TrainingExportFormat f = format();
    auto *dialog = new QFileDialog(this, tr("Export Training Data"), destination());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (f == TrainingExportFormat::Neo4jCsv) {
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
    } else {
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setNameFilter(f == TrainingExportFormat::Cypher
                                  ? tr("Cypher scripts (*.cypher *.cql);;All files (*)")
                                  : tr("JSON Lines (*.jsonl);;All files (*)"));
    }
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        m_path->setText(QDir::toNativeSeparators(path));
        m_pathEdited = true;
    });
    dialog->open(); // no nested event loop
}

void TrainingExportDialog::updateButtons()
{
    m_export->setEnabled(!m_busy && m_matched > 0 && !destination().isEmpty());
    m_format->setEnabled(!m_busy);
    m_browse->setEnabled(!m_busy);
}

void TrainingExportDialog::startExport()
{
    if (m_busy || m_matched <= 0 || destination().isEmpty())
        return;
    const QString path = QDir::fromNativeSeparators(destination());
    const TrainingExportFormat f = format();
    const QFileInfo info(path);
    QString refused;
    if (info.absoluteFilePath() == QFileInfo(m_wsPath).absoluteFilePath())
        refused = tr("%1 is the workspace itself; choose another file.");
    else if (f == TrainingExportFormat::Neo4jCsv && info.exists() && !info.isDir())
        refused = tr("%1 is a file; the neo4j-admin CSVs go into a folder (it is created when "
                     "missing).");
    else if (f != TrainingExportFormat::Neo4jCsv && info.isDir())
        refused = tr("%1 is a folder; choose a file name.");
    if (!refused.isEmpty()) {
        const QString error = refused.arg(QDir::toNativeSeparators(path));
        m_status->setText(error);
        emit exportFinished(path, 0, error);
        return;
    }

    Options o{f, m_onlyAgreed->isChecked(), m_onlyAccepted->isChecked(), std::nullopt};
    if (m_minGap->value() > m_minGap->minimum())
        o.minGap = m_minGap->value();
    m_busy = true;
    updateButtons();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_status->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(path)));

    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::progressRangeChanged, m_progress,
            &QProgressBar::setRange);
    connect(watcher, &QFutureWatcher<Outcome>::progressValueChanged, m_progress,
            &QProgressBar::setValue);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, path, f] {
        watcher->deleteLater();
        m_busy = false;
        m_progress->hide();
        updateButtons();
        const Outcome out = watcher->result();
        const QString where = QDir::toNativeSeparators(path);
        if (!out.error.isEmpty()) {
            m_status->setText(tr("Export failed: %1").arg(out.error));
        } else if (isPairs(f)) {
            QString text =
                tr("Exported %1 to %2.")
                    .arg(counted(out.written, tr("preference pair"), tr("preference pairs")),
                         where);
            if (out.skipped > 0)
                text += QLatin1Char(' ') +
                        tr("Skipped %1 with an empty text or the same chosen and rejected text.")
                            .arg(counted(out.skipped, tr("pair"), tr("pairs")));
            m_status->setText(text);
        } else if (f == TrainingExportFormat::Solutions) {
            m_status->setText(
                tr("Exported %1 to %2.")
                    .arg(counted(out.written, tr("solution"), tr("solutions")), where));
        } else {
            QString text = tr("Exported %1 nodes and %2 relationships to %3.")
                               .arg(out.written)
                               .arg(out.relationships)
                               .arg(where);
            text += QLatin1Char(' ') +
                    (f == TrainingExportFormat::Neo4jCsv
                         ? tr("Import with import.sh in that folder (Neo4j stopped).")
                         : tr("Load with cypher-shell -u neo4j -p PASSWORD -f %1.").arg(where));
            m_status->setText(text);
        }
        emit exportFinished(path, out.written, out.error);
    });
    watcher->setFuture(track(QtConcurrent::run(
        workspacePool(), [wsPath = m_wsPath, path, o](QPromise<Outcome> &promise) {
            Outcome out;
            try {
                auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
                bool ranged = false;
                auto progress = [&promise, &ranged](qint64 done, qint64 total) {
                    if (!ranged && total > 0) {
                        promise.setProgressRange(0, clampInt(total));
                        ranged = true;
                    }
                    promise.setProgressValue(clampInt(done));
                };
                if (isPairs(o.format)) {
                    PreferenceExportOptions options = pairOptions(o);
                    options.progress = progress;
                    const PreferenceExportResult r =
                        PreferenceExporter(*ws).exportToFile(path, options);
                    out.written = r.written;
                    out.skipped = r.skippedEmpty + r.skippedSame;
                } else if (o.format == TrainingExportFormat::Solutions) {
                    SolutionExportOptions options;
                    options.onlyAccepted = o.onlyAccepted;
                    options.progress = progress;
                    out.written = SolutionExporter(*ws).exportToFile(path, options).written;
                } else {
                    GraphExportOptions options;
                    options.progress = progress;
                    GraphExporter exporter(*ws);
                    const GraphExportResult r = o.format == TrainingExportFormat::Neo4jCsv
                                                    ? exporter.exportCsv(path, options)
                                                    : exporter.exportCypher(path, options);
                    out.written = r.nodeCount;
                    out.relationships = r.relationshipCount;
                }
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
            }
            promise.addResult(out);
        })));
}

} // namespace crucible
