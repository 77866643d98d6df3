#include "core/llm/simulated/stringsampler.h"

#include "core/llm/simulated/propertyhints.h"
#include "core/llm/simulated/rxgenerator.h"
#include "core/llm/simulated/rxparser.h"
#include "core/llm/simulated/schemamerging.h"
#include "core/llm/simulated/utf8text.h"
#include "core/llm/structured/ecmaregex.h"

namespace crucible::simulated {

using nlohmann::json;

StringSampler::StringSampler(Rng &rng, Prose &prose)
    : m_rng(rng)
    , m_prose(prose)
{
}

std::string StringSampler::formatted(const std::string &format)
{
    if (format == "date-time") {
        return m_prose.text(TextKind::DateTime);
    }
    if (format == "date") {
        return m_prose.text(TextKind::Date);
    }
    if (format == "time") {
        return Prose::twoDigits(8 + m_rng.below(10)) + ":" + Prose::twoDigits(m_rng.below(4) * 15) +
               ":00Z";
    }
    if (format == "email" || format == "idn-email") {
        return m_prose.text(TextKind::Email);
    }
    if (format == "uri" || format == "iri" || format == "uri-reference" ||
        format == "iri-reference" || format == "url") {
        return m_prose.text(TextKind::Url);
    }
    if (format == "hostname" || format == "idn-hostname") {
        return Prose::slug(m_prose.topic()) + ".example.com";
    }
    if (format == "ipv4") {
        return "192.0.2." + std::to_string(1 + m_rng.below(254));
    }
    if (format == "ipv6") {
        return "2001:db8::" + std::to_string(1 + m_rng.below(999));
    }
    if (format == "uuid") {
        static const char *hex = "0123456789abcdef";
        std::string out;
        for (const int n : {8, 4, 4, 4, 12}) {
            if (!out.empty()) {
                out.push_back('-');
            }
            for (int i = 0; i < n; ++i) {
                out.push_back(hex[m_rng.below(16)]);
            }
        }
        return out;
    }
    if (format == "json-pointer") {
        return "/" + Prose::slug(m_prose.topic()) + "/0";
    }
    return {};
}

std::optional<json> StringSampler::sample(const json &m, const std::string &hint, std::string &why)
{
    const std::size_t minL = countKeyword(m, "minLength").value_or(0);
    const std::size_t maxL = countKeyword(m, "maxLength").value_or(kNoLimit);
    if (minL > maxL) {
        why = ("minLength " + std::to_string(minL) + " is greater than maxLength " +
               std::to_string(maxL));
        return std::nullopt;
    }
    if (const auto p = m.find("pattern"); p != m.end() && p->is_string()) {
        // The validator skips patterns it cannot match in linear time, and so do we.
        if (const EcmaRegex re(p->get<std::string>()); re.ok()) {
            return pattern(p->get<std::string>(), re, minL, maxL, hint, why);
        }
    }
    const TextKind kind = textKind(hint);
    std::string text = formatted(m.value("format", std::string()));
    if (text.empty()) {
        text = m_prose.text(kind);
    }
    return json(fit(std::move(text), minL, maxL, kind));
}

std::string StringSampler::fit(std::string text, std::size_t minL, std::size_t maxL, TextKind kind)
{
    if (maxL < 24 && codePoints(text) > maxL) {
        text = m_prose.phrase(maxL);
    }
    for (int i = 0; codePoints(text) < minL && i < 100000; ++i) {
        text += ' ' + m_prose.sentence(kind == TextKind::Title || kind == TextKind::Label
                                           ? TextKind::Sentence
                                           : kind);
    }
    if (codePoints(text) < minL) {
        text.append(minL - codePoints(text), '.');
    }
    return truncateText(text, maxL, minL);
}

std::optional<json> StringSampler::pattern(const std::string &pattern, const EcmaRegex &re,
                                           std::size_t minL, std::size_t maxL,
                                           const std::string &hint, std::string &why)
{
    auto fits = [&](const std::string &s) {
        const std::size_t n = codePoints(s);
        return n >= minL && n <= maxL && re.search(s);
    };
    std::string error;
    RxParser parser(decodeUtf8(pattern));
    const auto tree = parser.parse(error);
    if (tree) {
        const bool anchoredStart = tree->kind == RxNode::Kind::Seq && !tree->kids.empty() &&
                                   tree->kids.front().kind == RxNode::Kind::Start;
        const bool anchoredEnd = tree->kind != RxNode::Kind::Seq || tree->kids.empty() ||
                                 tree->kids.back().kind == RxNode::Kind::End;
        for (int attempt = 0; attempt < 30; ++attempt) {
            const int stretch = attempt < 10 ? 1 : (attempt % 2 == 0 ? 0 : 2);
            RxGenerator gen(m_rng, m_prose.topics(), stretch);
            std::string s;
            gen.generate(*tree, s);
            if (gen.failed()) {
                continue;
            }
            // Unanchored patterns match anywhere: pad with words to reach minLength.
            for (int i = 0; codePoints(s) < minL && i < 1000 && (!anchoredEnd || !anchoredStart);
                 ++i) {
                s = anchoredEnd ? m_prose.topic() + ' ' + s : s + ' ' + m_prose.topic();
            }
            if (codePoints(s) > maxL && (!anchoredEnd || !anchoredStart)) {
                s = s.substr(0, byteOffset(s, maxL));
            }
            if (fits(s)) {
                return json(s);
            }
        }
    }
    // Unsupported constructs: plain text sometimes matches (e.g. "\\bword\\b").
    const TextKind kind = textKind(hint);
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::string s = attempt < 10 ? m_prose.text(kind) : m_prose.topic();
        s = fit(std::move(s), minL, maxL, kind);
        if (fits(s)) {
            return json(s);
        }
    }
    why = ("cannot generate a string matching the pattern '" + pattern + "'" +
           (tree ? std::string(" within the length limits")
                 : " (the sampler does not generate " + error + ")"));
    return std::nullopt;
}

} // namespace crucible::simulated
