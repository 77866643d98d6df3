#include "core/llm/structured/schemasampler.h"

#include "core/llm/structured/ecmaregex.h"
#include "core/llm/structured/jsonschemavalidator.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kHardDepth = 40;          // deeper than this a recursive schema has no way out
constexpr int kBudgetPerAttempt = 4000; // generation steps per whole-value attempt
constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

// ---------------------------------------------------------------------------------------------
// Randomness: SplitMix64, so that output is identical on every platform and standard library.

class Rng
{
public:
    explicit Rng(std::uint64_t seed)
        : m_state(seed)
    {
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    // Uniform in [0, n); 0 when n == 0.
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    // Uniform in [lo, hi] (lo <= hi).
    std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
    double unit() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template <typename T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }
    template <typename T, std::size_t N> const T &pick(const std::array<T, N> &v)
    {
        return v[below(N)];
    }
    template <typename T> void shuffle(std::vector<T> &v)
    {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::swap(v[i - 1], v[below(i)]);
        }
    }

private:
    std::uint64_t m_state;
};

std::uint64_t hashText(std::string_view text, std::uint64_t seed = 0)
{
    return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}

// ---------------------------------------------------------------------------------------------
// UTF-8 helpers: schema lengths count code points.

std::size_t codePoints(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

// Byte offset of code point `n` (text.size() when there are fewer).
std::size_t byteOffset(std::string_view text, std::size_t n)
{
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            if (seen == n) {
                return i;
            }
            ++seen;
        }
    }
    return text.size();
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::u32string decodeUtf8(std::string_view text)
{
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const int extra = c < 0x80 ? 0 : (c < 0xE0 ? 1 : (c < 0xF0 ? 2 : 3));
        char32_t cp = extra == 0 ? c : (c & (0x3FU >> extra));
        std::size_t j = i + 1;
        for (int k = 0; k < extra && j < text.size(); ++k, ++j) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[j]) & 0x3FU);
        }
        out.push_back(cp);
        i = j;
    }
    return out;
}

std::string lower(std::string text)
{
    for (char &c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

std::string capitalized(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    }
    return text;
}

// Cuts `text` to at most `limit` code points, at a word boundary when that keeps at least
// `minimum` code points, without trailing spaces or separators.
std::string truncateText(const std::string &text, std::size_t limit, std::size_t minimum)
{
    if (codePoints(text) <= limit) {
        return text;
    }
    std::string cut = text.substr(0, byteOffset(text, limit));
    const std::size_t space = cut.find_last_of(' ');
    if (space != std::string::npos && space > 0 && codePoints(cut.substr(0, space)) >= minimum &&
        space >= cut.size() / 2) {
        std::string word = cut.substr(0, space);
        while (!word.empty() && std::string_view(" ,;:-").find(word.back()) != std::string::npos &&
               codePoints(word) > minimum) {
            word.pop_back();
        }
        if (codePoints(word) >= minimum) {
            cut = std::move(word);
        }
    }
    return cut;
}

// ---------------------------------------------------------------------------------------------
// Readable text. Property names hint at the kind of text; topic words keep it on subject.

enum class TextKind {
    Sentence,
    Statement,
    Summary,
    Constraint,
    Criterion,
    Rationale,
    Critique,
    Question,
    Answer,
    Step,
    Title,
    PersonName,
    Identifier,
    Label,
    Domain,
    Level,
    Email,
    Url,
    DateTime,
    Date,
};

bool hasAny(const std::string &text, std::initializer_list<const char *> needles)
{
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char *n) { return text.find(n) != std::string::npos; });
}

