#pragma once
// Strings for `pattern`, the generating half: a random string the parsed expression matches,
// preferring the topic's words where a letter class repeats so that the text stays readable.

#include "core/llm/simulated/rng.h"
#include "core/llm/simulated/rxparser.h"

#include <optional>
#include <string>
#include <vector>

namespace crucible::simulated {

class RxGenerator
{
public:
    RxGenerator(Rng &rng, const std::vector<std::string> &words, int stretch);
    void generate(const RxNode &node, std::string &out);
    bool failed() const { return m_failed; }

private:
    void repeat(const RxNode &node, std::string &out);
    static std::string upper(std::string text);
    std::optional<char32_t> pickChar(const RxNode &node);
    Rng &m_rng;
    const std::vector<std::string> &m_words;
    int m_stretch;
    bool m_failed = false;
};

} // namespace crucible::simulated
