#pragma once
// The Problem Matrix editor: dimensions, PICT constraints with live validation, strength and
// seed, live counts, a preview of the covering array and a pair-coverage grid. Every edit is
// undoable. Analysis runs in the background (MatrixAnalyzer); the UI thread never waits.
// "Generate problems…" only emits generateRequested: the caller runs the engine job.

#include "ui/matrix/matrixanalyzer.h"

#include <QWidget>
#include <nlohmann/json.hpp>

class QAction;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QUndoStack;

namespace crucible {

class ConstraintEditor;
class MatrixDocument;
class MatrixRowsModel;
class PairCoverageView;

class MatrixEditorPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit MatrixEditorPanel(QWidget *parent = nullptr);
    ~MatrixEditorPanel() override;

    // Replaces the matrix with a parsed PICT model (one undo step). On a parse error nothing
    // changes, false is returned and lastError() reads "file:line:col: message".
    bool loadPictText(const QString &text, const QString &fileName = QStringLiteral("model"));
    QString pictText() const; // dimensions as PICT, then the constraints as written
    bool importPictFile(const QString &path);
    bool exportPictFile(const QString &path); // atomically (QSaveFile)
    QString lastError() const { return m_lastError; }

    // Edits, each one undo step (the same paths the widgets use).
    void addDimension();
    void removeDimension(int row);
    void moveDimension(int row, int delta);
    void editDimension(int row, int column, const QString &text);
    void setStrength(int strength);
    void setSeed(quint64 seed);
    void loadExample();

    int strength() const; // effective: 1..number of dimensions
    quint64 seed() const;
    bool canGenerate() const;
    // The rows shown, as a generation job's matrix plan (GenerationJob::matrixPlan); null when
    // canGenerate() is false.
    nlohmann::json generationPlan() const;
    bool isAnalysing() const;
    const MatrixAnalysis &analysis() const { return m_analysis; }
    QString statusText() const;

    MatrixDocument *document() const { return m_document; }
    QUndoStack *undoStack() const { return m_undo; }
    QTableView *dimensionTable() const { return m_dimensionTable; }
    ConstraintEditor *constraintEditor() const { return m_constraints; }
    MatrixRowsModel *rowsModel() const { return m_rowsModel; }
    PairCoverageView *pairView() const { return m_pairs; }
    QSpinBox *strengthBox() const { return m_strength; }
    QSpinBox *seedBox() const { return m_seed; }
    QPushButton *generateButton() const { return m_generate; }
    QAction *generateAction() const { return m_generateAction; }
    QLabel *countLabel(const QString &key) const; // product, allowed, covering, tuples, time

public slots:
    void importPict();
    void exportPict();
    void requestGeneration();

signals:
    void generateRequested(const QString &pictText, int strength, quint64 seed);
    void analysisFinished(); // counts, rows and pair coverage are up to date
    void statusChanged(const QString &status);

private:
    QWidget *createDimensionsBox();
    QWidget *createConstraintsBox();
    QWidget *createResultsBox();
    QLayout *createToolbar();
    void onDocumentChanged();
    void onConstraintsEdited(int position, int removed, int added);
    void onParsed(const MatrixParseResult &result);
    void onAnalysisFinished(const MatrixAnalysis &analysis);
    void setStatus(const QString &text, const QString &color);
    void updateActions();
    int currentRow() const;

    MatrixDocument *m_document;
    QUndoStack *m_undo;
    MatrixAnalyzer *m_analyzer;
    MatrixAnalysis m_analysis;
    bool m_analysisCurrent = false;
    QString m_lastError;
    QString m_status;

    QTableView *m_dimensionTable = nullptr;
    ConstraintEditor *m_constraints = nullptr;
    QSpinBox *m_strength = nullptr;
    QSpinBox *m_seed = nullptr;
    QPushButton *m_generate = nullptr;
    QAction *m_generateAction = nullptr;
    QPushButton *m_removeButton = nullptr;
    QPushButton *m_upButton = nullptr;
    QPushButton *m_downButton = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_rowsHeading = nullptr;
    QList<QPair<QString, QLabel *>> m_counts;
    QTableView *m_rowsTable = nullptr;
    MatrixRowsModel *m_rowsModel = nullptr;
    PairCoverageView *m_pairs = nullptr;
};

} // namespace crucible