bool endsWith(const std::string &text, std::string_view suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TextKind textKind(const std::string &hint)
{
    const std::string h = lower(hint);
    if (h.empty()) {
        return TextKind::Sentence;
    }
    if (hasAny(h, {"email", "e_mail"})) {
        return TextKind::Email;
    }
    if (hasAny(h, {"url", "uri", "link", "website", "href"})) {
        return TextKind::Url;
    }
    if (endsWith(h, "_at") || hasAny(h, {"timestamp", "datetime", "date_time"})) {
        return TextKind::DateTime;
    }
    if (hasAny(h, {"date", "deadline"})) {
        return TextKind::Date;
    }
    if (h == "id" || endsWith(h, "_id") || endsWith(hint, "Id") || hasAny(h, {"slug", "uuid"})) {
        return TextKind::Identifier;
    }
    if (hasAny(h, {"title", "headline"})) {
        return TextKind::Title;
    }
    if (hasAny(h, {"name"})) {
        return hasAny(h, {"agent", "person", "author", "user", "persona", "owner", "reviewer"})
                   ? TextKind::PersonName
                   : TextKind::Title;
    }
    if (hasAny(h, {"constraint", "requirement", "rule", "limit", "restriction"})) {
        return TextKind::Constraint;
    }
    if (hasAny(h, {"criteri", "success", "outcome", "expected", "metric", "goal", "objective",
                   "acceptance"})) {
        return TextKind::Criterion;
    }
    if (hasAny(h, {"rationale", "reason", "justification", "explanation", "why"})) {
        return TextKind::Rationale;
    }
    if (hasAny(h, {"critique", "feedback", "weakness", "strength", "issue", "flaw", "comment",
                   "review", "evaluation", "assessment", "observation"})) {
        return TextKind::Critique;
    }
    if (hasAny(h, {"question", "query"})) {
        return TextKind::Question;
    }
    if (hasAny(h, {"step", "action", "plan", "instruction", "procedure"})) {
        return TextKind::Step;
    }
    if (hasAny(h, {"answer", "solution", "response", "approach", "recommendation", "suggestion",
                   "result", "output", "reply", "content", "message", "turn", "utterance"})) {
        return TextKind::Answer;
    }
    if (hasAny(h, {"summary", "abstract", "overview", "note"})) {
        return TextKind::Summary;
    }
    if (hasAny(h, {"statement", "problem", "scenario", "description", "context", "background",
                   "prompt", "task", "situation", "detail", "text", "body", "story", "narrative",
                   "sample", "example", "assumption", "edge"})) {
        return TextKind::Statement;
    }
    if (hasAny(h, {"domain", "field", "area", "subject", "topic", "theme"})) {
        return TextKind::Domain;
    }
    if (hasAny(h, {"complexity", "difficulty", "level", "severity", "priority"})) {
        return TextKind::Level;
    }
    if (hasAny(h, {"tag", "keyword", "label", "category", "type", "kind", "dimension", "capability",
                   "skill", "role", "trait", "key", "status", "mode", "style"})) {
        return TextKind::Label;
    }
    return TextKind::Sentence;
}

const std::vector<std::string> kDefaultTopics = {
    "inventory",   "scheduling",  "routing",  "billing",     "onboarding",
    "forecasting", "maintenance", "staffing", "procurement", "reporting"};

const std::vector<const char *> kSubjects = {
    "A regional hospital",         "The operations team",    "A mid-sized retailer",
    "A city transit agency",       "An early-stage startup", "The research group",
    "A logistics provider",        "A school district",      "The customer support desk",
    "A small manufacturing plant", "The finance department", "A field service company",
    "A public library network",    "An online marketplace"};

const std::vector<const char *> kGoals = {
    "needs to reduce",       "wants to improve",  "must balance",        "has to schedule",
    "is trying to forecast", "plans to automate", "needs to prioritise", "must reconcile",
    "wants to evaluate",     "has to allocate",   "needs to audit",      "wants to redesign"};

const std::vector<const char *> kObjects = {"{t} costs",
                                            "the {t} backlog",
                                            "the quality of its {t} data",
                                            "delays in {t}",
                                            "its {t} workflow",
                                            "the accuracy of {t} estimates",
                                            "{t} capacity across several sites",
                                            "the way {t} requests are handled",
                                            "{t} and {u} together"};

const std::vector<const char *> kConditions = {
    "while staying within a fixed budget",   "even though the data is incomplete and noisy",
    "before the end of the quarter",         "without hiring additional staff",
    "while regulations keep changing",       "while demand varies from week to week",
    "with only two analysts available",      "using records from three legacy systems",
    "without interrupting daily operations", "while keeping customers informed"};

const std::vector<const char *> kStatementContext = {
    "Today {t} is handled by hand and {u} is tracked in spreadsheets.",
    "Last year, problems with {t} caused {n} missed deadlines.",
    "The team has {n} months and a limited budget to show results.",
    "Most {t} data comes from a system that was never designed for {u}.",
    "Managers disagree on whether {t} or {u} matters more.",
    "Peak periods make {t} roughly {n} times harder to manage."};

const std::vector<const char *> kConstraints = {
    "The solution must finish within {n} hours.",
    "No more than {n} people can work on {t} at the same time.",
    "All {t} records must stay private and be stored on site.",
    "The approach has to work with the existing {t} data as it is.",
    "Results must be explainable to people without a technical background.",
    "The budget for {t} is limited to {n}0 thousand dollars.",
    "Changes to {t} can only be deployed outside business hours.",
    "The system must handle up to {n}00 {t} requests per minute.",
    "Manual steps in the {t} process should be avoided.",
    "Any decision about {u} must be reversible within one day."};

const std::vector<const char *> kCriteria = {
    "{T} delays drop by at least {n}0 percent.",
    "Every {t} case is handled without manual correction.",
    "Stakeholders can check the {t} results in under {n} minutes.",
    "The {t} report is produced automatically every morning.",
    "Error rates in {t} stay below {n} percent for a month.",
    "The team agrees that the {t} plan is realistic and complete.",
    "Costs for {t} fall while {u} stays at the same level."};

const std::vector<const char *> kRationales = {
    "This works because {t} is the main bottleneck, so improving it frees capacity elsewhere.",
    "The choice keeps {t} simple, which makes mistakes easier to spot.",
    "Focusing on {t} first gives the quickest measurable result.",
    "It balances {t} against {u}, which matters most {cond}.",
    "Earlier attempts at {t} failed when {u} was ignored, so this version accounts for it.",
    "The data about {t} is the most reliable input available, so the decision rests on it."};

const std::vector<const char *> kCritiques = {
    "The answer handles {t} well but overlooks how {u} affects the result.",
    "The reasoning about {t} is clear, although the cost estimate seems optimistic.",
    "It assumes the {t} data is complete, which is rarely true in practice.",
    "The plan is thorough on {t} but gives no way to measure success.",
    "A stronger answer would compare at least two options for {t}.",
    "The proposal ignores the limit on {u} and would need revision."};

const std::vector<const char *> kQuestions = {
    "How should the team handle {t} {cond}?",
    "What is the fastest way to reduce {t} costs without hurting {u}?",
    "Which {t} cases should a person review first?",
    "What would change if {t} demand doubled next month?",
    "How can {u} be measured before the {t} changes go live?"};

const std::vector<const char *> kAnswers = {
    "Start by measuring {t} for two weeks to establish a baseline.",
    "Then group the {t} cases by urgency and handle the largest group first.",
    "A simple rule based on {u} covers most situations, and the rest go to a reviewer.",
    "Automating the {t} checks saves roughly {n} hours per week.",
    "The main risk is {u}, so it is monitored daily.",
    "Results are reviewed with the team after the first month.",
    "If {t} grows faster than expected, capacity is added in small steps.",
    "Comparing {t} before and after the change shows whether it worked."};

const std::vector<const char *> kSteps = {"Collect the current {t} data.",
                                          "Identify the cases where {u} causes delays.",
                                          "Draft a {t} plan and share it with the stakeholders.",
                                          "Test the plan on a small {t} sample.",
                                          "Roll out the change and track {u} every week.",
                                          "Review the results and adjust the {t} thresholds.",
                                          "Document the {t} decisions for the next review."};

const std::vector<const char *> kSummaries = {
    "A plan to improve {t} {cond}.", "Overview of {t} and its effect on {u}.",
    "How {t} can be made more reliable with the data already available.",
    "Trade-offs between {t} and {u} for a team with limited time."};

const std::vector<const char *> kAdjectives = {
    "Adaptive", "Resilient", "Incremental", "Cost-aware", "Distributed",
    "Seasonal", "Fair",      "Robust",      "Lean",       "Scalable"};
const std::vector<const char *> kNouns = {"Planning",   "Scheduling", "Forecast", "Audit",
                                          "Allocation", "Review",     "Triage",   "Migration",
                                          "Rollout",    "Assessment"};
const std::vector<const char *> kFirstNames = {"Ada",   "Omar",   "Mei",   "Lukas", "Priya",
                                               "Diego", "Hannah", "Kwame", "Sofia", "Ivan"};
const std::vector<const char *> kLastNames = {"Rivera", "Chen",   "Okafor", "Novak",
                                              "Sharma", "Larsen", "Haddad", "Moreau"};
const std::vector<const char *> kLevels = {"simple", "medium", "complex"};

class Prose
{
public:
    Prose(Rng &rng, const std::vector<std::string> &words)
        : m_rng(rng)
        , m_words(words.empty() ? kDefaultTopics : words)
    {
    }

    std::string topic() { return m_words[m_rng.below(std::min<std::size_t>(m_words.size(), 12))]; }

    std::string otherTopic(const std::string &not_)
    {
        for (int i = 0; i < 4; ++i) {
            std::string w = topic();
            if (w != not_) {
                return w;
            }
        }
        return kDefaultTopics[m_rng.below(kDefaultTopics.size())];
    }

    std::string fill(std::string_view tmpl)
    {
        const std::string t = topic();
        const std::string u = otherTopic(t);
        std::string out;
        for (std::size_t i = 0; i < tmpl.size(); ++i) {
            if (tmpl[i] != '{') {
                out.push_back(tmpl[i]);
                continue;
            }
            const std::size_t close = tmpl.find('}', i);
            const std::string_view key = tmpl.substr(i + 1, close - i - 1);
            if (key == "t") {
                out += t;
            } else if (key == "u") {
                out += u;
            } else if (key == "T") {
                out += capitalized(t);
            } else if (key == "n") {
                out += std::to_string(2 + m_rng.below(8));
            } else if (key == "cond") {
                out += m_rng.pick(kConditions);
            } else {
                out += key;
            }
            i = close;
        }
        return out;
    }

    std::string statementSentence()
    {
        return std::string(m_rng.pick(kSubjects)) + ' ' + m_rng.pick(kGoals) + ' ' +
               fill(m_rng.pick(kObjects)) + ' ' + m_rng.pick(kConditions) + '.';
    }

    std::string sentence(TextKind kind)
    {
        switch (kind) {
        case TextKind::Statement:
            return m_rng.chance(0.5) ? statementSentence() : fill(m_rng.pick(kStatementContext));
        case TextKind::Summary:
            return fill(m_rng.pick(kSummaries));
        case TextKind::Constraint:
            return fill(m_rng.pick(kConstraints));
        case TextKind::Criterion:
            return fill(m_rng.pick(kCriteria));
        case TextKind::Rationale:
            return fill(m_rng.pick(kRationales));
        case TextKind::Critique:
            return fill(m_rng.pick(kCritiques));
        case TextKind::Question:
            return fill(m_rng.pick(kQuestions));
        case TextKind::Step:
            return fill(m_rng.pick(kSteps));
        case TextKind::Answer:
            return fill(m_rng.pick(kAnswers));
        default:
            break;
        }
        switch (m_rng.below(4)) {
        case 0:
            return statementSentence();
        case 1:
            return fill(m_rng.pick(kAnswers));
        case 2:
            return fill(m_rng.pick(kRationales));
        default:
            return fill(m_rng.pick(kStatementContext));
        }
    }

    std::string words(std::size_t count)
    {
        std::string out;
        for (std::size_t i = 0; i < count; ++i) {
            out += (i == 0 ? "" : " ") + topic();
        }
        return out;
    }

    std::string text(TextKind kind)
    {
        switch (kind) {
        case TextKind::Title:
            return std::string(m_rng.pick(kAdjectives)) + ' ' + capitalized(topic()) + ' ' +
                   m_rng.pick(kNouns);
        case TextKind::PersonName:
            return std::string(m_rng.pick(kFirstNames)) + ' ' + m_rng.pick(kLastNames);
        case TextKind::Identifier:
            return lower(topic()) + '-' + std::to_string(100 + m_rng.below(900));
        case TextKind::Label:
            return m_rng.chance(0.6) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
        case TextKind::Domain:
            return m_rng.chance(0.5) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
        case TextKind::Level:
            return m_rng.pick(kLevels);
        case TextKind::Email:
            return lower(m_rng.pick(kFirstNames)) + '.' + lower(m_rng.pick(kLastNames)) +
                   "@example.com";
        case TextKind::Url:
            return "https://example.com/" + slug(topic()) + '/' + slug(topic());
        case TextKind::DateTime:
            return dateText() + 'T' + twoDigits(8 + m_rng.below(10)) + ':' +
                   twoDigits(m_rng.below(4) * 15) + ":00Z";
        case TextKind::Date:
            return dateText();
        case TextKind::Statement: {
            std::string out = statementSentence();
            const std::size_t extra = 1 + m_rng.below(2);
            for (std::size_t i = 0; i < extra; ++i) {
                out += ' ' + sentence(TextKind::Statement);
            }
            return out;
        }
        case TextKind::Answer: {
            std::string out = sentence(kind);
            const std::size_t extra = 1 + m_rng.below(2);
            for (std::size_t i = 0; i < extra; ++i) {
                out += ' ' + sentence(kind);
            }
            return out;
        }
        case TextKind::Sentence:
            return sentence(kind) + (m_rng.chance(0.4) ? ' ' + sentence(kind) : std::string());
        default:
            return sentence(kind);
        }
    }

    // One to three words: for short strings.
    std::string phrase(std::size_t maxLength)
    {
        std::string p = m_rng.chance(0.5) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
        if (codePoints(p) > maxLength) {
            p = topic();
        }
        return p;
    }

    static std::string slug(const std::string &text)
    {
        std::string out;
        for (const char c : lower(text)) {
            out.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
        }
        return out;
    }

    std::string dateText()
    {
        return "2025-" + twoDigits(1 + m_rng.below(12)) + '-' + twoDigits(1 + m_rng.below(28));
    }

    static std::string twoDigits(std::size_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }

    const std::vector<std::string> &topics() const { return m_words; }

private:
    Rng &m_rng;
    std::vector<std::string> m_words;
};

// ---------------------------------------------------------------------------------------------
// Strings for `pattern`: a generator for the common regular-expression subset (literals,
// classes, escapes, groups, alternation, quantifiers, anchors). Lookarounds, back-references
// and word boundaries are not generated; the caller then falls back to trying plain text.

struct RxNode
{
    enum class Kind { Seq, Alt, Repeat, Set, Any, Start, End };
    Kind kind = Kind::Seq;
    std::vector<RxNode> kids;
    int min = 1;
    int max = 1; // Repeat; < 0: unbounded
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool negated = false;

    bool contains(char32_t c) const
    {
        const bool in = std::any_of(ranges.begin(), ranges.end(),
                                    [c](const auto &r) { return c >= r.first && c <= r.second; });
        return in != negated;
    }
};

class RxParser
{
public:
    explicit RxParser(std::u32string source)
        : m_s(std::move(source))
    {
    }

    std::optional<RxNode> parse(std::string &error)
    {
        RxNode root = parseAlt();
        if (m_error.empty() && m_pos < m_s.size()) {
            m_error = "unbalanced ')'";
        }
        if (!m_error.empty()) {
            error = m_error;
            return std::nullopt;
        }
        return root;
    }

private:
    bool atEnd() const { return m_pos >= m_s.size(); }
    char32_t peek() const { return m_s[m_pos]; }

    RxNode parseAlt()
    {
        RxNode first = parseSeq();
        if (atEnd() || peek() != U'|') {
            return first;
        }
        RxNode alt;
        alt.kind = RxNode::Kind::Alt;
        alt.kids.push_back(std::move(first));
        while (!atEnd() && peek() == U'|' && m_error.empty()) {
            ++m_pos;
            alt.kids.push_back(parseSeq());
        }
        return alt;
    }

    RxNode parseSeq()
    {
        RxNode seq;
        while (!atEnd() && peek() != U'|' && peek() != U')' && m_error.empty()) {
            RxNode atom;
            if (!parseAtom(atom)) {
                break;
            }
            parseQuantifier(atom);
            seq.kids.push_back(std::move(atom));
        }
        return seq;
    }

    static RxNode single(char32_t c)
    {
        RxNode n;
        n.kind = RxNode::Kind::Set;
        n.ranges.emplace_back(c, c);
        return n;
    }

    static void addClass(std::vector<std::pair<char32_t, char32_t>> &ranges, char32_t which)
    {
        switch (which) {
        case U'd':
            ranges.emplace_back(U'0', U'9');
            break;
        case U'w':
            ranges.emplace_back(U'a', U'z');
            ranges.emplace_back(U'A', U'Z');
            ranges.emplace_back(U'0', U'9');
            ranges.emplace_back(U'_', U'_');
            break;
        default: // 's'
            ranges.emplace_back(U' ', U' ');
            ranges.emplace_back(U'\t', U'\r');
            break;
        }
    }

    std::optional<char32_t> hexEscape(int digits)
    {
        char32_t value = 0;
        for (int i = 0; i < digits; ++i) {
            if (atEnd()) {
                return std::nullopt;
            }
            const char32_t c = m_s[m_pos++];
            int v = -1;
            if (c >= U'0' && c <= U'9') {
                v = static_cast<int>(c - U'0');
            } else if (c >= U'a' && c <= U'f') {
                v = static_cast<int>(c - U'a' + 10);
            } else if (c >= U'A' && c <= U'F') {
                v = static_cast<int>(c - U'A' + 10);
            }
            if (v < 0) {
                return std::nullopt;
            }
            value = value * 16 + static_cast<char32_t>(v);
        }
        return value;
    }

    // After a backslash: a single character, or (classes) adds ranges and returns nullopt.
    std::optional<char32_t> parseEscape(std::vector<std::pair<char32_t, char32_t>> &ranges,
                                        bool &negatedClass, bool inClass)
    {
        if (atEnd()) {
            m_error = "trailing backslash";
            return std::nullopt;
        }
        const char32_t c = m_s[m_pos++];
        switch (c) {
        case U'd':
        case U'w':
        case U's':
            addClass(ranges, c);
            return std::nullopt;
        case U'D':
        case U'W':
        case U'S':
            if (inClass) {
                m_error = "negated class escapes inside [...]";
                return std::nullopt;
            }
            addClass(ranges, static_cast<char32_t>(c - U'A' + U'a'));
            negatedClass = true;
            return std::nullopt;
        case U'b':
            if (inClass) {
                return U'\b';
            }
            m_error = "word boundaries (\\b)";
            return std::nullopt;
        case U'B':
            m_error = "word boundaries (\\B)";
            return std::nullopt;
        case U'n':
            return U'\n';
        case U'r':
            return U'\r';
        case U't':
            return U'\t';
        case U'f':
            return U'\f';
        case U'v':
            return U'\v';
        case U'0':
            return U'\0';
        case U'x':
            if (auto v = hexEscape(2)) {
                return v;
            }
            m_error = "malformed \\x escape";
            return std::nullopt;
        case U'u':
            if (auto v = hexEscape(4)) {
                return v;
            }
            m_error = "malformed \\u escape";
            return std::nullopt;
        case U'c':
            m_error = "control escapes (\\c)";
            return std::nullopt;
        default:
            if (c >= U'1' && c <= U'9') {
                m_error = "back-references";
                return std::nullopt;
            }
            return c;
        }
    }

    bool parseClass(RxNode &out)
    {
        out.kind = RxNode::Kind::Set;
        if (!atEnd() && peek() == U'^') {
            out.negated = true;
            ++m_pos;
        }
        bool first = true;
        while (true) {
            if (atEnd()) {
                m_error = "unterminated character class";
                return false;
            }
            char32_t c = m_s[m_pos++];
            if (c == U']' && !first) {
                return true;
            }
            if (c == U']') { // "[]" matches nothing in ECMAScript
                return true;
            }
            first = false;
            if (c == U'\\') {
                bool ignored = false;
                const auto lit = parseEscape(out.ranges, ignored, true);
                if (!m_error.empty()) {
                    return false;
                }
                if (!lit) {
                    continue;
                }
                c = *lit;
            }
            // A range "a-z" (a '-' before ']' is a literal).
            if (m_pos + 1 < m_s.size() && m_s[m_pos] == U'-' && m_s[m_pos + 1] != U']') {
                ++m_pos;
                char32_t hi = m_s[m_pos++];
                if (hi == U'\\') {
                    std::vector<std::pair<char32_t, char32_t>> dummy;
                    bool ignored = false;
                    const auto lit = parseEscape(dummy, ignored, true);
                    if (!lit || !dummy.empty()) {
                        if (m_error.empty()) {
                            m_error = "class escapes as a range bound";
                        }
                        return false;
                    }
                    hi = *lit;
                }
                if (hi < c) {
                    m_error = "reversed range in a character class";
                    return false;
                }
                out.ranges.emplace_back(c, hi);
            } else {
                out.ranges.emplace_back(c, c);
            }
        }
    }

    bool parseAtom(RxNode &out)
    {
        const char32_t c = m_s[m_pos++];
        switch (c) {
        case U'(': {
            if (!atEnd() && peek() == U'?') {
                if (m_pos + 1 < m_s.size() && m_s[m_pos + 1] == U':') {
                    m_pos += 2;
                } else {
                    m_error = "lookarounds and named groups";
                    return false;
                }
            }
            out = parseAlt();
            if (atEnd() || peek() != U')') {
                if (m_error.empty()) {
                    m_error = "unbalanced '('";
                }
                return false;
            }
            ++m_pos;
            return true;
        }
        case U'[':
            return parseClass(out);
        case U'.':
            out.kind = RxNode::Kind::Any;
            return true;
        case U'^':
            out.kind = RxNode::Kind::Start;
            return true;
        case U'$':
            out.kind = RxNode::Kind::End;
            return true;
        case U'*':
        case U'+':
        case U'?':
            m_error = "a quantifier without anything to repeat";
            return false;
        case U'\\': {
            bool negated = false;
            std::vector<std::pair<char32_t, char32_t>> ranges;
            const auto lit = parseEscape(ranges, negated, false);
            if (!m_error.empty()) {
                return false;
            }
            if (lit) {
                out = single(*lit);
            } else {
                out.kind = RxNode::Kind::Set;
                out.ranges = std::move(ranges);
                out.negated = negated;
            }
            return true;
        }
        default:
            out = single(c);
            return true;
        }
    }

    std::optional<int> number()
    {
        if (atEnd() || peek() < U'0' || peek() > U'9') {
            return std::nullopt;
        }
        int v = 0;
        while (!atEnd() && peek() >= U'0' && peek() <= U'9') {
            v = std::min(v * 10 + static_cast<int>(peek() - U'0'), 100000);
            ++m_pos;
        }
        return v;
    }

    void parseQuantifier(RxNode &atom)
    {
        if (atEnd()) {
            return;
        }
        int min = 1;
        int max = 1;
        const char32_t c = peek();
        if (c == U'*' || c == U'+' || c == U'?') {
            ++m_pos;
            min = c == U'+' ? 1 : 0;
            max = c == U'?' ? 1 : -1;
        } else if (c == U'{') {
            const std::size_t save = m_pos;
            ++m_pos;
            const auto lo = number();
            if (!lo) {
                m_pos = save; // a literal '{'
                return;
            }
            min = *lo;
            max = *lo;
            if (!atEnd() && peek() == U',') {
                ++m_pos;
                const auto hi = number();
                max = hi ? *hi : -1;
            }
            if (atEnd() || peek() != U'}') {
                m_pos = save;
                return;
            }
            ++m_pos;
            if (max >= 0 && max < min) {
                m_error = "a {min,max} quantifier with max < min";
                return;
            }
        } else {
            return;
        }
        if (!atEnd() && peek() == U'?') {
            ++m_pos; // lazy: same language
        }
        RxNode rep;
        rep.kind = RxNode::Kind::Repeat;
        rep.min = min;
        rep.max = max;
        rep.kids.push_back(std::move(atom));
        atom = std::move(rep);
    }

    std::u32string m_s;
    std::size_t m_pos = 0;
    std::string m_error;
};

class RxGenerator
{
public:
    RxGenerator(Rng &rng, const std::vector<std::string> &words, int stretch)
        : m_rng(rng)
        , m_words(words)
        , m_stretch(stretch)
    {
    }

    void generate(const RxNode &node, std::string &out)
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

    bool failed() const { return m_failed; }

private:
    void repeat(const RxNode &node, std::string &out)
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

    static std::string upper(std::string text)
    {
        for (char &c : text) {
            if (c >= 'a' && c <= 'z') {
                c = static_cast<char>(c - 'a' + 'A');
            }
        }
        return text;
    }

    std::optional<char32_t> pickChar(const RxNode &node)
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
                const char32_t c =
                    r.first + static_cast<char32_t>(m_rng.below(r.second - r.first + 1));
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

    Rng &m_rng;
    const std::vector<std::string> &m_words;
    int m_stretch;
    bool m_failed = false;
};

// ---------------------------------------------------------------------------------------------
// Schema helpers.

enum TypeBit : unsigned {
    NullBit = 1U << 0,
    BooleanBit = 1U << 1,
    ObjectBit = 1U << 2,
    ArrayBit = 1U << 3,
    NumberBit = 1U << 4, // non-integral numbers allowed
    IntegerBit = 1U << 5,
    StringBit = 1U << 6,
    AllTypes = 0x7FU,
};

unsigned typeBitsOf(const json &schema)
{
    const auto it = schema.find("type");
    if (it == schema.end()) {
        return AllTypes;
    }
    const json list = it->is_array() ? *it : json::array({*it});
    unsigned bits = 0;
    for (const json &name : list) {
        if (!name.is_string()) {
            continue;
        }
        const auto &n = name.get_ref<const std::string &>();
        if (n == "null") {
            bits |= NullBit;
        } else if (n == "boolean") {
            bits |= BooleanBit;
        } else if (n == "object") {
            bits |= ObjectBit;
        } else if (n == "array") {
            bits |= ArrayBit;
        } else if (n == "number") {
            bits |= NumberBit | IntegerBit;
        } else if (n == "integer") {
            bits |= IntegerBit;
        } else if (n == "string") {
            bits |= StringBit;
        }
    }
    return bits;
}

json typeJson(unsigned bits)
{
    json list = json::array();
    const std::pair<unsigned, const char *> names[] = {{NullBit, "null"},
                                                       {BooleanBit, "boolean"},
                                                       {ObjectBit, "object"},
                                                       {ArrayBit, "array"},
                                                       {StringBit, "string"}};
    for (const auto &[bit, name] : names) {
        if ((bits & bit) != 0) {
            list.push_back(name);
        }
    }
    if ((bits & NumberBit) != 0) {
        list.push_back("number");
    } else if ((bits & IntegerBit) != 0) {
        list.push_back("integer");
    }
    return list.size() == 1 ? list.front() : list;
}

std::string typeNames(unsigned bits)
{
    return typeJson(bits).dump();
}

std::optional<std::string> percentDecode(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const std::string hex(text.substr(i + 1, 2));
        if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(std::stoi(hex, nullptr, 16)));
        i += 2;
    }
    return out;
}

