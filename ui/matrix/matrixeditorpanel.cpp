#include "ui/matrix/matrixeditorpanel.h"

#include "core/generate/generationjob.h"
#include "ui/matrix/constrainteditor.h"
#include "ui/matrix/matrixcommands.h"
#include "ui/matrix/matrixdocument.h"
#include "ui/matrix/paircoverageview.h"
#include "ui/models/matrixrowsmodel.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace crucible {

namespace {

const char *const kExample = R"(Channel: Email, Chat, Phone
Customer tier: Free, Pro, Enterprise
Issue: Billing, Bug, Outage, How-to
Urgency: Low, High

# Free customers get no phone support; outages are always urgent.
IF [Customer tier] = "Free" THEN [Channel] <> "Phone";
IF [Issue] = "Outage" THEN [Urgency] = "High";
)";

const QString kRed = QStringLiteral("#b71c1c");
const QString kGreen = QStringLiteral("#1b5e20");
const QString kGrey = QStringLiteral("#555555");
const QString kAmber = QStringLiteral("#8a5a00");

QString dimensionsText(const MatrixParameter &p, std::size_t v)
{
    QStringList names{QString::fromStdString(p.values[v])};
    if (v < p.aliases.size()) {
        for (const std::string &alias : p.aliases[v])
            names << QString::fromStdString(alias);
    }
    return names.join(QStringLiteral(" | "));
}

QString trimmedConstraints(const std::string &text)
{
    QString s = QString::fromStdString(text);
    while (s.endsWith(QLatin1Char('\n')) || s.endsWith(QLatin1Char(' ')) ||
           s.endsWith(QLatin1Char('\r')))
        s.chop(1);
    return s.isEmpty() ? s : s + QLatin1Char('\n');
}

// PICT reads comment lines before the first constraint as part of the parameter section; keep
// the block of comments just above the constraints with them, so that it survives an import.
QString leadingComments(const QString &text, const std::string &constraintsText)
{
    const qsizetype constraintsSize = QString::fromStdString(constraintsText).size();
    const QStringList lines = text.left(text.size() - constraintsSize).split(QLatin1Char('\n'));
    qsizetype first = lines.size();
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        const QString line = lines[i].trimmed();
        if (line.startsWith(QLatin1Char('#')))
            first = i;
        else if (!line.isEmpty())
            break;
    }
    if (constraintsSize == 0 || first == lines.size())
        return {};
    // The last element is the (empty) rest of the line the constraints start on.
    return lines.mid(first, lines.size() - first - 1).join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QPushButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setToolTip(tip);
    return button;
}

} // namespace

MatrixEditorPanel::MatrixEditorPanel(QWidget *parent)
    : QWidget(parent)
    , m_document(new MatrixDocument(this))
    , m_undo(new QUndoStack(this))
    , m_analyzer(new MatrixAnalyzer(this))
{
    setObjectName(QStringLiteral("MatrixEditorPanel"));

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(createDimensionsBox());
    left->addWidget(createConstraintsBox());
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(left);
    main->addWidget(createResultsBox());
    main->setStretchFactor(0, 5);
    main->setStretchFactor(1, 4);
    main->setChildrenCollapsible(false);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("matrixStatus"));
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(createToolbar());
    layout->addWidget(main, 1);
    layout->addWidget(m_statusLabel);

    QAction *undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction *action : {undo, redo}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    m_generateAction = new QAction(tr("Generate problems…"), this);
    m_generateAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_generateAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_generateAction);
    connect(m_generateAction, &QAction::triggered, this, &MatrixEditorPanel::requestGeneration);
    connect(m_generate, &QPushButton::clicked, this, &MatrixEditorPanel::requestGeneration);

    connect(m_constraints, &ConstraintEditor::undoRequested, m_undo, &QUndoStack::undo);
    connect(m_constraints, &ConstraintEditor::redoRequested, m_undo, &QUndoStack::redo);
    connect(m_constraints, &ConstraintEditor::edited, this,
            &MatrixEditorPanel::onConstraintsEdited);
    connect(m_document, &MatrixDocument::constraintsChanged, this,
            [this](const QString &text, int cursor) {
                if (m_constraints->toPlainText() != text)
                    m_constraints->replaceText(text, cursor);
            });
    connect(m_document, &MatrixDocument::changed, this, &MatrixEditorPanel::onDocumentChanged);
    connect(m_document, &MatrixDocument::seedChanged, this, [this](quint64 seed) {
        const QSignalBlocker blocker(m_seed);
        m_seed->setValue(
            static_cast<int>(std::min<quint64>(seed, std::numeric_limits<int>::max())));
    });
    connect(m_strength, &QSpinBox::valueChanged, this, &MatrixEditorPanel::setStrength);
    connect(m_seed, &QSpinBox::valueChanged, this,
            [this](int seed) { setSeed(static_cast<quint64>(seed)); });
    connect(m_analyzer, &MatrixAnalyzer::parsed, this, &MatrixEditorPanel::onParsed);
    connect(m_analyzer, &MatrixAnalyzer::finished, this, &MatrixEditorPanel::onAnalysisFinished);
    m_document->dimensions()->setEditHandler(
        [this](int row, MatrixDimensionModel::Column column, const QString &text) {
            editDimension(row, column, text);
        });

    // Start with a worked example rather than an empty page; it is not an undo step.
    loadPictText(QString::fromUtf8(kExample), QStringLiteral("example"));
    m_undo->clear();
    m_analyzer->runNow();
}

