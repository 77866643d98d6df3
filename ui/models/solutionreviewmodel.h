#pragma once
// SolutionReviewModel: the solutions of one problem for review, oldest first, with their
// critiques, the verifier's verdicts and the person's ratings; filtered to the unreviewed, the
// low-scored or those whose judges disagree. Reads through the GUI's workspace connection and
// writes human judgments there (one small upsert per key press). GUI thread.

#include "core/evaluate/qualityverifier.h"
#include "core/model/critique.h"
#include "core/model/humanjudgment.h"
#include "core/model/solution.h"
#include "core/model/verdict.h"

#include <QAbstractTableModel>

#include <map>
#include <vector>

namespace crucible {

class Workspace;

class SolutionReviewModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        SolutionColumn,
        StageColumn,
        AgentColumn,
        OverallColumn,
        NoveltyColumn,
        ChecksColumn,
        JudgesColumn,
        ReviewedColumn,
        ColumnCount
    };
    enum Role { SolutionIdRole = Qt::UserRole + 1, OverallRole, DisagreeRole, ReviewedRole };
    enum class Filter { All, Unreviewed, LowScore, JudgesDisagree };
    static constexpr double kLowScore = 0.5;

    struct Entry
    {
        Solution solution;
        QString agentName;
        std::vector<Critique> critiques;
        std::vector<Verdict> verdicts;
        std::map<QString, HumanJudgment> judgments; // aspect -> the person's judgment
        std::optional<double> overall;              // mean over the ok verdicts
        JudgeAgreement agreement;
        int aspectsRated = 0; // rated or skipped
    };

    explicit SolutionReviewModel(QObject *parent = nullptr);

    void setWorkspace(Workspace *ws); // null clears
    Workspace *workspace() const { return m_ws; }
    // Problems with at least one solution (id, statement), most recently solved first.
    std::vector<std::pair<QString, QString>> problems() const;
    void setProblem(const QString &problemId);
    QString problemId() const { return m_problemId; }
    void setFilter(Filter filter);
    Filter filter() const { return m_filter; }
    void reload();

    // The aspects a person rates: those the verdicts scored, else the default set.
    const QStringList &aspects() const { return m_aspects; }
    const Entry &entry(int row) const { return m_entries[static_cast<std::size_t>(row)]; }
    int rowOf(const QString &solutionId) const;
    // Rows reviewed in full (every aspect rated or skipped) / all rows, before filtering.
    int reviewedCount() const { return m_reviewed; }
    int totalCount() const { return m_total; }

    // Stores the person's rating (1–5, or none = skip) of `aspect` of the row's solution, with
    // `note` (an empty note keeps the one stored). Returns false with `error` set when the
    // workspace refused it.
    bool rate(int row, const QString &aspect, std::optional<int> rating, const QString &note,
              QString *error = nullptr);
    bool setNote(int row, const QString &aspect, const QString &note, QString *error = nullptr);
    // Puts back what `aspect` of a solution held before: `judgment`, or nothing (the rating is
    // removed). For undo and redo. Returns false with `error` set when the workspace refused.
    bool restoreJudgment(const QString &solutionId, const QString &aspect,
                         const std::optional<HumanJudgment> &judgment, QString *error = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void judgmentChanged(const QString &solutionId, const QString &aspect);

private:
    bool accepts(const Entry &e) const;
    bool fullyReviewed(const Entry &e) const;
    void refreshEntry(Entry &e);

    Workspace *m_ws = nullptr;
    QString m_problemId;
    Filter m_filter = Filter::All;
    QStringList m_aspects;
    std::vector<Entry> m_entries;
    int m_reviewed = 0;
    int m_total = 0;
};

} // namespace crucible