// Resolves a local "$ref" ("#", "#/definitions/x", "#/$defs/x", any JSON Pointer).
const json *resolvePointer(const json &root, const std::string &ref, std::string &error)
{
    if (ref.empty() || ref.front() != '#') {
        error = "$ref '" + ref + "' is not local: only '#...' references are supported";
        return nullptr;
    }
    const auto fragment = percentDecode(std::string_view(ref).substr(1));
    if (!fragment || (!fragment->empty() && fragment->front() != '/')) {
        error = "$ref '" + ref + "' is not a JSON Pointer fragment";
        return nullptr;
    }
    const json *target = &root;
    std::size_t pos = 0;
    while (pos < fragment->size()) {
        const std::size_t next = std::min(fragment->find('/', pos + 1), fragment->size());
        std::string token;
        for (std::size_t i = pos + 1; i < next; ++i) {
            const char c = (*fragment)[i];
            if (c == '~' && i + 1 < next) {
                token.push_back((*fragment)[i + 1] == '0' ? '~' : '/');
                ++i;
            } else {
                token.push_back(c);
            }
        }
        pos = next;
        if (target->is_object() && target->contains(token)) {
            target = &(*target)[token];
        } else if (target->is_array() && !token.empty() && token.size() < 10 &&
                   token.find_first_not_of("0123456789") == std::string::npos &&
                   std::stoul(token) < target->size()) {
            target = &(*target)[std::stoul(token)];
        } else {
            error = "$ref '" + ref + "' points to no location in the schema";
            return nullptr;
        }
    }
    return target;
}

