#include "ui/models/solutionreviewmodel.h"

#include "core/evaluate/rubric.h"
#include "core/evaluate/solveragent.h"
#include "core/feedback/judgeconsensus.h"
#include "core/store/problemrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "core/store/workspace.h"

namespace crucible {

SolutionReviewModel::SolutionReviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SolutionReviewModel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    m_problemId.clear();
    reload();
}

std::vector<std::pair<QString, QString>> SolutionReviewModel::problems() const
{
    std::vector<std::pair<QString, QString>> out;
    if (!m_ws)
        return out;
    try {
        ProblemRepository problems(*m_ws);
        for (const QString &id : SolutionRepository(*m_ws).problemIdsWithSolutions(2000))
            if (const auto p = problems.get(id))
                out.emplace_back(id, p->statement.simplified());
    } catch (const std::exception &) {
        // An older workspace without the v7 tables has nothing to review.
    }
    return out;
}

void SolutionReviewModel::setProblem(const QString &problemId)
{
    if (problemId == m_problemId)
        return;
    m_problemId = problemId;
    reload();
}

void SolutionReviewModel::setFilter(Filter filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

bool SolutionReviewModel::fullyReviewed(const Entry &e) const
{
    return e.aspectsRated >= m_aspects.size() && !m_aspects.isEmpty();
}

bool SolutionReviewModel::accepts(const Entry &e) const
{
    switch (m_filter) {
    case Filter::All:
        return true;
    case Filter::Unreviewed:
        return !fullyReviewed(e);
    case Filter::LowScore:
        return e.overall && *e.overall < kLowScore;
    case Filter::JudgesDisagree:
        return e.agreement.disagree();
    }
    return true;
}

void SolutionReviewModel::refreshEntry(Entry &e)
{
    e.judgments.clear();
    e.aspectsRated = 0;
    for (HumanJudgment &h : VerdictRepository(*m_ws).judgmentsOf(e.solution.id)) {
        if (!h.rater.isEmpty())
            continue; // other raters' judgments are theirs
        if (m_aspects.contains(h.aspect))
            ++e.aspectsRated;
        e.judgments[h.aspect] = std::move(h);
    }
}

void SolutionReviewModel::reload()
{
    beginResetModel();
    m_entries.clear();
    m_reviewed = 0;
    m_total = 0;
    m_aspects.clear();
    if (m_ws && !m_problemId.isEmpty()) {
        try {
            SolutionRepository solutions(*m_ws);
            VerdictRepository verdicts(*m_ws);
            const JudgeConsensus consensus = JudgeConsensus::fromWorkspace(*m_ws);
            std::vector<Entry> all;
            for (Solution &s : solutions.byProblem(m_problemId)) {
                Entry e;
                e.solution = std::move(s);
                if (const auto agent = findSolverAgent(*m_ws, e.solution.agentVersionId))
                    e.agentName = QStringLiteral("%1 v%2").arg(agent->name).arg(agent->version);
                else
                    e.agentName = e.solution.agentVersionId;
                e.critiques = solutions.critiquesOf(e.solution.id);
                e.verdicts = verdicts.forSolution(e.solution.id);
                for (const Verdict &v : e.verdicts)
                    for (const auto &[aspect, score] : v.scores.aspects)
                        if (!m_aspects.contains(aspect))
                            m_aspects << aspect;
                // Several judges: weighted by how well each agrees with the human ratings.
                if (const auto c = consensus.overall(e.verdicts))
                    e.overall = c->score;
                e.agreement = QualityVerifier::agreement(e.verdicts);
                all.push_back(std::move(e));
            }
            if (m_aspects.isEmpty())
                m_aspects = Rubric::defaultAspects();
            // The rubric's order (correctness first), then the user's own aspects by name.
            const QStringList &order = Rubric::defaultAspects();
            std::stable_sort(m_aspects.begin(), m_aspects.end(),
                             [&order](const QString &a, const QString &b) {
                                 const qsizetype ia = order.contains(a) ? order.indexOf(a) : 99;
                                 const qsizetype ib = order.contains(b) ? order.indexOf(b) : 99;
                                 return ia < ib;
                             });
            for (Entry &e : all) {
                refreshEntry(e);
                ++m_total;
                if (fullyReviewed(e))
                    ++m_reviewed;
                if (accepts(e))
                    m_entries.push_back(std::move(e));
            }
        } catch (const std::exception &) {
            m_entries.clear(); // the workspace has no v7 tables or is busy: nothing to show
        }
    }
    endResetModel();
}

int SolutionReviewModel::rowOf(const QString &solutionId) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].solution.id == solutionId)
            return static_cast<int>(i);
    return -1;
}

