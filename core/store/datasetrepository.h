#pragma once
// Datasets and their ordered member problems. Lives on the Workspace's thread.

#include "core/model/dataset.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

// Where a dataset came from, as the Datasets panel lists it.
enum class DatasetOrigin { Job, Import, Manual };

// A dataset with what the Datasets panel shows about it, read in a few grouped queries.
struct DatasetSummary
{
    Dataset dataset; // members not loaded (problemIds empty)
    qint64 size = 0;
    std::map<Complexity, qint64> complexityCounts;
    std::map<ReviewStatus, qint64> reviewCounts;
    DatasetOrigin origin = DatasetOrigin::Manual;
    QString generator; // job kind ("dataset", "matrix", ...) for DatasetOrigin::Job
    QString jobId;     // the generating job, when recorded
    QString source;    // the imported file's name, for DatasetOrigin::Import
    // Cost: the generating job's (dataset metadata "cost") or else the sum of the members'
    // "cost_usd". usd is what is known; unpriced counts calls or members without a price.
    double usd = 0;
    qint64 unpriced = 0;
    bool costFromJob = false;
};

struct DatasetRemoval
{
    bool removed = false;
    qint64 problemsDeleted = 0;
    qint64 problemsKept = 0; // members also in another dataset, kept so it stays whole
};

class DatasetRepository final
{
public:
    explicit DatasetRepository(Workspace &ws);

    // Inserts the dataset and its member list in one transaction. Every member must exist.
    void insert(const Dataset &d);
    std::optional<Dataset> get(const QString &id) const;
    std::vector<Dataset> list() const; // newest first, members not loaded (problemIds empty)
    std::vector<DatasetSummary> summaries() const; // newest first
    qint64 memberCount(const QString &id) const;
    // Returns false when there is no such dataset. Throws ValidationError for an empty name.
    bool rename(const QString &id, const QString &name);
    // Deletes the dataset; its problems stay unless withMembers, then the members that belong
    // to no other dataset are deleted too (one transaction).
    DatasetRemoval remove(const QString &id, bool withMembers);
    bool remove(const QString &id) { return remove(id, false).removed; }

private:
    Workspace &m_ws;
};

} // namespace crucible