std::optional<std::size_t> countKeyword(const json &schema, const char *key)
{
    const auto it = schema.find(key);
    if (it == schema.end() || !it->is_number() || it->get<double>() < 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::min(it->get<double>(), 1e9));
}

std::optional<double> numberKeyword(const json &schema, const char *key)
{
    const auto it = schema.find(key);
    if (it == schema.end() || !it->is_number()) {
        return std::nullopt;
    }
    return it->get<double>();
}

bool isLowerBound(const std::string &k)
{
    return k == "minimum" || k == "exclusiveMinimum" || k == "minLength" || k == "minItems" ||
           k == "minProperties";
}

bool isUpperBound(const std::string &k)
{
    return k == "maximum" || k == "exclusiveMaximum" || k == "maxLength" || k == "maxItems" ||
           k == "maxProperties";
}

json allOfPair(const json &a, const json &b)
{
    if (a == b) {
        return a;
    }
    return json{{"allOf", json::array({a, b})}};
}

// Merges the conjunction `in` into `out`. Keywords that cannot be combined keep out's value:
// the caller validates against the original schema, so the result is only a generation guide.
bool mergeInto(json &out, const json &in, std::string &why)
{
    for (const auto &[k, v] : in.items()) {
        const auto it = out.find(k);
        if (it == out.end()) {
            out[k] = v;
            continue;
        }
        json &o = *it;
        if (k == "type") {
            const unsigned bits = typeBitsOf(out) & typeBitsOf(in);
            if (bits == 0) {
                why = "the schema requires types " + typeNames(typeBitsOf(out)) + " and " +
                      typeNames(typeBitsOf(in)) + " at once";
                return false;
            }
            o = typeJson(bits);
        } else if ((k == "properties" || k == "patternProperties") && o.is_object() &&
                   v.is_object()) {
            for (const auto &[name, schema] : v.items()) {
                o[name] = o.contains(name) ? allOfPair(o[name], schema) : schema;
            }
        } else if (k == "required" && o.is_array() && v.is_array()) {
            for (const json &name : v) {
                if (std::find(o.begin(), o.end(), name) == o.end()) {
                    o.push_back(name);
                }
            }
        } else if (isLowerBound(k) && o.is_number() && v.is_number()) {
            if (v.get<double>() > o.get<double>()) {
                o = v;
            }
        } else if (isUpperBound(k) && o.is_number() && v.is_number()) {
            if (v.get<double>() < o.get<double>()) {
                o = v;
            }
        } else if (k == "enum" && o.is_array() && v.is_array()) {
            json common = json::array();
            for (const json &value : o) {
                if (std::find(v.begin(), v.end(), value) != v.end()) {
                    common.push_back(value);
                }
            }
            if (common.empty()) {
                why = "the enums of allOf have no value in common";
                return false;
            }
            o = std::move(common);
        } else if (k == "const") {
            if (o != v) {
                why = "allOf requires two different const values " + o.dump() + " and " + v.dump();
                return false;
            }
        } else if (k == "uniqueItems") {
            o = (o.is_boolean() && o.get<bool>()) || (v.is_boolean() && v.get<bool>());
        } else if ((k == "items" || k == "additionalProperties" || k == "additionalItems" ||
                    k == "contains" || k == "propertyNames") &&
                   !o.is_array() && !v.is_array()) {
            o = allOfPair(o, v);
        } else if (k == "multipleOf" && o.is_number_integer() && v.is_number_integer()) {
            const auto a = o.get<std::int64_t>();
            const auto b = v.get<std::int64_t>();
            std::int64_t x = a;
            std::int64_t y = b;
            while (y != 0) {
                const std::int64_t r = x % y;
                x = y;
                y = r;
            }
            if (x > 0 &&
                a / x <= std::numeric_limits<std::int64_t>::max() / std::max<std::int64_t>(b, 1)) {
                o = a / x * b;
            }
        }
    }
    return true;
}

