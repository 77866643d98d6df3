#include "core/llm/providers/providerregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int FormatVersion = 1;
const char *const FormatName = "crucible-providers";

// Fields a hand-edited or imported file might use for a key. They are dropped on load and
// therefore never written back.
bool isKeyLikeField(const std::string &name)
{
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    std::erase(lower, '_');
    std::erase(lower, '-');
    return lower == "apikey" || lower == "key" || lower == "secret" || lower == "token" ||
           lower == "password" || lower == "authorization" || lower == "bearertoken";
}

} // namespace

ProviderRegistry::ProviderRegistry(QString filePath)
    : m_filePath(std::move(filePath))
{
}

QString ProviderRegistry::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/providers.json");
}

ProviderRegistry::LoadResult ProviderRegistry::load()
{
    LoadResult result;
    m_providers.clear();
    m_invalidEntries.clear();
    QFile file(m_filePath);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        result.ok = false;
        result.errors << QStringLiteral("%1: cannot be read (%2); check its permissions.")
                             .arg(m_filePath, file.errorString());
        return result;
    }
    const QByteArray bytes = file.readAll();
    json doc = json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (doc.is_discarded()) {
        // Parse again with exceptions for the position; the message is nlohmann's.
        QString detail;
        try {
            doc = json::parse(bytes.constBegin(), bytes.constEnd());
        } catch (const json::exception &e) { // parse_error, or out_of_range for a huge number
            detail = QString::fromUtf8(e.what());
        }
        result.ok = false;
        result.errors << QStringLiteral("%1: not valid JSON (%2); fix or delete the file.")
                             .arg(m_filePath, detail);
        return result;
    }
    const json *list = nullptr;
    if (doc.is_object() && doc.contains("providers"))
        list = &doc["providers"];
    else if (doc.is_array())
        list = &doc;
    if (list == nullptr || !list->is_array()) {
        result.ok = false;
        result.errors
            << QStringLiteral("%1: expected an object with a \"providers\" array.").arg(m_filePath);
        return result;
    }
    if (doc.is_object() && doc.value("version", FormatVersion) > FormatVersion)
        result.warnings << QStringLiteral("%1: written by a newer Crucible (format version %2); "
                                          "unknown fields are ignored.")
                               .arg(m_filePath)
                               .arg(doc.value("version", FormatVersion));

    for (std::size_t i = 0; i < list->size(); ++i) {
        json entry = (*list)[i];
        const QString path = QStringLiteral("providers[%1]").arg(i);
        if (entry.is_object()) {
            std::vector<std::string> dropped;
            for (const auto &[name, value] : entry.items()) {
                if (isKeyLikeField(name))
                    dropped.push_back(name);
            }
            for (const std::string &name : dropped) {
                entry.erase(name);
                result.warnings << QStringLiteral("%1: %2.%3 looks like an API key and was "
                                                  "ignored; keys belong in the system keychain "
                                                  "or an environment variable.")
                                       .arg(m_filePath, path, QString::fromStdString(name));
            }
        }
        try {
            ProviderConfig config = ProviderConfig::fromJson(entry, path);
            if (find(config.id) != nullptr)
                throw ValidationError(path + QStringLiteral(".id"), config.id,
                                      QStringLiteral("is used by an earlier provider"));
            m_providers.push_back(std::move(config));
        } catch (const ValidationError &e) {
            result.errors << QStringLiteral("%1: %2").arg(m_filePath, e.message());
            m_invalidEntries.push_back(std::move(entry));
        }
    }
    return result;
}

json ProviderRegistry::toJson() const
{
    json list = json::array();
    for (const ProviderConfig &config : m_providers)
        list.push_back(config.toJson());
    for (const json &entry : m_invalidEntries)
        list.push_back(entry);
    return json{{"format", FormatName},
                {"version", FormatVersion},
                {"note", "API keys are never stored here: they live in the system keychain or "
                         "in the environment variable named by key_env_var."},
                {"providers", std::move(list)}};
}

bool ProviderRegistry::save(QString *error) const
{
    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("%1: cannot create the folder %2.")
                         .arg(m_filePath, info.absolutePath());
        return false;
    }
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error =
                QStringLiteral("%1: cannot be written (%2).").arg(m_filePath, file.errorString());
        return false;
    }
    const std::string text = toJson().dump(2) + '\n';
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        if (error)
            *error =
                QStringLiteral("%1: cannot be written (%2).").arg(m_filePath, file.errorString());
        return false;
    }
    return true;
}

const ProviderConfig *ProviderRegistry::find(const QString &id) const
{
    const auto it = std::find_if(m_providers.begin(), m_providers.end(),
                                 [&id](const ProviderConfig &c) { return c.id == id; });
    return it == m_providers.end() ? nullptr : &*it;
}

void ProviderRegistry::upsert(const ProviderConfig &config)
{
    throwIfInvalid(config.validate());
    const auto it = std::find_if(m_providers.begin(), m_providers.end(),
                                 [&config](const ProviderConfig &c) { return c.id == config.id; });
    if (it == m_providers.end())
        m_providers.push_back(config);
    else
        *it = config;
}

bool ProviderRegistry::remove(const QString &id)
{
    return std::erase_if(m_providers, [&id](const ProviderConfig &c) { return c.id == id; }) > 0;
}

QString ProviderRegistry::uniqueId(const QString &base) const
{
    const QString stem = base.isEmpty() ? QStringLiteral("provider") : base;
    if (find(stem) == nullptr)
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = stem + u'-' + QString::number(n);
        if (find(candidate) == nullptr)
            return candidate;
    }
}

} // namespace crucible