MatrixEditorPanel::~MatrixEditorPanel() = default;

QLayout *MatrixEditorPanel::createToolbar()
{
    auto *importButton = toolButton(tr("Import PICT…"), tr("Read a PICT model file"), this);
    auto *exportButton = toolButton(tr("Export PICT…"), tr("Write the model as a PICT file"), this);
    auto *exampleButton =
        toolButton(tr("Example"), tr("Replace the matrix with the customer-support example"), this);
    connect(importButton, &QPushButton::clicked, this, &MatrixEditorPanel::importPict);
    connect(exportButton, &QPushButton::clicked, this, &MatrixEditorPanel::exportPict);
    connect(exampleButton, &QPushButton::clicked, this, &MatrixEditorPanel::loadExample);

    m_strength = new QSpinBox(this);
    m_strength->setObjectName(QStringLiteral("matrixStrength"));
    m_strength->setRange(1, 2);
    m_strength->setValue(2);
    m_strength->setToolTip(tr("Every combination of this many dimensions appears in some row "
                              "(2 = all pairs)"));
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("matrixSeed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setToolTip(tr("Same model, strength and seed give the same rows"));

    m_generate = new QPushButton(tr("Generate problems…"), this);
    m_generate->setObjectName(QStringLiteral("matrixGenerate"));
    m_generate->setToolTip(tr("Turn the rows into problems (Ctrl+Enter)"));
    m_generate->setDefault(true);
    m_generate->setEnabled(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(importButton);
    bar->addWidget(exportButton);
    bar->addWidget(exampleButton);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Strength"), this));
    bar->addWidget(m_strength);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(m_seed);
    bar->addStretch(1);
    bar->addWidget(m_generate);
    return bar;
}

QWidget *MatrixEditorPanel::createDimensionsBox()
{
    auto *box = new QGroupBox(tr("Dimensions"), this);
    m_dimensionTable = new QTableView(box);
    m_dimensionTable->setObjectName(QStringLiteral("dimensionTable"));
    m_dimensionTable->setModel(m_document->dimensions());
    m_dimensionTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_dimensionTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_dimensionTable->setEditTriggers(QAbstractItemView::DoubleClicked |
                                      QAbstractItemView::EditKeyPressed |
                                      QAbstractItemView::AnyKeyPressed);
    m_dimensionTable->setAlternatingRowColors(true);
    m_dimensionTable->setWordWrap(false);
    QHeaderView *header = m_dimensionTable->horizontalHeader();
    header->setSectionResizeMode(MatrixDimensionModel::NameColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(MatrixDimensionModel::ValuesColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(MatrixDimensionModel::WeightsColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(MatrixDimensionModel::CountColumn, QHeaderView::ResizeToContents);
    m_dimensionTable->setColumnWidth(MatrixDimensionModel::NameColumn, 150);
    m_dimensionTable->setColumnWidth(MatrixDimensionModel::WeightsColumn, 90);
    m_dimensionTable->verticalHeader()->setDefaultSectionSize(
        m_dimensionTable->fontMetrics().height() + 10);

    auto *add = toolButton(tr("Add"), tr("Add a dimension (Insert)"), box);
    m_removeButton = toolButton(tr("Remove"), tr("Remove the selected dimension (Delete)"), box);
    m_upButton = toolButton(tr("Move up"), tr("Move the selected dimension up (Alt+Up)"), box);
    m_downButton =
        toolButton(tr("Move down"), tr("Move the selected dimension down (Alt+Down)"), box);
    connect(add, &QPushButton::clicked, this, &MatrixEditorPanel::addDimension);
    connect(m_removeButton, &QPushButton::clicked, this, [this] { removeDimension(currentRow()); });
    connect(m_upButton, &QPushButton::clicked, this, [this] { moveDimension(currentRow(), -1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { moveDimension(currentRow(), 1); });

    const auto tableAction = [this](QKeySequence key, auto slot) {
        auto *action = new QAction(m_dimensionTable);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetShortcut); // not while an inline editor is open
        connect(action, &QAction::triggered, this, slot);
        m_dimensionTable->addAction(action);
    };
    tableAction(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { moveDimension(currentRow(), -1); });
    tableAction(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { moveDimension(currentRow(), 1); });
    tableAction(QKeySequence(Qt::Key_Delete), [this] { removeDimension(currentRow()); });
    tableAction(QKeySequence(Qt::Key_Insert), [this] { addDimension(); });
    connect(m_dimensionTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MatrixEditorPanel::updateActions);

    auto *buttons = new QVBoxLayout;
    for (QPushButton *button : {add, m_removeButton, m_upButton, m_downButton})
        buttons->addWidget(button);
    buttons->addStretch(1);
    auto *layout = new QHBoxLayout(box);
    layout->addWidget(m_dimensionTable, 1);
    layout->addLayout(buttons);
    return box;
}

QWidget *MatrixEditorPanel::createConstraintsBox()
{
    auto *box = new QGroupBox(tr("Constraints (PICT)"), this);
    m_constraints = new ConstraintEditor(box);
    m_constraints->setObjectName(QStringLiteral("constraintEditor"));
    auto *hint = new QLabel(tr("<small>IF … THEN … [ELSE …]; · AND OR NOT · = &lt;&gt; &lt; &gt; "
                               "&lt;= &gt;= · IN {\"a\", \"b\"} · LIKE \"Pro*\" · [A] = [B] · "
                               "# comment</small>"),
                            box);
    hint->setStyleSheet(QStringLiteral("color: %1").arg(kGrey));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_constraints, 1);
    layout->addWidget(hint);
    return box;
}

QWidget *MatrixEditorPanel::createResultsBox()
{
    auto *box = new QWidget(this);
    auto *countsBox = new QGroupBox(tr("Counts"), box);
    auto *grid = new QGridLayout(countsBox);
    const QList<QPair<QString, QString>> counts = {
        {QStringLiteral("product"), tr("Full product")},
        {QStringLiteral("allowed"), tr("Allowed rows")},
        {QStringLiteral("covering"), tr("Covering rows")},
        {QStringLiteral("tuples"), tr("Tuples covered")},
        {QStringLiteral("time"), tr("Time")}};
    for (int i = 0; i < counts.size(); ++i) {
        auto *caption = new QLabel(counts[i].second, countsBox);
        caption->setStyleSheet(QStringLiteral("color: %1").arg(kGrey));
        auto *value = new QLabel(QStringLiteral("–"), countsBox);
        value->setObjectName(QStringLiteral("count_") + counts[i].first);
        QFont font = value->font();
        font.setPointSizeF(font.pointSizeF() * 1.35);
        font.setBold(true);
        value->setFont(font);
        grid->addWidget(caption, 0, i);
        grid->addWidget(value, 1, i);
        m_counts.append({counts[i].first, value});
    }

    auto *rowsBox = new QGroupBox(tr("Covering array"), box);
    m_rowsHeading = new QLabel(rowsBox);
    m_rowsModel = new MatrixRowsModel(this);
    m_rowsTable = new QTableView(rowsBox);
    m_rowsTable->setObjectName(QStringLiteral("rowsTable"));
    m_rowsTable->setModel(m_rowsModel);
    m_rowsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rowsTable->setAlternatingRowColors(true);
    m_rowsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_rowsTable->verticalHeader()->setDefaultSectionSize(m_rowsTable->fontMetrics().height() + 6);
    auto *rowsLayout = new QVBoxLayout(rowsBox);
    rowsLayout->addWidget(m_rowsHeading);
    rowsLayout->addWidget(m_rowsTable, 1);

    auto *pairsBox = new QGroupBox(tr("Pair coverage"), box);
    m_pairs = new PairCoverageView(pairsBox);
    auto *pairsLayout = new QVBoxLayout(pairsBox);
    pairsLayout->addWidget(m_pairs);

    auto *split = new QSplitter(Qt::Vertical, box);
    split->addWidget(rowsBox);
    split->addWidget(pairsBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(countsBox);
    layout->addWidget(split, 1);
    return box;
}

QLabel *MatrixEditorPanel::countLabel(const QString &key) const
{
    for (const auto &[name, label] : m_counts) {
        if (name == key)
            return label;
    }
    return nullptr;
}

bool MatrixEditorPanel::loadPictText(const QString &text, const QString &fileName)
{
    PictModel model;
    const QByteArray utf8 = text.toUtf8();
    const QByteArray file = fileName.toUtf8();
    try {
        model = PictModel::parse(std::string_view(utf8.constData(), utf8.size()),
                                 std::string_view(file.constData(), file.size()));
    } catch (const PictParseError &e) {
        m_lastError = QString::fromStdString(e.what());
        setStatus(tr("Could not import: %1").arg(m_lastError), kRed);
        return false;
    }
    MatrixState state;
    for (const MatrixParameter &p : model.parameters) {
        MatrixDimension d;
        d.name = QString::fromStdString(p.name);
        for (std::size_t v = 0; v < p.values.size(); ++v) {
            d.values << dimensionsText(p, v);
            if (!p.weights.empty())
                d.weights << QString::number(p.weight(v));
        }
        state.dimensions << d;
    }
    state.constraints =
        leadingComments(text, model.constraintsText) + trimmedConstraints(model.constraintsText);
    state.strength = std::min(m_document->strength(), static_cast<int>(model.parameters.size()));
    state.strength =
        std::max(state.strength, std::min(2, static_cast<int>(model.parameters.size())));
    state.seed = m_document->seed();
    m_lastError.clear();
    m_undo->push(new ReplaceMatrixCommand(m_document, state,
                                          tr("Import %1").arg(QFileInfo(fileName).fileName())));
    return true;
}

QString MatrixEditorPanel::pictText() const
{
    return m_document->pictText();
}

bool MatrixEditorPanel::importPictFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_lastError = tr("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        setStatus(tr("Could not import: %1").arg(m_lastError), kRed);
        return false;
    }
    return loadPictText(QString::fromUtf8(file.readAll()), QDir::toNativeSeparators(path));
}

bool MatrixEditorPanel::exportPictFile(const QString &path)
{
    QSaveFile file(path);
    const QByteArray text = pictText().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        m_lastError = tr("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        setStatus(
            tr("Could not export: %1 — check the folder exists and is writable.").arg(m_lastError),
            kRed);
        return false;
    }
    m_lastError.clear();
    return true;
}

void MatrixEditorPanel::importPict()
{
    // Non-modal to the event loop: no nested exec(), the result arrives as a signal.
    auto *dialog = new QFileDialog(this, tr("Import PICT Model"), {},
                                   tr("PICT models (*.pict *.txt);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString &path) { importPictFile(path); });
    dialog->open();
}

void MatrixEditorPanel::exportPict()
{
    auto *dialog = new QFileDialog(this, tr("Export PICT Model"), QStringLiteral("matrix.pict"),
                                   tr("PICT models (*.pict *.txt);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("pict"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        if (exportPictFile(path))
            setStatus(tr("Exported to %1").arg(QDir::toNativeSeparators(path)), kGreen);
    });
    dialog->open();
}

void MatrixEditorPanel::loadExample()
{
    loadPictText(QString::fromUtf8(kExample), QStringLiteral("example"));
}

void MatrixEditorPanel::addDimension()
{
    MatrixDimensionModel *model = m_document->dimensions();
    const int row = currentRow() >= 0 ? currentRow() + 1 : model->rowCount();
    MatrixDimension d{
        model->uniqueName(tr("Dimension")), {QStringLiteral("A"), QStringLiteral("B")}, {}};
    m_undo->push(new InsertDimensionCommand(m_document, row, d));
    m_dimensionTable->setCurrentIndex(model->index(row, MatrixDimensionModel::NameColumn));
    if (m_dimensionTable->isVisible())
        m_dimensionTable->edit(m_dimensionTable->currentIndex());
}

void MatrixEditorPanel::removeDimension(int row)
{
    if (row < 0 || row >= m_document->dimensions()->rowCount())
        return;
    m_undo->push(new RemoveDimensionCommand(m_document, row));
}

void MatrixEditorPanel::moveDimension(int row, int delta)
{
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_document->dimensions()->rowCount() || delta == 0)
        return;
    m_undo->push(new MoveDimensionCommand(m_document, row, to));
    m_dimensionTable->setCurrentIndex(
        m_document->dimensions()->index(to, MatrixDimensionModel::NameColumn));
}

void MatrixEditorPanel::editDimension(int row, int column, const QString &text)
{
    MatrixDimensionModel *model = m_document->dimensions();
    if (row < 0 || row >= model->rowCount())
        return;
    const auto c = static_cast<MatrixDimensionModel::Column>(column);
    const MatrixDimension after = MatrixDimensionModel::edited(model->dimension(row), c, text);
    if (after == model->dimension(row))
        return;
    const QString label = c == MatrixDimensionModel::NameColumn     ? tr("Rename dimension")
                          : c == MatrixDimensionModel::ValuesColumn ? tr("Edit values")
                                                                    : tr("Edit weights");
    m_undo->push(new EditDimensionCommand(m_document, row, after, label));
}

void MatrixEditorPanel::setStrength(int strength)
{
    if (strength != m_document->effectiveStrength())
        m_undo->push(new SetNumberCommand(m_document, SetNumberCommand::Field::Strength, strength));
}

void MatrixEditorPanel::setSeed(quint64 seed)
{
    if (seed != m_document->seed())
        m_undo->push(new SetNumberCommand(m_document, SetNumberCommand::Field::Seed, seed));
}

int MatrixEditorPanel::strength() const
{
    return m_document->effectiveStrength();
}

quint64 MatrixEditorPanel::seed() const
{
    return m_document->seed();
}

bool MatrixEditorPanel::isAnalysing() const
{
    return m_analyzer->isBusy();
}

bool MatrixEditorPanel::canGenerate() const
{
    return m_analysisCurrent && m_analyzer->lastParse().ok && m_analysis.error.isEmpty() &&
           !m_analysis.rows.empty();
}

nlohmann::json MatrixEditorPanel::generationPlan() const
{
    if (!canGenerate())
        return nullptr;
    CoveringArrayResult array;
    array.rows = m_analysis.rows;
    array.requiredTuples = m_analysis.requiredTuples;
    array.excludedTuples = m_analysis.excludedTuples;
    array.seconds = m_analysis.seconds;
    return GenerationJob::matrixPlan(m_analyzer->lastParse().model, array, m_analysis.strength,
                                     m_document->seed());
}

QString MatrixEditorPanel::statusText() const
{
    return m_status;
}

void MatrixEditorPanel::requestGeneration()
{
    if (canGenerate())
        emit generateRequested(pictText(), strength(), seed());
}

int MatrixEditorPanel::currentRow() const
{
    return m_dimensionTable->currentIndex().isValid() ? m_dimensionTable->currentIndex().row() : -1;
}

void MatrixEditorPanel::updateActions()
{
    const int row = currentRow();
    const int n = m_document->dimensions()->rowCount();
    m_removeButton->setEnabled(row >= 0);
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row + 1 < n);
    const bool ready = canGenerate();
    m_generate->setEnabled(ready);
    m_generateAction->setEnabled(ready);
}

void MatrixEditorPanel::onConstraintsEdited(int position, int removed, int added)
{
    const QString text = m_constraints->toPlainText();
    if (text == m_document->constraints())
        return; // a formatting pass, not an edit
    m_undo->push(new ConstraintTextCommand(m_document, text, position, removed, added));
}

void MatrixEditorPanel::onDocumentChanged()
{
    {
        const QSignalBlocker blocker(m_strength);
        m_strength->setRange(1, std::max(1, m_document->dimensions()->rowCount()));
        m_strength->setValue(m_document->effectiveStrength());
    }
    m_analysisCurrent = false;
    const QString issue = m_document->dimensions()->firstIssue();
    if (!issue.isEmpty()) {
        m_analyzer->cancel();
        m_constraints->setErrorPosition(0, 0);
        setStatus(issue, kRed);
    } else {
        m_analyzer->request(m_document->dimensions()->dimensions(), m_document->constraints(),
                            m_document->effectiveStrength(), m_document->seed());
    }
    updateActions();
}

void MatrixEditorPanel::onParsed(const MatrixParseResult &result)
{
    m_constraints->setErrorPosition(result.line, result.column, result.error);
    if (!result.ok) {
        setStatus(result.error, kRed);
        return;
    }
    setStatus(tr("Generating the covering array…"), kGrey);
}

void MatrixEditorPanel::onAnalysisFinished(const MatrixAnalysis &analysis)
{
    m_analysis = analysis;
    m_analysisCurrent = true;
    const QLocale locale;
    const auto set = [this](const char *key, const QString &text) {
        countLabel(QString::fromLatin1(key))->setText(text);
    };
    set("product", analysis.product < 1e15 ? locale.toString(static_cast<qint64>(analysis.product))
                                           : locale.toString(analysis.product, 'g', 3));
    set("allowed", analysis.allowedRows >= 0 ? locale.toString(analysis.allowedRows)
                                             : tr("too many to count"));
    set("covering", locale.toString(static_cast<qint64>(analysis.rows.size())));
    set("tuples", tr("%1 / %2").arg(locale.toString(analysis.requiredTuples),
                                    locale.toString(analysis.requiredTuples)));
    set("time", analysis.seconds < 1
                    ? tr("%1 ms").arg(std::max(1, static_cast<int>(analysis.seconds * 1000 + 0.5)))
                    : tr("%1 s").arg(locale.toString(analysis.seconds, 'f', 2)));
    countLabel(QStringLiteral("tuples"))
        ->setToolTip(tr("%1-way combinations covered; %2 more are ruled out by the constraints")
                         .arg(analysis.strength)
                         .arg(analysis.excludedTuples));

    m_rowsModel->setRows(analysis.dimensions, analysis.values, analysis.rows);
    m_rowsHeading->setText(tr("%n row(s) cover every %1-way combination the constraints allow.",
                              nullptr, static_cast<int>(analysis.rows.size()))
                               .arg(analysis.strength));
    m_pairs->setAnalysis(analysis);

    if (!analysis.error.isEmpty()) {
        setStatus(tr("Could not build the covering array: %1").arg(analysis.error), kRed);
    } else if (!analysis.satisfiable) {
        setStatus(tr("The constraints rule out every row: relax one of them."), kRed);
    } else {
        const QStringList warnings = m_analyzer->lastParse().warnings;
        const int constraints = static_cast<int>(m_analyzer->lastParse().model.constraints.size());
        QString text = tr("Valid model: %n dimension(s)", nullptr,
                          static_cast<int>(analysis.dimensions.size())) +
                       tr(", %n constraint(s). ", nullptr, constraints) +
                       tr("Ready to generate (Ctrl+Enter).");
        if (!warnings.isEmpty())
            setStatus(text + QStringLiteral(" ⚠ ") + warnings.join(QStringLiteral("; ")), kAmber);
        else
            setStatus(text, kGreen);
    }
    updateActions();
    emit analysisFinished();
}

void MatrixEditorPanel::setStatus(const QString &text, const QString &color)
{
    m_status = text;
    m_statusLabel->setText(text);
    m_statusLabel->setStyleSheet(QStringLiteral("color: %1; padding: 2px;").arg(color));
    emit statusChanged(text);
}

} // namespace crucible