int decimalsOf(double d)
{
    for (int p = 0; p <= 12; ++p) {
        const double scaled = d * std::pow(10.0, p);
        if (std::fabs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, std::fabs(scaled))) {
            return p;
        }
    }
    return 12;
}

double roundTo(double v, int decimals)
{
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    return std::isfinite(r) ? r : v;
}

struct NumericHint
{
    double lo;
    double hi;
    int decimals;
};

NumericHint numericHint(const std::string &hint, bool integer)
{
    const std::string h = lower(hint);
    if (hasAny(h, {"probability", "confidence", "weight", "ratio", "likelihood", "fraction",
                   "share", "temperature", "similarity"})) {
        return integer ? NumericHint{0, 1, 0} : NumericHint{0, 1, 2};
    }
    if (hasAny(h, {"score", "rating", "grade", "quality"})) {
        return integer ? NumericHint{1, 10, 0} : NumericHint{0, 10, 1};
    }
    if (hasAny(h, {"percent", "pct"})) {
        return {0, 100, 1};
    }
    if (hasAny(h, {"year"})) {
        return {2015, 2030, 0};
    }
    if (hasAny(h, {"age"})) {
        return {18, 80, 0};
    }
    if (hasAny(h, {"price", "cost", "budget", "amount", "revenue", "salary", "usd"})) {
        return {10, 5000, 2};
    }
    if (hasAny(h, {"hour", "minute", "day", "week", "month", "duration", "latency", "time"})) {
        return {1, 48, 1};
    }
    if (hasAny(h, {"count", "number", "num", "quantity", "size", "total", "steps", "turns", "items",
                   "index", "rank", "priority", "level"})) {
        return {1, 12, 0};
    }
    return {0, 100, 2};
}

bool numericHinted(const std::string &hint)
{
    const std::string h = lower(hint);
    return hasAny(h,
                  {"score", "rating", "count", "probability", "confidence", "weight", "percent",
                   "year", "price", "cost", "amount", "number", "total", "quantity", "duration"});
}

bool booleanHinted(const std::string &hint)
{
    const std::string h = lower(hint);
    return h.rfind("is_", 0) == 0 || h.rfind("has_", 0) == 0 ||
           hasAny(h, {"enabled", "flag", "valid", "passed", "correct", "success"});
}

} // namespace

// ---------------------------------------------------------------------------------------------

struct SchemaSampler::Impl
{
    json root;
    Options options;
    JsonSchemaValidator validator;
    std::string rootDump;

    mutable std::mutex mutex;
    mutable std::unordered_map<std::string, std::shared_ptr<const JsonSchemaValidator>> cache;

    Impl(json schema, Options o)
        : root(std::move(schema))
        , options(o)
        , validator(root)
        , rootDump(root.dump())
    {
    }

    // Whether `value` satisfies `schema`, a subschema of (or derived from) the root: it is
    // validated in a copy of the root so that its "$ref"s resolve. Refs to the root itself
    // would then point elsewhere, so such schemas are left to the final check.
    bool locallyValid(const json &schema, const json &value) const
    {
        if (schema.is_boolean()) {
            return schema.get<bool>();
        }
        std::string key = schema.dump();
        if (key.find("\"$ref\":\"#\"") != std::string::npos) {
            return true;
        }
        std::shared_ptr<const JsonSchemaValidator> v;
        {
            std::lock_guard lock(mutex);
            if (const auto it = cache.find(key); it != cache.end()) {
                v = it->second;
            }
        }
        if (!v) {
            json wrapper;
            if (root.is_object() && key.find("\"$ref\"") != std::string::npos) {
                wrapper = root;
                wrapper["__crucible_sampler_target"] = schema;
                wrapper["$ref"] = "#/__crucible_sampler_target";
            } else {
                wrapper = schema;
            }
            v = std::make_shared<const JsonSchemaValidator>(std::move(wrapper));
            std::lock_guard lock(mutex);
            if (cache.size() > 512) {
                cache.clear();
            }
            cache.emplace(std::move(key), v);
        }
        return v->isValid(value);
    }
};

namespace {

class Generator
{
public:
    Generator(const SchemaSampler::Impl &impl, std::uint64_t seed,
              const std::vector<std::string> &words)
        : m_impl(impl)
        , m_rng(seed)
        , m_prose(m_rng, words)
    {
    }

    std::optional<json> run() { return gen(m_impl.root, "", "", 0); }
    const std::string &failure() const { return m_failure; }

private:
    void fail(const std::string &path, const std::string &message)
    {
        if (m_failure.empty()) {
            m_failure = (path.empty() ? std::string("(root)") : path) + ": " + message;
        }
    }

    bool valid(const json &schema, const json &value) const
    {
        return m_impl.locallyValid(schema, value);
    }

    const json *follow(const json &schema, const std::string &path)
    {
        const json *s = &schema;
        for (int i = 0; s->is_object() && s->contains("$ref"); ++i) {
            const json &ref = (*s)["$ref"];
            if (!ref.is_string()) {
                break;
            }
            if (i > 32) {
                fail(path, "$ref chain longer than 32 steps (a cycle?)");
                return nullptr;
            }
            std::string error;
            s = resolvePointer(m_impl.root, ref.get<std::string>(), error);
            if (s == nullptr) {
                fail(path, error);
                return nullptr;
            }
        }
        return s;
    }

    // Merges allOf members (following $refs) into one schema object.
    std::optional<json> flatten(const json &s, const std::string &path, int depth = 0)
    {
        const auto all = s.find("allOf");
        if (all == s.end() || !all->is_array()) {
            return s;
        }
        if (depth > 16) {
            fail(path, "allOf nested deeper than 16 levels");
            return std::nullopt;
        }
        json out = s;
        out.erase("allOf");
        for (const json &member : *all) {
            const json *m = follow(member, path);
            if (m == nullptr) {
                return std::nullopt;
            }
            if (m->is_boolean()) {
                if (!m->get<bool>()) {
                    fail(path, "allOf contains the schema false: no value is allowed");
                    return std::nullopt;
                }
                continue;
            }
            if (!m->is_object()) {
                continue;
            }
            auto fm = flatten(*m, path, depth + 1);
            if (!fm) {
                return std::nullopt;
            }
            std::string why;
            if (!mergeInto(out, *fm, why)) {
                fail(path, why);
                return std::nullopt;
            }
        }
        return out;
    }

    std::optional<json> gen(const json &schema, const std::string &path, const std::string &hint,
                            int depth)
    {
        if (--m_budget < 0) {
            fail(path, "gave up: the schema needs too many generation steps");
            return std::nullopt;
        }
        if (depth > kHardDepth) {
            fail(path, "the schema requires nesting deeper than " + std::to_string(kHardDepth) +
                           " levels (a recursive $ref without a way out?)");
            return std::nullopt;
        }
        const json *sp = follow(schema, path);
        if (sp == nullptr) {
            return std::nullopt;
        }
        const json &s = *sp;
        if (s.is_boolean() && !s.get<bool>()) {
            fail(path, "the schema is false: no value is allowed");
            return std::nullopt;
        }
        if (!s.is_object()) {
            return genMerged(json::object(), path, hint, depth);
        }
        const auto m = flatten(s, path);
        if (!m) {
            return std::nullopt;
        }
        const bool merged = s.contains("allOf");
        for (int attempt = 0; attempt < 3 && m_budget > 0; ++attempt) {
            auto v = genMerged(*m, path, hint, depth);
            if (v && (!merged || valid(s, *v))) {
                return v;
            }
            if (v) {
                fail(path, "could not satisfy all members of allOf at once");
            }
        }
        return std::nullopt;
    }

    static json without(const json &m, std::initializer_list<const char *> keys)
    {
        json out = m;
        for (const char *k : keys) {
            out.erase(k);
        }
        return out;
    }

    // `cand` := base ∧ branch; false when they cannot be combined.
    bool combine(json &cand, const json &branch, const std::string &path)
    {
        const json *b = follow(branch, path);
        if (b == nullptr || (b->is_boolean() && !b->get<bool>())) {
            return false;
        }
        if (!b->is_object()) {
            return true;
        }
        const auto fb = flatten(*b, path);
        std::string why;
        return fb && mergeInto(cand, *fb, why);
    }

