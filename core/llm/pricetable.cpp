#include "core/llm/pricetable.h"

#include "core/model/validationerror.h"

#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cmath>

namespace crucible {

using nlohmann::json;

namespace {

QString located(const QString &source, const QString &field)
{
    return source.isEmpty() ? field : source + QStringLiteral(": ") + field;
}

QString printable(const json &value)
{
    std::string s = value.dump();
    if (s.size() > 40)
        s = s.substr(0, 37) + "...";
    return QString::fromStdString(s);
}

double readPrice(const json &entry, const char *field, const QString &where, bool required,
                 bool *present)
{
    *present = false;
    const QString name = where + u'.' + QString::fromUtf8(field);
    const auto it = entry.find(field);
    if (it == entry.end() || it->is_null()) {
        if (required)
            throw ValidationError(name, {}, QStringLiteral("is required (USD per token)"));
        return 0;
    }
    if (!it->is_number())
        throw ValidationError(name, printable(*it),
                              QStringLiteral("must be a number (USD per "
                                             "token)"));
    const double value = it->get<double>();
    if (!std::isfinite(value) || value < 0)
        throw ValidationError(name, printable(*it), QStringLiteral("must be 0 or more"));
    if (value > 0.01)
        throw ValidationError(name, printable(*it),
                              QStringLiteral("looks like a price per million tokens; divide by "
                                             "1000000 (USD per token)"));
    *present = true;
    return value;
}

// What may follow a table entry for the id to count as the same model: a dated snapshot
// (-2024-08-06, -20250514, -0613, @20240620), -latest, and a Bedrock-style -v1:0.
bool isSnapshotSuffix(const QString &suffix)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(
        QStringLiteral("(?:[-@](?:\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4}))?(?:-latest)?"
                       "(?:-v\\d+(?::\\d+)?)?")));
    return !suffix.isEmpty() && re.match(suffix).hasMatch();
}

} // namespace

PriceTable PriceTable::fromJson(const json &doc, const QString &source)
{
    if (!doc.is_object())
        throw ValidationError(located(source, QStringLiteral("(document)")), printable(doc),
                              QStringLiteral("must be a JSON object with \"models\""));
    PriceTable table;
    if (const auto it = doc.find("as_of"); it != doc.end() && !it->is_null()) {
        const QDate date =
            it->is_string()
                ? QDate::fromString(QString::fromStdString(it->get<std::string>()), Qt::ISODate)
                : QDate();
        if (!date.isValid())
            throw ValidationError(located(source, QStringLiteral("as_of")), printable(*it),
                                  QStringLiteral("must be a date like 2025-11-25"));
        table.m_asOf = date;
    }
    const auto models = doc.find("models");
    if (models == doc.end() || !models->is_object())
        throw ValidationError(located(source, QStringLiteral("models")),
                              models == doc.end() ? QString() : printable(*models),
                              QStringLiteral("must be an object of model id → prices"));
    for (const auto &[rawId, entry] : models->items()) {
        const QString id = QString::fromStdString(rawId).trimmed().toLower();
        const QString where =
            located(source, QStringLiteral("models.") + QString::fromStdString(rawId));
        if (id.isEmpty())
            throw ValidationError(where, {}, QStringLiteral("model id must not be empty"));
        if (entry.is_null()) {
            table.m_removed.insert(id);
            continue;
        }
        if (!entry.is_object())
            throw ValidationError(where, printable(entry),
                                  QStringLiteral("must be an object with input_per_token and "
                                                 "output_per_token, or null (unpriced)"));
        ModelPrice price;
        bool present = false;
        price.inputPerToken = readPrice(entry, "input_per_token", where, true, &present);
        price.outputPerToken = readPrice(entry, "output_per_token", where, true, &present);
        const double cached = readPrice(entry, "cached_input_per_token", where, false, &present);
        if (present)
            price.cachedInputPerToken = cached;
        if (const auto p = entry.find("provider"); p != entry.end() && p->is_string())
            price.provider = QString::fromStdString(p->get<std::string>());
        table.m_prices[id] = price;
    }
    return table;
}

PriceTable PriceTable::fromBytes(const QByteArray &bytes, const QString &source)
{
    try {
        return fromJson(json::parse(bytes.constBegin(), bytes.constEnd()), source);
    } catch (const json::exception &e) { // parse_error, or out_of_range for a huge number
        throw ValidationError(located(source, QStringLiteral("(document)")), {},
                              QStringLiteral("is not valid JSON: ") + QString::fromUtf8(e.what()));
    }
}

