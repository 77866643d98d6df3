#pragma once
// The Problems panel's filters: a debounced search box and drop-downs for domain, complexity,
// origin, review status, dataset, job and tag, laid out in two rows so that nothing overlaps
// at 1024 pixels. GUI thread only.

#include "core/model/dataset.h"
#include "core/store/workspacestats.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;

namespace crucible {

class ProblemFilterBar final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 200;

    explicit ProblemFilterBar(QWidget *parent = nullptr);

    ProblemFilter filter() const;
    // Counts for domain, complexity and origin (null: names without counts).
    void setStats(const WorkspaceStats *stats);
    // Datasets, jobs and tags to offer; the current choices are kept.
    void setChoices(const std::vector<Dataset> &datasets, const FilterChoices &choices);
    void setDomain(const QString &domain);
    void setDataset(const QString &datasetId);
    void setReviewStatus(std::optional<ReviewStatus> status);
    void setTag(const QString &tag);
    void setJob(const QString &jobId);
    // Clears the search text only (no filterChanged).
    void resetSearch();
    void clear(); // everything, then one filterChanged
    void setCountText(const QString &text);

    QLineEdit *searchBox() const { return m_search; }
    QList<QComboBox *> combos() const;
    QComboBox *datasetCombo() const { return m_dataset; }
    QComboBox *reviewCombo() const { return m_review; }

signals:
    // Emitted when a choice changes, or after a pause in typing (or Enter) in the search box.
    void filterChanged();

private:
    QLineEdit *m_search = nullptr;
    QComboBox *m_domain = nullptr;
    QComboBox *m_complexity = nullptr;
    QComboBox *m_origin = nullptr;
    QComboBox *m_review = nullptr;
    QComboBox *m_dataset = nullptr;
    QComboBox *m_job = nullptr;
    QComboBox *m_tag = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_searchTimer = nullptr;
};

} // namespace crucible