    std::optional<json> genMerged(const json &m, const std::string &path, const std::string &hint,
                                  int depth)
    {
        if (const auto c = m.find("const"); c != m.end()) {
            if (valid(m, *c)) {
                return *c;
            }
            fail(path, "the const value " + c->dump() + " breaks the schema's other keywords");
            return std::nullopt;
        }
        if (const auto e = m.find("enum"); e != m.end() && e->is_array()) {
            std::vector<std::size_t> order(e->size());
            for (std::size_t i = 0; i < order.size(); ++i) {
                order[i] = i;
            }
            m_rng.shuffle(order);
            for (const std::size_t i : order) {
                if (valid(m, (*e)[i])) {
                    return (*e)[i];
                }
            }
            fail(path, e->empty() ? "enum is empty: no value is allowed"
                                  : "no enum value satisfies the schema's other keywords");
            return std::nullopt;
        }
        for (const char *key : {"anyOf", "oneOf"}) {
            const auto alts = m.find(key);
            if (alts == m.end() || !alts->is_array()) {
                continue;
            }
            const json base = without(m, {key});
            std::vector<std::size_t> order(alts->size());
            for (std::size_t i = 0; i < order.size(); ++i) {
                order[i] = i;
            }
            m_rng.shuffle(order);
            for (const std::size_t i : order) {
                json cand = base;
                if (!combine(cand, (*alts)[i], path)) {
                    continue;
                }
                auto v = genMerged(cand, path, hint, depth);
                if (v && valid(m, *v)) {
                    return v;
                }
            }
            fail(path, std::string("no alternative of ") + key + " could be satisfied" +
                           (std::string(key) == "oneOf" ? " by exactly one match" : ""));
            return std::nullopt;
        }
        if (m.contains("if")) {
            const json base = without(m, {"if", "then", "else"});
            json viaThen = base;
            json viaElse = base;
            const bool thenOk = combine(viaThen, m["if"], path) &&
                                (!m.contains("then") || combine(viaThen, m["then"], path));
            const bool elseOk = !m.contains("else") || combine(viaElse, m["else"], path);
            std::vector<const json *> order;
            if (thenOk) {
                order.push_back(&viaThen);
            }
            order.push_back(elseOk ? &viaElse : &base);
            if (order.size() == 2 && m_rng.chance(0.5)) {
                std::swap(order[0], order[1]);
            }
            for (const json *cand : order) {
                auto v = genMerged(*cand, path, hint, depth);
                if (v && valid(m, *v)) {
                    return v;
                }
            }
            fail(path, "could not satisfy if/then/else");
            return std::nullopt;
        }
        if (m.contains("not")) {
            const json base = without(m, {"not"});
            std::vector<unsigned> types = {StringBit, IntegerBit, NumberBit, BooleanBit,
                                           ObjectBit, ArrayBit,   NullBit};
            m_rng.shuffle(types);
            if (auto v = genMerged(base, path, hint, depth); v && valid(m, *v)) {
                return v;
            }
            for (const unsigned t : types) {
                json cand = base;
                std::string why;
                if (!mergeInto(
                        cand, json{{"type", typeJson(t == NumberBit ? NumberBit | IntegerBit : t)}},
                        why)) {
                    continue;
                }
                auto v = genMerged(cand, path, hint, depth);
                if (v && valid(m, *v)) {
                    return v;
                }
            }
            fail(path, "every value tried matches the schema under 'not'");
            return std::nullopt;
        }
        const unsigned bits = typeBitsOf(m);
        if (bits == 0) {
            fail(path, "the schema allows no known type");
            return std::nullopt;
        }
        for (const unsigned t : typeOrder(m, bits, hint)) {
            auto v = genTyped(m, t, path, hint, depth);
            if (v && valid(m, *v)) {
                return v;
            }
        }
        fail(path, "no value of type " + typeNames(bits) + " satisfies the schema");
        return std::nullopt;
    }

    std::vector<unsigned> typeOrder(const json &m, unsigned bits, const std::string &hint)
    {
        auto any = [&](std::initializer_list<const char *> keys) {
            return std::any_of(keys.begin(), keys.end(),
                               [&](const char *k) { return m.contains(k); });
        };
        std::vector<unsigned> preferred;
        auto prefer = [&](unsigned t) {
            if ((bits & t) != 0 &&
                std::find(preferred.begin(), preferred.end(), t) == preferred.end()) {
                preferred.push_back(t);
            }
        };
        if (any({"properties", "required", "additionalProperties", "patternProperties",
                 "minProperties", "maxProperties", "dependencies", "propertyNames"})) {
            prefer(ObjectBit);
        }
        if (any({"items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"})) {
            prefer(ArrayBit);
        }
        if (any({"minLength", "maxLength", "pattern", "format"})) {
            prefer(StringBit);
        }
        if (any({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})) {
            prefer((bits & NumberBit) != 0 ? NumberBit : IntegerBit);
            prefer(IntegerBit);
        }
        if (numericHinted(hint)) {
            prefer((bits & NumberBit) != 0 ? NumberBit : IntegerBit);
        }
        if (booleanHinted(hint)) {
            prefer(BooleanBit);
        }
        // Without other clues: text first, then the rest of the allowed types at random
        // (null last: it says little).
        std::vector<unsigned> rest = {StringBit,  IntegerBit, NumberBit,
                                      BooleanBit, ObjectBit,  ArrayBit};
        m_rng.shuffle(rest);
        if (!m.contains("type")) {
            prefer(StringBit);
        }
        for (const unsigned t : rest) {
            prefer(t);
        }
        prefer(NullBit);
        // A nullable type ("type": ["string", "null"]) is sometimes null, as real answers are.
        if (m.contains("type") && (bits & NullBit) != 0 && preferred.size() > 1 &&
            m_rng.chance(0.2)) {
            std::rotate(preferred.begin(), preferred.end() - 1, preferred.end());
        }
        return preferred;
    }

    std::optional<json> genTyped(const json &m, unsigned type, const std::string &path,
                                 const std::string &hint, int depth)
    {
        switch (type) {
        case NullBit:
            return json(nullptr);
        case BooleanBit:
            return json(m_rng.chance(0.5));
        case IntegerBit:
            return genNumber(m, true, path, hint);
        case NumberBit:
            return genNumber(m, false, path, hint);
        case StringBit:
            return genString(m, path, hint);
        case ArrayBit:
            return genArray(m, path, hint, depth);
        case ObjectBit:
            return genObject(m, path, depth);
        default:
            return std::nullopt;
        }
    }

    static json numberJson(double v, bool integer)
    {
        if ((integer || std::floor(v) == v) && std::fabs(v) < 9.0e15) {
            return json(static_cast<std::int64_t>(v));
        }
        return json(v);
    }

    std::optional<json> genNumber(const json &m, bool integer, const std::string &path,
                                  const std::string &hint)
    {
        constexpr double inf = std::numeric_limits<double>::infinity();
        double lo = -inf;
        double hi = inf;
        bool loEx = false;
        bool hiEx = false;
        if (const auto v = numberKeyword(m, "minimum")) {
            lo = *v;
        }
        if (const auto v = numberKeyword(m, "exclusiveMinimum"); v && *v >= lo) {
            lo = *v;
            loEx = true;
        }
        if (const auto v = numberKeyword(m, "maximum")) {
            hi = *v;
        }
        if (const auto v = numberKeyword(m, "exclusiveMaximum"); v && *v <= hi) {
            hi = *v;
            hiEx = true;
        }
        if (lo > hi || (lo == hi && (loEx || hiEx))) {
            fail(path, "the lower bound " + json(lo).dump() + " is not below the upper bound " +
                           json(hi).dump());
            return std::nullopt;
        }
        const NumericHint h = numericHint(hint, integer);
        // A window inside the bounds, near the hint's range.
        double wlo = std::max(lo, h.lo);
        double whi = std::min(hi, h.hi);
        if (wlo > whi) {
            const double span = std::max(10.0, h.hi - h.lo);
            if (lo > h.hi) {
                wlo = lo;
                whi = std::min(hi, lo + span);
            } else {
                whi = hi;
                wlo = std::max(lo, hi - span);
            }
        }
        auto inside = [&](double v) {
            return std::isfinite(v) && (loEx ? v > lo : v >= lo) && (hiEx ? v < hi : v <= hi);
        };
        const auto multiple = numberKeyword(m, "multipleOf");
        if (multiple && *multiple > 0) {
            const double d = *multiple;
            const int dec = decimalsOf(d);
            for (const auto &[a, b] : {std::pair{wlo, whi}, std::pair{lo, hi}}) {
                double kLo = std::ceil(std::max(a, -1e300) / d);
                double kHi = std::floor(std::min(b, 1e300) / d);
                if (!inside(kLo * d)) {
                    kLo += 1;
                }
                if (!inside(kHi * d)) {
                    kHi -= 1;
                }
                if (kLo > kHi) {
                    continue;
                }
                for (int t = 0; t < 64; ++t) {
                    const double k =
                        t == 63 ? (kLo <= 0 && kHi >= 0 ? 0 : kLo)
                                : kLo + std::floor(m_rng.unit() * std::min(kHi - kLo + 1, 1e15));
                    const double v = roundTo(k * d, dec);
                    if (inside(v) && (!integer || std::floor(v) == v)) {
                        return numberJson(v, integer);
                    }
                }
            }
            fail(path, "no " + std::string(integer ? "integer" : "number") + " multiple of " +
                           json(d).dump() + " lies within the bounds");
            return std::nullopt;
        }
        if (integer) {
            for (const auto &[a, b] : {std::pair{wlo, whi}, std::pair{lo, hi}}) {
                double ia = std::ceil(std::max(a, -9.0e15));
                double ib = std::floor(std::min(b, 9.0e15));
                if (!inside(ia)) {
                    ia += 1;
                }
                if (!inside(ib)) {
                    ib -= 1;
                }
                if (ia <= ib) {
                    const double v = ia + std::floor(m_rng.unit() * (ib - ia + 1));
                    return numberJson(std::min(v, ib), true);
                }
            }
            fail(path, "no integer lies within the bounds");
            return std::nullopt;
        }
        const double raw = wlo + m_rng.unit() * (whi - wlo);
        double v = roundTo(raw, h.decimals);
        if (!inside(v)) {
            v = raw;
        }
        if (!inside(v)) {
            v = wlo + (whi - wlo) / 2;
        }
        if (!inside(v) && std::isfinite(lo) && std::isfinite(hi)) {
            v = lo + (hi - lo) / 2;
        }
        if (!inside(v)) {
            fail(path, "no number lies within the bounds");
            return std::nullopt;
        }
        return numberJson(v, false);
    }

