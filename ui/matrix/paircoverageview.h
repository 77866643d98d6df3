#pragma once
// Two dimension pickers and a value × value grid of how many covering-array rows hold each
// pair; pairs the constraints rule out are hatched grey, allowed pairs no row covers are red.

#include "ui/matrix/matrixanalyzer.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace crucible {

class PairCoverageModel;

class PairCoverageView final : public QWidget
{
    Q_OBJECT
public:
    explicit PairCoverageView(QWidget *parent = nullptr);

    void setAnalysis(const MatrixAnalysis &analysis); // keeps the chosen dimensions by name
    void clear();
    void choose(int a, int b); // dimension indices
    PairCoverageModel *model() const { return m_model; }
    QComboBox *firstCombo() const { return m_first; }
    QComboBox *secondCombo() const { return m_second; }

private:
    void refresh();

    QComboBox *m_first;
    QComboBox *m_second;
    QTableView *m_table;
    QLabel *m_summary;
    PairCoverageModel *m_model;
    MatrixAnalysis m_analysis;
};

} // namespace crucible
