#include "core/llm/simulated/rxgenerator.h"

#include "core/llm/simulated/utf8text.h"

#include <algorithm>

namespace crucible::simulated {

RxGenerator::RxGenerator(Rng &rng, const std::vector<std::string> &words, int stretch)
    : m_rng(rng)
    , m_words(words)
    , m_stretch(stretch)
{
}

void RxGenerator::generate(const RxNode &node, std::string &out)
{
    switch (node.kind) {
    case RxNode::Kind::Seq:
        for (const RxNode &kid : node.kids) {
            generate(kid, out);
        }
        break;
    case RxNode::Kind::Alt:
        generate(node.kids[m_rng.below(node.kids.size())], out);
        break;
    case RxNode::Kind::Repeat:
        repeat(node, out);
        break;
    case RxNode::Kind::Set:
        if (const auto c = pickChar(node)) {
            appendUtf8(out, *c);
        } else {
            m_failed = true;
        }
        break;
    case RxNode::Kind::Any:
        appendUtf8(out, static_cast<char32_t>(U'a' + m_rng.below(26)));
        break;
    case RxNode::Kind::Start:
    case RxNode::Kind::End:
        break;
    }
}

void RxGenerator::repeat(const RxNode &node, std::string &out)
{
    const int spread = m_stretch == 0 ? 0 : (m_stretch == 1 ? 5 : 40);
    const int hi = node.max < 0 ? node.min + (m_stretch == 1 ? 3 : spread)
                                : std::min(node.max, node.min + spread);
    const RxNode &kid = node.kids.front();
    // Prefer a real word when a letter class repeats, so the text stays readable.
    if (kid.kind == RxNode::Kind::Set && !kid.negated && hi >= 3 && m_rng.chance(0.7)) {
        std::vector<std::string> fits;
        for (const std::string &w : m_words) {
            for (const std::string &form : {w, capitalized(w), upper(w)}) {
                const auto cps = decodeUtf8(form);
                if (static_cast<int>(cps.size()) >= node.min &&
                    static_cast<int>(cps.size()) <= hi &&
                    std::all_of(cps.begin(), cps.end(),
                                [&](char32_t c) { return kid.contains(c); })) {
                    fits.push_back(form);
                    break;
                }
            }
        }
        if (!fits.empty()) {
            out += m_rng.pick(fits);
            return;
        }
    }
    const int count =
        node.min +
        static_cast<int>(m_rng.below(static_cast<std::size_t>(std::max(0, hi - node.min) + 1)));
    for (int i = 0; i < count; ++i) {
        generate(kid, out);
    }
}

std::string RxGenerator::upper(std::string text)
{
    for (char &c : text) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return text;
}

std::optional<char32_t> RxGenerator::pickChar(const RxNode &node)
{
    static const std::u32string nice =
        U"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.";
    std::u32string ok;
    for (const char32_t c : nice) {
        if (node.contains(c)) {
            ok.push_back(c);
        }
    }
    if (!ok.empty() && (node.negated || m_rng.chance(0.9))) {
        return ok[m_rng.below(ok.size())];
    }
    if (!node.negated && !node.ranges.empty()) {
        const auto &r = node.ranges[m_rng.below(node.ranges.size())];
        for (int i = 0; i < 8; ++i) {
            const char32_t c = r.first + static_cast<char32_t>(m_rng.below(r.second - r.first + 1));
            if (c < 0xD800 || c > 0xDFFF) {
                return c;
            }
        }
        return r.first;
    }
    for (char32_t c = 0x21; c < 0x250; ++c) {
        if (node.contains(c)) {
            return c;
        }
    }
    return std::nullopt;
}

} // namespace crucible::simulated
