#pragma once
// The personality traits Crucible knows, each with a low and a high marker and a concrete
// behavioural sentence for each of 9 bands, and the band mapping itself: a value 0..100 falls in
// one of 9 bands worded with Likert qualifiers (extremely / very / plain / a bit / neither…nor),
// the way Serapio-García et al. shaped LLM personality by prompt. Immutable, thread-safe.

#include "core/model/agent.h"

#include <array>
#include <vector>

namespace crucible {

struct TraitDefinition
{
    QString name;  // "risk_taking"
    QString label; // "Risk-taking"
    QString lowMarker;
    QString highMarker;
    QString summary;                  // one line: what the trait changes
    std::array<QString, 9> behaviour; // band 0 (extremely low) … 8 (extremely high)
};

// How one trait value reads in a prompt.
struct TraitWording
{
    QString trait;
    QString label;
    int value = 50;
    int band = 4;
    QString phrase;    // "very rigorous", "neither conventional nor creative"
    QString behaviour; // the band's concrete sentence; empty for a user-defined trait
    bool custom = false;
};

class TraitCatalogue final
{
public:
    static constexpr int kBands = 9;

    static const TraitCatalogue &builtIn();

    const std::vector<TraitDefinition> &traits() const { return m_traits; }
    QStringList names() const; // in catalogue order
    const TraitDefinition *find(const QString &name) const;

    // 0..100 → 0..8 in equal bands (0–11 → 0, 45–56 → 4, 90–100 → 8); clamps outside values.
    static int band(int value);
    // The representative value of a band (its middle value; band 4 → 50).
    static int bandCenter(int band);
    // The Likert wording of a band for two markers: band 0 "extremely low", 3 "a bit low",
    // 4 "neither low nor high", 6 "high", 8 "extremely high".
    static QString qualified(int band, const QString &low, const QString &high);
    // Band names for people: "extremely low" … "neutral" … "extremely high".
    static QString bandName(int band);

    // The wording of `trait` at `value` for an agent (its custom traits give the markers of
    // traits the catalogue does not know). An unknown trait reads as "<trait>: value".
    TraitWording wording(const QString &trait, int value,
                         const std::map<QString, TraitMarkers> &custom = {}) const;
    // The agent's traits in display order: catalogue order, then user-defined ones by name.
    std::vector<TraitWording> wordings(const Agent &agent) const;

    // The default personality of a role (a user-defined role gets every trait at 50).
    static std::map<QString, int> defaultTraits(const QString &role);

    // Trait names neither in the catalogue nor defined by the agent's custom_traits.
    std::vector<ValidationIssue> check(const Agent &agent) const;

private:
    TraitCatalogue();
    std::vector<TraitDefinition> m_traits;
};

} // namespace crucible