    std::string formatted(const std::string &format)
    {
        if (format == "date-time") {
            return m_prose.text(TextKind::DateTime);
        }
        if (format == "date") {
            return m_prose.text(TextKind::Date);
        }
        if (format == "time") {
            return Prose::twoDigits(8 + m_rng.below(10)) + ":" +
                   Prose::twoDigits(m_rng.below(4) * 15) + ":00Z";
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

    std::optional<json> genString(const json &m, const std::string &path, const std::string &hint)
    {
        const std::size_t minL = countKeyword(m, "minLength").value_or(0);
        const std::size_t maxL = countKeyword(m, "maxLength").value_or(kNoLimit);
        if (minL > maxL) {
            fail(path, "minLength " + std::to_string(minL) + " is greater than maxLength " +
                           std::to_string(maxL));
            return std::nullopt;
        }
        if (const auto p = m.find("pattern"); p != m.end() && p->is_string()) {
            // The validator skips patterns it cannot match in linear time, and so do we.
            if (const EcmaRegex re(p->get<std::string>()); re.ok()) {
                return genPattern(p->get<std::string>(), re, minL, maxL, path, hint);
            }
        }
        const TextKind kind = textKind(hint);
        std::string text = formatted(m.value("format", std::string()));
        if (text.empty()) {
            text = m_prose.text(kind);
        }
        return json(fit(std::move(text), minL, maxL, kind));
    }

    std::string fit(std::string text, std::size_t minL, std::size_t maxL, TextKind kind)
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

    std::optional<json> genPattern(const std::string &pattern, const EcmaRegex &re,
                                   std::size_t minL, std::size_t maxL, const std::string &path,
                                   const std::string &hint)
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
                for (int i = 0;
                     codePoints(s) < minL && i < 1000 && (!anchoredEnd || !anchoredStart); ++i) {
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
        fail(path, "cannot generate a string matching the pattern '" + pattern + "'" +
                       (tree ? std::string(" within the length limits")
                             : " (the sampler does not generate " + error + ")"));
        return std::nullopt;
    }

    std::optional<json> genArray(const json &m, const std::string &path, const std::string &hint,
                                 int depth)
    {
        const std::size_t minI = countKeyword(m, "minItems").value_or(0);
        std::size_t maxI = countKeyword(m, "maxItems").value_or(kNoLimit);
        const auto items = m.find("items");
        const bool tuple = items != m.end() && items->is_array();
        const json itemSchema = (items != m.end() && !tuple) ? *items : json(true);
        const json additional = m.value("additionalItems", json(true));
        if (tuple && additional.is_boolean() && !additional.get<bool>()) {
            maxI = std::min(maxI, items->size());
        }
        if (minI > maxI) {
            fail(path, "minItems " + std::to_string(minI) + " exceeds the " + std::to_string(maxI) +
                           " items allowed");
            return std::nullopt;
        }
        const bool deep = depth >= m_impl.options.maxDepth;
        std::size_t n = 0;
        if (tuple) {
            n = std::clamp(items->size(), minI, maxI);
        } else {
            const std::size_t lo = deep ? minI : std::max(minI, std::min<std::size_t>(2, maxI));
            const std::size_t hi = std::min(
                maxI, std::max(lo, static_cast<std::size_t>(std::max(1, m_impl.options.maxItems))));
            n = deep ? lo : m_rng.between(lo, std::max(lo, hi));
        }
        const auto contains = m.find("contains");
        if (contains != m.end() && n == 0) {
            if (maxI == 0) {
                fail(path, "'contains' needs an item but maxItems is 0");
                return std::nullopt;
            }
            n = 1;
        }
        const bool unique = m.value("uniqueItems", false);
        json arr = json::array();
        for (std::size_t i = 0; i < n; ++i) {
            json sch = tuple ? (i < items->size() ? (*items)[i] : additional) : itemSchema;
            if (i == 0 && contains != m.end()) {
                sch = allOfPair(sch, *contains);
            }
            const std::string itemPath = path + '/' + std::to_string(i);
            std::optional<json> value;
            for (int t = 0; t < 8 && m_budget > 0; ++t) {
                auto v = gen(sch, itemPath, hint, depth + 1);
                if (!v) {
                    break;
                }
                if (unique && std::find(arr.begin(), arr.end(), *v) != arr.end()) {
                    continue;
                }
                value = std::move(v);
                break;
            }
            if (!value) {
                if (i >= minI && i > 0) {
                    break; // optional items: a shorter array is fine
                }
                if (i >= minI && contains == m.end()) {
                    break;
                }
                if (unique) {
                    fail(path, "could not find " + std::to_string(std::max(minI, i + 1)) +
                                   " distinct items (uniqueItems)");
                }
                return std::nullopt;
            }
            arr.push_back(std::move(*value));
        }
        return arr;
    }

    static std::vector<std::pair<std::shared_ptr<const EcmaRegex>, const json *>>
    patternProperties(const json &m)
    {
        std::vector<std::pair<std::shared_ptr<const EcmaRegex>, const json *>> out;
        const auto pp = m.find("patternProperties");
        if (pp == m.end() || !pp->is_object()) {
            return out;
        }
        for (const auto &[source, schema] : pp->items()) {
            auto re = std::make_shared<const EcmaRegex>(source);
            if (re->ok())
                out.emplace_back(std::move(re), &schema);
        }
        return out;
    }

    std::optional<json> genObject(const json &m, const std::string &path, int depth)
    {
        const json props = m.value("properties", json::object());
        const auto pps = patternProperties(m);
        const json additional = m.value("additionalProperties", json(true));
        const std::size_t minP = countKeyword(m, "minProperties").value_or(0);
        const std::size_t maxP = countKeyword(m, "maxProperties").value_or(kNoLimit);
        const bool deep = depth >= m_impl.options.maxDepth;

        std::vector<std::string> names;
        std::set<std::string> mandatory;
        auto add = [&](const std::string &name, bool required) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(name);
            }
            if (required) {
                mandatory.insert(name);
            }
        };
        if (const auto req = m.find("required"); req != m.end() && req->is_array()) {
            for (const json &name : *req) {
                if (name.is_string()) {
                    add(name.get<std::string>(), true);
                }
            }
        }
        std::vector<std::string> optional;
        if (props.is_object()) {
            for (const auto &[name, schema] : props.items()) {
                if (mandatory.count(name) == 0 && !(schema.is_boolean() && !schema.get<bool>())) {
                    optional.push_back(name);
                }
            }
        }
        m_rng.shuffle(optional);
        std::vector<std::string> spare;
        for (const std::string &name : optional) {
            if (!deep && names.size() < maxP && m_rng.chance(0.6)) {
                add(name, false);
            } else {
                spare.push_back(name);
            }
        }
        // Property dependencies pull further names in.
        if (const auto deps = m.find("dependencies"); deps != m.end() && deps->is_object()) {
            for (std::size_t i = 0; i < names.size(); ++i) {
                const auto d = deps->find(names[i]);
                if (d == deps->end()) {
                    continue;
                }
                const json *needed = d->is_array() ? &*d : nullptr;
                if (d->is_object() && d->contains("required")) {
                    needed = &(*d)["required"];
                }
                if (needed != nullptr && needed->is_array()) {
                    for (const json &other : *needed) {
                        if (other.is_string()) {
                            add(other.get<std::string>(), mandatory.count(names[i]) != 0);
                        }
                    }
                }
            }
        }
        if (mandatory.size() > maxP) {
            fail(path, std::to_string(mandatory.size()) +
                           " required properties exceed maxProperties " + std::to_string(maxP));
            return std::nullopt;
        }
        while (names.size() > maxP) {
            const auto it = std::find_if(names.rbegin(), names.rend(), [&](const std::string &n) {
                return mandatory.count(n) == 0;
            });
            names.erase(std::next(it).base());
        }
        const json *propertyNames = m.contains("propertyNames") ? &m["propertyNames"] : nullptr;
        auto schemaFor = [&](const std::string &name) -> json {
            std::vector<json> parts;
            if (props.is_object() && props.contains(name)) {
                parts.push_back(props[name]);
            }
            for (const auto &[re, schema] : pps) {
                if (re->search(name)) {
                    parts.push_back(*schema);
                }
            }
            if (parts.empty()) {
                return additional;
            }
            if (parts.size() == 1) {
                return parts.front();
            }
            return json{{"allOf", parts}};
        };
        // minProperties: first the declared properties, then invented names.
        for (int tries = 0; names.size() < minP && tries < 50; ++tries) {
            if (!spare.empty()) {
                add(spare.back(), true);
                spare.pop_back();
                continue;
            }
            std::string name;
            if (propertyNames != nullptr) {
                const auto v = gen(*propertyNames, path + "/propertyNames", "key", depth + 1);
                if (!v || !v->is_string()) {
                    continue;
                }
                name = v->get<std::string>();
            } else {
                name =
                    Prose::slug(m_prose.topic()) + (tries == 0 ? "" : "_" + std::to_string(tries));
            }
            const json sch = schemaFor(name);
            if (std::find(names.begin(), names.end(), name) == names.end() &&
                !(sch.is_boolean() && !sch.get<bool>())) {
                add(name, true);
            }
        }
        if (names.size() < minP) {
            fail(path, "could not find " + std::to_string(minP) +
                           " allowed property names (minProperties)");
            return std::nullopt;
        }
        json obj = json::object();
        for (const std::string &name : names) {
            const json sch = schemaFor(name);
            const bool required = mandatory.count(name) != 0;
            if (propertyNames != nullptr && !valid(*propertyNames, json(name))) {
                if (required) {
                    fail(path, "required property '" + name + "' is not allowed by propertyNames");
                    return std::nullopt;
                }
                continue;
            }
            if (sch.is_boolean() && !sch.get<bool>()) {
                if (required) {
                    fail(path + '/' + name,
                         "the property is required but its schema forbids any value");
                    return std::nullopt;
                }
                continue;
            }
            auto v = gen(sch, path + '/' + name, name, depth + 1);
            if (!v) {
                if (required) {
                    return std::nullopt;
                }
                continue;
            }
            obj[name] = std::move(*v);
        }
        return obj;
    }

