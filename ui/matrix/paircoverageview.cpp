#include "ui/matrix/paircoverageview.h"

#include "ui/models/paircoveragemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace crucible {

PairCoverageView::PairCoverageView(QWidget *parent)
    : QWidget(parent)
    , m_first(new QComboBox(this))
    , m_second(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_model(new PairCoverageModel(this))
{
    m_first->setObjectName(QStringLiteral("pairFirst"));
    m_second->setObjectName(QStringLiteral("pairSecond"));
    m_table->setObjectName(QStringLiteral("pairTable"));
    m_table->setModel(m_model);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(48);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("pairSummary"));

    auto *pickers = new QHBoxLayout;
    pickers->addWidget(m_first, 1);
    pickers->addWidget(new QLabel(QStringLiteral("×"), this));
    pickers->addWidget(m_second, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pickers);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(m_first, &QComboBox::currentIndexChanged, this, &PairCoverageView::refresh);
    connect(m_second, &QComboBox::currentIndexChanged, this, &PairCoverageView::refresh);
}

void PairCoverageView::setAnalysis(const MatrixAnalysis &analysis)
{
    const QString first = m_first->currentText();
    const QString second = m_second->currentText();
    m_analysis = analysis;
    {
        const QSignalBlocker b1(m_first);
        const QSignalBlocker b2(m_second);
        m_first->clear();
        m_second->clear();
        m_first->addItems(analysis.dimensions);
        m_second->addItems(analysis.dimensions);
        const int n = static_cast<int>(analysis.dimensions.size());
        int a = analysis.dimensions.indexOf(first);
        int b = analysis.dimensions.indexOf(second);
        if (a < 0)
            a = 0;
        if (b < 0 || b == a)
            b = a + 1 < n ? a + 1 : 0;
        m_first->setCurrentIndex(n ? a : -1);
        m_second->setCurrentIndex(n ? b : -1);
    }
    refresh();
}

void PairCoverageView::clear()
{
    setAnalysis({});
}

void PairCoverageView::choose(int a, int b)
{
    const QSignalBlocker blocker(m_first);
    m_first->setCurrentIndex(a);
    m_second->setCurrentIndex(b); // refreshes
    refresh();
}

void PairCoverageView::refresh()
{
    const int a = m_first->currentIndex();
    const int b = m_second->currentIndex();
    const int n = static_cast<int>(m_analysis.dimensions.size());
    if (a < 0 || b < 0 || a >= n || b >= n) {
        m_model->clear();
        m_summary->setText(n < 2 && !m_analysis.rows.empty()
                               ? tr("Pair coverage needs two dimensions.")
                               : QString());
        return;
    }
    if (a == b) {
        m_model->clear();
        m_summary->setText(tr("Choose two different dimensions."));
        return;
    }
    // Feasibility is stored for (low, high); transpose it for (high, low).
    const auto &aValues = m_analysis.values[static_cast<std::size_t>(a)];
    const auto &bValues = m_analysis.values[static_cast<std::size_t>(b)];
    std::vector<char> allowed;
    const auto it = m_analysis.allowedPairs.find({std::min(a, b), std::max(a, b)});
    if (it != m_analysis.allowedPairs.end()) {
        allowed.resize(it->second.size());
        for (qsizetype i = 0; i < aValues.size(); ++i) {
            for (qsizetype j = 0; j < bValues.size(); ++j) {
                const qsizetype stored = a < b ? i * bValues.size() + j : j * aValues.size() + i;
                allowed[static_cast<std::size_t>(i * bValues.size() + j)] =
                    it->second[static_cast<std::size_t>(stored)];
            }
        }
    }
    m_model->setCoverage(aValues, bValues, a, b, m_analysis.rows, allowed);
    const int cells = static_cast<int>(aValues.size() * bValues.size());
    const int impossible = m_model->impossibleCount();
    const int uncovered = m_model->uncoveredCount();
    QString text = tr("%1 of %2 allowed pairs covered")
                       .arg(cells - impossible - uncovered)
                       .arg(cells - impossible);
    if (impossible)
        text += tr(" · %n ruled out by constraints (hatched)", nullptr, impossible);
    if (uncovered)
        text += QStringLiteral(" · <span style='color:#b71c1c'>") +
                tr("%n allowed pair(s) not covered", nullptr, uncovered) +
                QStringLiteral("</span>");
    m_summary->setText(text);
}

} // namespace crucible
