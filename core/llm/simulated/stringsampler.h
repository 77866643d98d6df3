#pragma once
// Strings for the Simulated provider's sampler: readable text of the kind the property name
// hints at, values for the usual formats (date-time, e-mail, uri, uuid, ...), strings matching
// a `pattern`, all within minLength/maxLength.

#include "core/llm/simulated/prose.h"
#include "core/llm/simulated/rng.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace crucible {
class EcmaRegex;
}

namespace crucible::simulated {

class StringSampler
{
public:
    StringSampler(Rng &rng, Prose &prose);

    // A string the length, format and pattern keywords of `m` allow, for a property named
    // `hint`; nullopt with `why` when none could be made.
    std::optional<nlohmann::json> sample(const nlohmann::json &m, const std::string &hint,
                                         std::string &why);

private:
    std::string formatted(const std::string &format);
    std::string fit(std::string text, std::size_t minL, std::size_t maxL, TextKind kind);
    std::optional<nlohmann::json> pattern(const std::string &pattern, const EcmaRegex &re,
                                          std::size_t minL, std::size_t maxL,
                                          const std::string &hint, std::string &why);

    Rng &m_rng;
    Prose &m_prose;
};

} // namespace crucible::simulated
