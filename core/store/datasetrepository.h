#pragma once
// Datasets and their ordered member problems. Lives on the Workspace's thread.

#include "core/model/dataset.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

class DatasetRepository final
{
public:
    explicit DatasetRepository(Workspace &ws);

    // Inserts the dataset and its member list in one transaction. Every member must exist.
    void insert(const Dataset &d);
    std::optional<Dataset> get(const QString &id) const;
    std::vector<Dataset> list() const; // newest first, members not loaded (problemIds empty)
    qint64 memberCount(const QString &id) const;
    bool remove(const QString &id);

private:
    Workspace &m_ws;
};

} // namespace crucible
