#pragma once
// PriceTable: USD per token for known models (bundled :/prices.json plus user overrides), looked
// up by exact id, then by dated-snapshot prefix. Unknown models are unpriced (nullopt), never $0.
// Immutable after construction/merge; const methods are safe to call from any thread.

#include "core/llm/providers/providerconfig.h"

#include <QByteArray>
#include <QDate>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

namespace crucible {

struct ModelPrice
{
    double inputPerToken = 0;
    double outputPerToken = 0;
    std::optional<double> cachedInputPerToken; // cache-read price; unset = billed as input
    QString provider;

    bool operator==(const ModelPrice &) const = default;
};

// A successful lookup: the table entry that priced the model (e.g. "gpt-4o" for
// "gpt-4o-2024-08-06"), so that the UI can say what the price is based on.
struct PriceMatch
{
    QString entry;
    ModelPrice price;
};

class PriceTable final
{
public:
    // Parses {"as_of": "YYYY-MM-DD", "models": {id: {input_per_token, output_per_token,
    // cached_input_per_token?, provider?} | null}}. A null entry (in an override file) marks the
    // model unpriced. Throws ValidationError naming `source` and the field.
    static PriceTable fromJson(const nlohmann::json &doc, const QString &source = {});
    static PriceTable fromBytes(const QByteArray &bytes, const QString &source = {});
    static PriceTable fromFile(const QString &path); // throws ValidationError, also if unreadable
    // The bundled table, resource :/prices.json. Throws ValidationError if it is missing.
    static PriceTable builtIn();
    // Where user overrides live: AppConfigLocation + "/price-overrides.json".
    static QString userOverridesPath();
    // builtIn() merged with the user overrides file when it exists. A broken overrides file is
    // reported through `warning` and skipped; the bundled prices still apply.
    static PriceTable withUserOverrides(QString *warning = nullptr,
                                        const QString &overridesPath = userOverridesPath());

    // Entries of `overrides` replace ours; its null entries remove ours. asOf is kept unless
    // the overrides carry their own date.
    void merge(const PriceTable &overrides);

    std::optional<PriceMatch> match(const QString &model) const;
    std::optional<ModelPrice> lookup(const QString &model) const;
    // USD for one call. `tokensIn` counts all input tokens, `cachedTokensIn` the part of them
    // read from a prompt cache. nullopt when the model is unpriced or counts are negative.
    std::optional<double> cost(const QString &model, qint64 tokensIn, qint64 tokensOut,
                               qint64 cachedTokensIn = 0) const;

    // USD for one call to `provider`: the simulated provider is free; local and custom servers
    // use the provider's own price (unpriced until the user sets one); cloud presets use this
    // table by model name. nullopt = unpriced.
    std::optional<double> costFor(const ProviderConfig &provider, const QString &model,
                                  qint64 tokensIn, qint64 tokensOut,
                                  qint64 cachedTokensIn = 0) const;

    QDate asOf() const { return m_asOf; }
    QStringList models() const;
    std::size_t size() const { return m_prices.size(); }

private:
    std::optional<PriceMatch> matchExactOrSnapshot(const QString &id) const;

    std::map<QString, ModelPrice> m_prices; // lower-case model id -> price
    std::set<QString> m_removed;            // null entries of an override table
    QDate m_asOf;
};

} // namespace crucible
