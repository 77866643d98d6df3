#pragma once
// Pair coverage of two dimensions: a value × value grid whose cells count the covering-array
// rows holding that pair. Pairs the constraints rule out and allowed pairs no row covers are
// flagged (StateRole) and coloured. GUI thread only.

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace crucible {

class PairCoverageModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class State { Covered, Uncovered, Impossible };
    enum Role { StateRole = Qt::UserRole, CountRole };

    explicit PairCoverageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Rows of dimension `a`'s values × columns of `b`'s. `rows` hold value indices per
    // dimension; `allowed[i * bValues.size() + j]` says whether constraints allow the pair
    // (empty: all allowed).
    void setCoverage(const QStringList &aValues, const QStringList &bValues, int a, int b,
                     const std::vector<std::vector<int>> &rows, const std::vector<char> &allowed);
    void clear();

    int count(int aValue, int bValue) const;
    State state(int aValue, int bValue) const;
    int uncoveredCount() const;  // allowed pairs no row covers
    int impossibleCount() const; // pairs the constraints rule out

private:
    QStringList m_aValues;
    QStringList m_bValues;
    std::vector<int> m_counts;
    std::vector<char> m_allowed;
    int m_maxCount = 0;
};

} // namespace crucible
