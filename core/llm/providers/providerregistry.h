#pragma once
// The list of configured providers, persisted as JSON in the app config folder
// (AppConfigLocation/providers.json; never QSettings, never keys). A plain value with no
// locking: owned by one thread; the settings UI edits a copy and saves it.

#include "core/llm/providers/providerconfig.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace crucible {

class ProviderRegistry final
{
public:
    struct LoadResult
    {
        bool ok = true;       // false when the file exists but could not be read as a whole
        QStringList errors;   // per-provider problems; those entries are kept aside, not lost
        QStringList warnings; // e.g. a key found in the file and ignored
    };

    explicit ProviderRegistry(QString filePath = defaultFilePath());

    static QString defaultFilePath(); // QStandardPaths::AppConfigLocation + "/providers.json"
    QString filePath() const { return m_filePath; }

    // A missing file is an empty list, not an error. Invalid entries are reported with the file
    // and field, kept verbatim (minus key-like fields) and written back by save().
    LoadResult load();
    // Atomic write (QSaveFile). Returns false and sets `error` when the file cannot be written.
    bool save(QString *error = nullptr) const;

    const std::vector<ProviderConfig> &providers() const { return m_providers; }
    const ProviderConfig *find(const QString &id) const;
    // Adds or replaces (by id). Throws ValidationError when the config is invalid.
    void upsert(const ProviderConfig &config);
    bool remove(const QString &id);
    // `base` if free, else base-2, base-3, …
    QString uniqueId(const QString &base) const;

    // The document written to disk: {"format", "version", "providers": [...]}.
    nlohmann::json toJson() const;

private:
    QString m_filePath;
    std::vector<ProviderConfig> m_providers;
    std::vector<nlohmann::json> m_invalidEntries; // unreadable entries, preserved on save
};

} // namespace crucible