    const SchemaSampler::Impl &m_impl;
    Rng m_rng;
    Prose m_prose;
    std::string m_failure;
    int m_budget = kBudgetPerAttempt;
};

// Topic phrases for the text: adjacent content-word pairs of the topic ("shift scheduling")
// read better than single words, so they come first, then the single words.
std::vector<std::string> topicWordList(const QString &topic)
{
    const QStringList words = SchemaSampler::topicWords(topic, 64);
    const std::set<QString> content(words.begin(), words.end());
    std::vector<std::string> out;
    QString previous;
    QString word;
    bool adjacent = false; // only spaces since the previous word
    auto flush = [&] {
        const QString w = word.toLower();
        if (adjacent && content.count(previous) != 0 && content.count(w) != 0 && previous != w) {
            const std::string pair = QString(previous + QLatin1Char(' ') + w).toStdString();
            if (std::find(out.begin(), out.end(), pair) == out.end() && out.size() < 6) {
                out.push_back(pair);
            }
        }
        previous = w;
        word.clear();
        adjacent = true;
    };
    for (const QChar c : topic) {
        if (c.isLetter()) {
            word += c;
            continue;
        }
        if (!word.isEmpty()) {
            flush();
        }
        if (c != QLatin1Char(' ')) {
            adjacent = false;
        }
    }
    if (!word.isEmpty()) {
        flush();
    }
    for (qsizetype i = 0; i < words.size() && i < 16; ++i) {
        out.push_back(words[i].toStdString());
    }
    return out;
}

} // namespace

SchemaSampler::SchemaSampler(nlohmann::json schema)
    : SchemaSampler(std::move(schema), Options())
{
}

SchemaSampler::SchemaSampler(nlohmann::json schema, Options options)
    : m_impl(std::make_shared<Impl>(std::move(schema), options))
{
}

const nlohmann::json &SchemaSampler::schema() const
{
    return m_impl->root;
}

SampleResult SchemaSampler::sample(quint64 seed, const QString &topic) const
{
    SampleResult result;
    for (const std::string &problem : m_impl->validator.schemaProblems()) {
        if (problem.find("$ref") != std::string::npos) {
            result.error = QStringLiteral("unsupported schema: ") + QString::fromStdString(problem);
            return result;
        }
    }
    const std::vector<std::string> words = topicWordList(topic);
    const std::string topicUtf8 = topic.toStdString();
    const std::uint64_t base =
        hashText(m_impl->rootDump, seed) ^ (hashText(topicUtf8, 0x5EED) * 0x9E3779B97F4A7C15ULL);
    std::string lastError;
    const int attempts = std::max(1, m_impl->options.maxAttempts);
    for (int attempt = 0; attempt < attempts; ++attempt) {
        Generator generator(
            *m_impl, base + static_cast<std::uint64_t>(attempt) * 0xD1B54A32D192ED03ULL, words);
        auto value = generator.run();
        result.attempts = attempt + 1;
        if (value) {
            const auto errors = m_impl->validator.validate(*value, 5);
            if (errors.empty()) {
                result.value = std::move(*value);
                return result;
            }
            if (lastError.empty()) {
                lastError = "the generated value failed validation:\n" +
                            JsonSchemaValidator::formatErrors(errors, 3);
            }
        } else if (lastError.empty()) {
            lastError = generator.failure();
        }
    }
    result.error =
        QStringLiteral("cannot generate a value for the schema after %1 attempts: %2")
            .arg(result.attempts)
            .arg(QString::fromStdString(lastError.empty() ? "unknown reason" : lastError));
    return result;
}

QString SchemaSampler::prose(quint64 seed, const QString &topic, const QString &hint, int sentences)
{
    const std::vector<std::string> words = topicWordList(topic);
    Rng rng(hashText(topic.toStdString(), seed) ^ hashText(hint.toStdString()));
    Prose prose(rng, words);
    const TextKind kind = textKind(hint.toStdString());
    std::string out;
    for (int i = 0; i < std::max(1, sentences); ++i) {
        std::string s = i == 0 && (kind == TextKind::Statement || kind == TextKind::Sentence)
                            ? prose.statementSentence()
                            : prose.sentence(kind);
        // Avoid repeating a sentence verbatim.
        for (int t = 0; t < 4 && out.find(s) != std::string::npos; ++t) {
            s = prose.sentence(kind);
        }
        out += (out.empty() ? "" : " ") + s;
    }
    return QString::fromStdString(out);
}

QStringList SchemaSampler::topicWords(const QString &text, int limit)
{
    static const std::set<QString> stop = [] {
        std::set<QString> s;
        for (const char *w :
             {"about",        "above",       "after",       "again",      "against",
              "also",         "although",    "among",       "answer",     "array",
              "arrays",       "based",       "because",     "been",       "before",
              "being",        "below",       "between",     "both",       "boolean",
              "cannot",       "case",        "cases",       "clear",      "could",
              "create",       "does",        "doing",       "down",       "during",
              "each",         "either",      "else",        "ensure",     "enum",
              "every",        "example",     "false",       "field",      "fields",
              "following",    "format",      "from",        "further",    "generate",
              "given",        "have",        "having",      "here",       "include",
              "includes",     "including",   "information", "integer",    "into",
              "itself",       "json",        "just",        "keep",       "like",
              "list",         "make",        "many",        "maximum",    "minimum",
              "more",         "most",        "must",        "need",       "needs",
              "null",         "number",      "object",      "only",       "optional",
              "other",        "output",      "over",        "pattern",    "please",
              "previous",     "prompt",      "properties",  "property",   "provide",
              "required",     "response",    "return",      "same",       "schema",
              "should",       "show",        "some",        "string",     "such",
              "than",         "that",        "their",       "them",       "then",
              "there",        "these",       "they",        "this",       "those",
              "through",      "title",       "true",        "type",       "under",
              "until",        "upon",        "using",       "valid",      "value",
              "values",       "very",        "want",        "were",       "what",
              "when",         "where",       "which",       "while",      "with",
              "within",       "without",     "would",       "write",      "your",
              "yours",        "description", "items",       "additional", "additionalproperties",
              "minitems",     "maxitems",    "minlength",   "maxlength",  "text",
              "exactly",      "will",        "contain",     "containing", "contains",
              "problem",      "problems",    "variation",   "variations", "statement",
              "constraints",  "constraint",  "criteria",    "criterion",  "success",
              "complexity",   "level",       "domain",      "expert",     "designer",
              "specializing", "full",        "sample",      "data",       "diverse",
              "varied",       "nature",      "relevant",    "structure",  "each",
              "defs",         "definitions", "invalid",     "corrected",  "errors",
              "error",        "validator",   "only",        "simple",     "medium",
              "complex",      "seed",        "seeds",       "count",      "message",
              "system",       "assistant",   "user",        "model",      "simulated",
              "request",      "requests",    "task"}) {
            s.insert(QString::fromLatin1(w));
        }
        return s;
    }();
    std::map<QString, std::pair<int, int>> counts; // word -> (count, first position)
    QString word;
    int position = 0;
    auto flush = [&] {
        if (word.size() >= 4 && word.size() <= 24 && stop.count(word) == 0) {
            auto [it, inserted] = counts.emplace(word, std::make_pair(0, position));
            ++it->second.first;
        }
        word.clear();
        ++position;
    };
    for (const QChar c : text) {
        if (c.isLetter()) {
            word += c.toLower();
        } else if (!word.isEmpty()) {
            flush();
        }
    }
    if (!word.isEmpty()) {
        flush();
    }
    std::vector<std::pair<QString, std::pair<int, int>>> ranked(counts.begin(), counts.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.second.first != b.second.first ? a.second.first > b.second.first
                                                : a.second.second < b.second.second;
    });
    QStringList out;
    for (const auto &[w, stats] : ranked) {
        if (out.size() >= limit) {
            break;
        }
        out.append(w);
    }
    return out;
}

} // namespace crucible