bool SolutionReviewModel::rate(int row, const QString &aspect, std::optional<int> rating,
                               const QString &note, QString *error)
{
    if (!m_ws || row < 0 || row >= rowCount())
        return false;
    Entry &e = m_entries[static_cast<std::size_t>(row)];
    QString keptNote = note;
    if (keptNote.isEmpty())
        if (const auto it = e.judgments.find(aspect); it != e.judgments.end())
            keptNote = it->second.note;
    try {
        const bool wasReviewed = fullyReviewed(e);
        VerdictRepository(*m_ws).setJudgment(e.solution.id, aspect, rating, keptNote);
        refreshEntry(e);
        if (!wasReviewed && fullyReviewed(e))
            ++m_reviewed;
    } catch (const std::exception &ex) {
        if (error)
            *error = QString::fromUtf8(ex.what());
        return false;
    }
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit judgmentChanged(e.solution.id, aspect);
    return true;
}

bool SolutionReviewModel::restoreJudgment(const QString &solutionId, const QString &aspect,
                                          const std::optional<HumanJudgment> &judgment,
                                          QString *error)
{
    if (!m_ws)
        return false;
    try {
        VerdictRepository repo(*m_ws);
        if (judgment)
            repo.setJudgment(solutionId, aspect, judgment->rating, judgment->note);
        else
            repo.removeJudgment(solutionId, aspect);
    } catch (const std::exception &ex) {
        if (error)
            *error = QString::fromUtf8(ex.what());
        return false;
    }
    if (const int row = rowOf(solutionId); row >= 0) {
        Entry &e = m_entries[static_cast<std::size_t>(row)];
        const bool wasReviewed = fullyReviewed(e);
        refreshEntry(e);
        m_reviewed += static_cast<int>(fullyReviewed(e)) - static_cast<int>(wasReviewed);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    emit judgmentChanged(solutionId, aspect);
    return true;
}

bool SolutionReviewModel::setNote(int row, const QString &aspect, const QString &note,
                                  QString *error)
{
    if (!m_ws || row < 0 || row >= rowCount())
        return false;
    const Entry &e = m_entries[static_cast<std::size_t>(row)];
    std::optional<int> rating;
    if (const auto it = e.judgments.find(aspect); it != e.judgments.end())
        rating = it->second.rating;
    else
        return rate(row, aspect, std::nullopt, note, error); // a note alone is a skip with a note
    try {
        VerdictRepository(*m_ws).setJudgment(e.solution.id, aspect, rating, note);
        refreshEntry(m_entries[static_cast<std::size_t>(row)]);
    } catch (const std::exception &ex) {
        if (error)
            *error = QString::fromUtf8(ex.what());
        return false;
    }
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit judgmentChanged(e.solution.id, aspect);
    return true;
}

int SolutionReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int SolutionReviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SolutionReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SolutionColumn:
        return tr("Solution");
    case StageColumn:
        return tr("Stage");
    case AgentColumn:
        return tr("Agent");
    case OverallColumn:
        return tr("Overall");
    case NoveltyColumn:
        return tr("Novelty");
    case ChecksColumn:
        return tr("Checks failed");
    case JudgesColumn:
        return tr("Judges");
    case ReviewedColumn:
        return tr("Rated");
    }
    return {};
}

QVariant SolutionReviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Entry &e = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
    case SolutionIdRole:
        return e.solution.id;
    case OverallRole:
        return e.overall ? QVariant(*e.overall) : QVariant();
    case DisagreeRole:
        return e.agreement.disagree();
    case ReviewedRole:
        return fullyReviewed(e);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    std::optional<double> novelty;
    int checksFailed = 0;
    for (const Verdict &v : e.verdicts) {
        if (v.novelty)
            novelty = v.novelty;
        checksFailed = std::max(checksFailed, v.checksFailed());
    }
    switch (index.column()) {
    case SolutionColumn:
        return e.solution.id;
    case StageColumn:
        return toString(e.solution.stage);
    case AgentColumn:
        return e.agentName;
    case OverallColumn:
        return e.overall ? QString::number(*e.overall, 'f', 2) : tr("—");
    case NoveltyColumn:
        return novelty ? QString::number(*novelty, 'f', 2) : tr("—");
    case ChecksColumn:
        return e.verdicts.empty() ? tr("—") : QString::number(checksFailed);
    case JudgesColumn:
        if (e.agreement.judges >= 2)
            return tr("%1 (agreement %2)")
                .arg(e.agreement.judges)
                .arg(e.agreement.agreement, 0, 'f', 2);
        return static_cast<int>(e.verdicts.size());
    case ReviewedColumn:
        return tr("%1 / %2").arg(e.aspectsRated).arg(m_aspects.size());
    }
    return {};
}

} // namespace crucible