PriceTable PriceTable::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ValidationError(path, {},
                              QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    return fromBytes(file.readAll(), path);
}

PriceTable PriceTable::builtIn()
{
    return fromFile(QStringLiteral(":/prices.json"));
}

QString PriceTable::userOverridesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/price-overrides.json");
}

PriceTable PriceTable::withUserOverrides(QString *warning, const QString &overridesPath)
{
    PriceTable table = builtIn();
    if (overridesPath.isEmpty() || !QFile::exists(overridesPath))
        return table;
    try {
        table.merge(fromFile(overridesPath));
    } catch (const ValidationError &e) {
        if (warning)
            *warning = e.message() + QStringLiteral(" (user price overrides ignored; the "
                                                    "bundled prices apply)");
    }
    return table;
}

void PriceTable::merge(const PriceTable &overrides)
{
    for (const QString &id : overrides.m_removed) {
        m_prices.erase(id);
        m_removed.insert(id);
    }
    for (const auto &[id, price] : overrides.m_prices) {
        m_prices[id] = price;
        m_removed.erase(id);
    }
    if (overrides.m_asOf.isValid())
        m_asOf = overrides.m_asOf;
}

std::optional<PriceMatch> PriceTable::matchExactOrSnapshot(const QString &id) const
{
    if (m_removed.count(id) > 0)
        return std::nullopt;
    if (const auto it = m_prices.find(id); it != m_prices.end())
        return PriceMatch{it->first, it->second};
    // Longest entry that the id extends by a snapshot suffix: "gpt-4o-mini-2024-07-18" is
    // gpt-4o-mini, not gpt-4o; "o3-pro" is not o3 and stays unpriced.
    std::optional<PriceMatch> found;
    for (const auto &[entry, price] : m_prices) {
        if (entry.size() >= id.size() || !id.startsWith(entry))
            continue;
        if (!isSnapshotSuffix(id.mid(entry.size())))
            continue;
        if (!found || entry.size() > found->entry.size())
            found = PriceMatch{entry, price};
    }
    return found;
}

std::optional<PriceMatch> PriceTable::match(const QString &model) const
{
    const QString id = model.trimmed().toLower();
    if (id.isEmpty())
        return std::nullopt;
    if (auto found = matchExactOrSnapshot(id))
        return found;
    // Router-style ids ("openai/gpt-4o") are priced as the model behind the slash.
    const qsizetype slash = id.lastIndexOf(u'/');
    if (slash >= 0 && slash + 1 < id.size())
        return matchExactOrSnapshot(id.mid(slash + 1));
    return std::nullopt;
}

std::optional<ModelPrice> PriceTable::lookup(const QString &model) const
{
    const auto found = match(model);
    if (!found)
        return std::nullopt;
    return found->price;
}

std::optional<double> PriceTable::cost(const QString &model, qint64 tokensIn, qint64 tokensOut,
                                       qint64 cachedTokensIn) const
{
    if (tokensIn < 0 || tokensOut < 0 || cachedTokensIn < 0)
        return std::nullopt;
    const auto price = lookup(model);
    if (!price)
        return std::nullopt;
    const qint64 cached = std::min(cachedTokensIn, tokensIn);
    const qint64 uncached = tokensIn - cached;
    const double cachedRate = price->cachedInputPerToken.value_or(price->inputPerToken);
    return static_cast<double>(uncached) * price->inputPerToken +
           static_cast<double>(cached) * cachedRate +
           static_cast<double>(tokensOut) * price->outputPerToken;
}

std::optional<double> PriceTable::costFor(const ProviderConfig &provider, const QString &model,
                                          qint64 tokensIn, qint64 tokensOut,
                                          qint64 cachedTokensIn) const
{
    if (tokensIn < 0 || tokensOut < 0 || cachedTokensIn < 0)
        return std::nullopt;
    if (provider.type == ProviderType::Simulated)
        return 0.0;
    if (!provider.pricedByConfig())
        return cost(model, tokensIn, tokensOut, cachedTokensIn);
    // A local or custom server: its own price, never a cloud entry sharing the model name.
    if (!provider.inputUsdPerMillion || !provider.outputUsdPerMillion)
        return std::nullopt;
    return (static_cast<double>(tokensIn) * *provider.inputUsdPerMillion +
            static_cast<double>(tokensOut) * *provider.outputUsdPerMillion) /
           1'000'000.0;
}

QStringList PriceTable::models() const
{
    QStringList out;
    for (const auto &[id, price] : m_prices)
        out << id;
    return out;
}

} // namespace crucible
