#include "core/llm/structured/jsonextractor.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace crucible {

namespace {

using nlohmann::json;
using Expect = JsonExtractor::Expect;
using Status = JsonExtractor::Status;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct LineColumn
{
    int line = 1;
    int column = 1;
};

LineColumn lineColumn(std::string_view text, std::size_t offset)
{
    LineColumn lc;
    const std::size_t end = std::min(offset, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++lc.line;
            lc.column = 1;
        } else {
            ++lc.column;
        }
    }
    return lc;
}

std::string where(std::string_view text, std::size_t offset)
{
    const LineColumn lc = lineColumn(text, offset);
    return std::to_string(lc.line) + ':' + std::to_string(lc.column);
}

bool matches(const json &value, Expect expect)
{
    switch (expect) {
    case Expect::Any:
        return true;
    case Expect::Object:
        return value.is_object();
    case Expect::Array:
        return value.is_array();
    }
    return false;
}

// Strips nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix;
// positions are reported relative to the whole answer instead.
std::string parserReason(const json::parse_error &error)
{
    std::string text = error.what();
    const auto at = text.find("parse error");
    if (at != std::string::npos) {
        const auto colon = text.find(": ", at);
        if (colon != std::string::npos) {
            text.erase(0, colon + 2);
        }
    }
    return text;
}

struct Problem
{
    std::size_t offset = 0;
    std::string message;
    char opener = 0; // '{' or '[' of the value the problem belongs to, if known
};

struct Parsed
{
    json value;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<std::string> fixes;
};

// Tracks whether a left-to-right scan is inside a JSON string literal, honouring escapes.
struct StringState
{
    bool inString = false;
    bool escaped = false;

    // Feeds one byte seen while inString; returns true when it is the closing quote.
    bool closes(char c)
    {
        if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
            return true;
        }
        return false;
    }
};

// Copies [begin, end) without commas that directly precede '}' or ']' (outside strings).
// `origin` maps each kept byte back to its offset in the answer.
bool removeTrailingCommas(std::string_view text, std::size_t begin, std::size_t end,
                          std::string &out, std::vector<std::size_t> &origin,
                          std::vector<std::size_t> &removed)
{
    out.clear();
    origin.clear();
    StringState str;
    char lastSignificant = 0;
    for (std::size_t i = begin; i < end; ++i) {
        const char c = text[i];
        if (str.inString) {
            if (str.closes(c))
                lastSignificant = c;
        } else if (c == '"') {
            str.inString = true;
        } else if (c == ',') {
            std::size_t j = i + 1;
            while (j < end && isSpace(text[j])) {
                ++j;
            }
            const bool closes = j < end && (text[j] == '}' || text[j] == ']');
            // Only after a complete value, so "[,]" or "{,}" stay malformed.
            const bool afterValue = lastSignificant == '"' || lastSignificant == '}' ||
                                    lastSignificant == ']' || lastSignificant == 'e' ||
                                    lastSignificant == 'l' ||
                                    (lastSignificant >= '0' && lastSignificant <= '9');
            if (closes && afterValue) {
                removed.push_back(i);
                continue;
            }
            lastSignificant = c;
        } else if (!isSpace(c)) {
            lastSignificant = c;
        }
        out.push_back(c);
        origin.push_back(i);
    }
    return !removed.empty();
}

enum class Outcome { Matched, Parsed, Failed };

class Search
{
public:
    Search(std::string_view text, Expect expect)
        : m_text(text)
        , m_expect(expect)
    {
    }

    // Parses [begin, end) as one JSON text, with the trailing-comma repair as a fallback.
    // Matched ends the search (a candidate of the expected type was found).
    Outcome tryParse(std::size_t begin, std::size_t end)
    {
        try {
            return parseSpan(begin, end);
        } catch (const json::out_of_range &) {
            // nlohmann throws out_of_range, not parse_error, for a number beyond a double
            // (e.g. 2e999): the span is not usable JSON (found by fuzzing).
            if (!m_malformed) {
                m_malformed = Problem{begin, "a number too large for a double", m_text[begin]};
            }
            return Outcome::Failed;
        }
    }

    Outcome parseSpan(std::size_t begin, std::size_t end)
    {
        const std::string_view view = m_text.substr(begin, end - begin);
        try {
            return accept(json::parse(view), begin, end, {});
        } catch (const json::parse_error &error) {
            std::string fixed;
            std::vector<std::size_t> origin;
            std::vector<std::size_t> removed;
            if (removeTrailingCommas(m_text, begin, end, fixed, origin, removed)) {
                try {
                    std::vector<std::string> fixes;
                    for (const std::size_t at : removed) {
                        fixes.push_back("removed trailing comma at " + where(m_text, at));
                    }
                    return accept(json::parse(fixed), begin, end, std::move(fixes));
                } catch (const json::parse_error &fixedError) {
                    record(fixedError, begin, [&](std::size_t pos) {
                        return pos < origin.size() ? origin[pos] : end;
                    });
                    return Outcome::Failed;
                }
            }
            record(error, begin,
                   [&](std::size_t pos) { return begin + std::min(pos, view.size()); });
            return Outcome::Failed;
        }
    }

    // Scans [begin, end) for '{' / '[' starts and parses each balanced span. Returns true when
    // the search is over. `regionIsText`: the region ends where the answer ends (truncation).
    bool scan(std::size_t begin, std::size_t end, bool regionIsText,
              const std::vector<std::pair<std::size_t, std::size_t>> &skip)
    {
        std::size_t i = begin;
        while (i < end) {
            const char c = m_text[i];
            if (c != '{' && c != '[') {
                ++i;
                continue;
            }
            bool skipped = false;
            for (const auto &[from, to] : skip) {
                if (i >= from && i < to) {
                    i = to;
                    skipped = true;
                    break;
                }
            }
            if (skipped) {
                continue;
            }
            if (!plausibleStart(i, end)) {
                ++i;
                continue;
            }
            std::size_t next = i + 1;
            if (scanOne(i, end, regionIsText, next)) {
                return true;
            }
            if (next == std::string_view::npos) {
                return false; // unterminated: everything after it belongs to that value
            }
            i = next;
        }
        return false;
    }

    // Parses only the value starting at `start`.
    bool scanAt(std::size_t start, std::size_t end, bool regionIsText)
    {
        // scanOne() needs an opening bracket at `start` (a fence opened mid-line and followed by
        // a line break may hold anything).
        if (start >= end || (m_text[start] != '{' && m_text[start] != '[')) {
            return false;
        }
        std::size_t next = start + 1;
        return scanOne(start, end, regionIsText, next);
    }

    std::optional<Parsed> m_match;    // first candidate of the expected type
    std::optional<Parsed> m_fallback; // first candidate of any type
    std::optional<Problem> m_truncated;
    std::optional<Problem> m_malformed;
    std::optional<Problem> m_endOfInput;

private:
    template <typename Map>
    void record(const json::parse_error &error, std::size_t begin, Map toOffset)
    {
        const std::size_t pos = error.byte > 0 ? error.byte - 1 : 0;
        Problem problem{toOffset(pos), parserReason(error), m_text[begin]};
        // "Unexpected end of input" means unbalanced brackets or an open string; the bracket
        // scan that follows says precisely which (truncated answer or unclosed fence).
        const bool endOfInput = problem.message.find("end of input") != std::string::npos;
        std::optional<Problem> &slot = endOfInput ? m_endOfInput : m_malformed;
        if (!slot) {
            slot = std::move(problem);
        }
    }

    Outcome accept(json value, std::size_t begin, std::size_t end, std::vector<std::string> fixes)
    {
        // Report the span without surrounding whitespace.
        while (begin < end && isSpace(m_text[begin])) {
            ++begin;
        }
        while (end > begin && isSpace(m_text[end - 1])) {
            --end;
        }
        const bool preferred = matches(value, m_expect);
        Parsed parsed{std::move(value), begin, end, std::move(fixes)};
        if (preferred) {
            m_match = std::move(parsed);
            return Outcome::Matched;
        }
        if (!m_fallback) {
            m_fallback = std::move(parsed);
        }
        return Outcome::Parsed;
    }

    // Cheap filter so prose such as "{name}" or "[1]" footnote links are not taken as JSON
    // starts: an object must continue with a key or '}', an array with a value or ']'.
    bool plausibleStart(std::size_t at, std::size_t end) const
    {
        std::size_t j = at + 1;
        while (j < end && isSpace(m_text[j])) {
            ++j;
        }
        if (j == end) {
            return true; // cut off right after the bracket
        }
        const char c = m_text[j];
        if (m_text[at] == '{') {
            return c == '"' || c == '}' || c == '\'';
        }
        if (c == '"' || c == '{' || c == '[' || c == ']' || c == '-' || c == '\'' ||
            (c >= '0' && c <= '9')) {
            return true;
        }
        for (const std::string_view literal : {"true", "false", "null"}) {
            const std::string_view rest = m_text.substr(j, std::min(literal.size(), end - j));
            if (literal.substr(0, rest.size()) == rest) {
                return true;
            }
        }
        return false;
    }

    // Finds the span of the value starting at `start`, then parses it. `next` receives where
    // scanning continues, or npos after an unterminated value.
    bool scanOne(std::size_t start, std::size_t end, bool regionIsText, std::size_t &next)
    {
        std::string stack;
        StringState str;
        std::size_t stringStart = 0;
        for (std::size_t i = start; i < end; ++i) {
            const char c = m_text[i];
            if (str.inString) {
                str.closes(c);
                continue;
            }
            switch (c) {
            case '"':
                str.inString = true;
                stringStart = i;
                break;
            case '{':
            case '[':
                stack.push_back(c);
                break;
            case '}':
            case ']': {
                const char open = c == '}' ? '{' : '[';
                if (stack.back() != open) {
                    if (!m_malformed) {
                        m_malformed =
                            Problem{i,
                                    std::string("unexpected '") + c +
                                        "': the innermost open bracket is '" + stack.back() + "'",
                                    m_text[start]};
                    }
                    next = i + 1;
                    return false;
                }
                stack.pop_back();
                if (stack.empty()) {
                    next = i + 1;
                    return tryParse(start, i + 1) == Outcome::Matched;
                }
                break;
            }
            default:
                break;
            }
        }
        next = std::string_view::npos;
        std::string message;
        if (str.inString) {
            message =
                "the text ends inside the string that starts at " + where(m_text, stringStart);
        } else {
            message = std::to_string(stack.size()) + " bracket(s) still open at the end of the " +
                      (regionIsText ? "text" : "code fence");
        }
        message += " (value starts at " + where(m_text, start) + ")";
        if (regionIsText) {
            if (!m_truncated) {
                m_truncated = Problem{end, "JSON is truncated: " + message, m_text[start]};
            }
        } else if (!m_malformed) {
            m_malformed =
                Problem{end, "JSON is not closed before the end of its code fence: " + message,
                        m_text[start]};
        }
        return false;
    }

    std::string_view m_text;
    Expect m_expect;
};

struct Fence
{
    std::size_t contentBegin = 0;
    std::size_t contentEnd = 0;
    std::size_t fenceEnd = 0; // after the closing backticks (== text size when unclosed)
    bool closed = false;
    bool inlineOpen = false; // opened mid-line: only a value right at contentBegin counts
};

bool atLineStart(std::string_view text, std::size_t at)
{
    while (at > 0) {
        const char c = text[at - 1];
        if (c == '\n' || c == '\r') {
            return true;
        }
        if (c != ' ' && c != '\t') {
            return false;
        }
        --at;
    }
    return true;
}

// Markdown code fences of three or more backticks or tildes. The opening may sit mid-line; the
// closing must start a line, since fence markers can legitimately appear inside JSON strings.
std::vector<Fence> findFences(std::string_view text)
{
    std::vector<Fence> fences;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find_first_of("`~", i);
        if (open == std::string_view::npos) {
            break;
        }
        const char mark = text[open];
        std::size_t run = open;
        while (run < text.size() && text[run] == mark) {
            ++run;
        }
        const std::size_t width = run - open;
        // A fence that opens mid-line (``` json {...}```) must follow whitespace and be followed
        // directly by the JSON; otherwise backticks inside JSON strings would open fences.
        const bool lineStart = atLineStart(text, open);
        if (width < 3 ||
            (!lineStart && (mark == '~' || (text[open - 1] != ' ' && text[open - 1] != '\t')))) {
            i = run;
            continue;
        }
        // Info string: a language word such as json, JSON, jsonc or none.
        std::size_t content = run;
        while (content < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[content])) || text[content] == '_' ||
                text[content] == '-' || text[content] == '+' || text[content] == '.')) {
            ++content;
        }
        std::size_t lineEnd = content;
        while (lineEnd < text.size() && (text[lineEnd] == ' ' || text[lineEnd] == '\t')) {
            ++lineEnd;
        }
        if (lineEnd < text.size() && (text[lineEnd] == '\n' || text[lineEnd] == '\r')) {
            content = lineEnd + 1;
            if (text[lineEnd] == '\r' && content < text.size() && text[content] == '\n') {
                ++content;
            }
        } else {
            content = lineEnd;
            if (!lineStart &&
                (content >= text.size() || (text[content] != '{' && text[content] != '['))) {
                i = run;
                continue;
            }
        }
        Fence fence{content, text.size(), text.size(), false, !lineStart};
        std::size_t search = content;
        while (search < text.size()) {
            const std::size_t close = text.find(std::string(width, mark), search);
            if (close == std::string_view::npos) {
                break;
            }
            if (atLineStart(text, close)) {
                fence.contentEnd = close;
                fence.closed = true;
                fence.fenceEnd = close + width;
                while (fence.fenceEnd < text.size() && text[fence.fenceEnd] == mark) {
                    ++fence.fenceEnd;
                }
                break;
            }
            search = close + width;
        }
        fences.push_back(fence);
        i = fence.fenceEnd;
    }
    return fences;
}

} // namespace

const char *JsonExtractor::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return "ok";
    case Status::NoJson:
        return "no JSON";
    case Status::Truncated:
        return "truncated";
    case Status::Malformed:
        return "malformed";
    }
    return "unknown";
}

JsonExtractor::Result JsonExtractor::extract(std::string_view text) const
{
    Result result;
    std::size_t begin = 0;
    std::vector<std::string> preFixes;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        begin = 3;
        preFixes.emplace_back("removed byte order mark");
    }
    std::size_t end = text.size();
    while (begin < end && isSpace(text[begin])) {
        ++begin;
    }
    while (end > begin && isSpace(text[end - 1])) {
        --end;
    }

    Search search(text, m_expect);
    auto finish = [&](Parsed parsed) -> Result {
        result.status = Status::Ok;
        result.value = std::move(parsed.value);
        result.offset = parsed.begin;
        result.length = parsed.end - parsed.begin;
        result.fixes = std::move(preFixes);
        result.fixes.insert(result.fixes.end(), parsed.fixes.begin(), parsed.fixes.end());
        const LineColumn lc = lineColumn(text, parsed.begin);
        result.line = lc.line;
        result.column = lc.column;
        return std::move(result);
    };

    if (begin == end) {
        result.status = Status::NoJson;
        result.message = "the answer is empty";
        result.line = 1;
        result.column = 1;
        return result;
    }

    // 1. The whole answer is JSON (the common case with native structured output).
    const char first = text[begin];
    const bool wholeLooksJson = first == '{' || first == '[';
    if (search.tryParse(begin, end) == Outcome::Matched) {
        return finish(std::move(*search.m_match));
    }
    if (!wholeLooksJson) {
        search.m_malformed.reset(); // prose is not a JSON error
        search.m_endOfInput.reset();
    }

    // 2. Code fences, in order.
    const std::vector<Fence> fences = findFences(text.substr(0, end));
    std::vector<std::pair<std::size_t, std::size_t>> examined;
    for (const Fence &fence : fences) {
        std::size_t b = fence.contentBegin;
        std::size_t e = fence.contentEnd;
        while (b < e && isSpace(text[b])) {
            ++b;
        }
        while (e > b && isSpace(text[e - 1])) {
            --e;
        }
        if (b == e) {
            continue;
        }
        const Outcome outcome = search.tryParse(b, e);
        if (outcome == Outcome::Matched) {
            return finish(std::move(*search.m_match));
        }
        if (outcome == Outcome::Failed &&
            (fence.inlineOpen ? search.scanAt(b, e, !fence.closed)
                              : search.scan(b, e, !fence.closed, {}))) {
            return finish(std::move(*search.m_match));
        }
        if (fence.closed) {
            examined.emplace_back(fence.contentBegin, fence.contentEnd);
        }
    }

    // 3. Balanced-bracket scan over the prose (fences already examined are skipped).
    if (search.scan(begin, end, true, examined)) {
        return finish(std::move(*search.m_match));
    }
    if (!search.m_malformed) {
        search.m_malformed = std::move(search.m_endOfInput);
    }
    if (search.m_fallback) {
        // A broken value of the expected type says more than a valid one of the wrong type.
        const char wanted = m_expect == Expect::Object ? '{' : '[';
        const bool brokenWanted = m_expect != Expect::Any &&
                                  ((search.m_truncated && search.m_truncated->opener == wanted) ||
                                   (search.m_malformed && search.m_malformed->opener == wanted));
        if (!brokenWanted) {
            return finish(std::move(*search.m_fallback));
        }
        if (search.m_truncated && search.m_truncated->opener != wanted) {
            search.m_truncated.reset();
        }
    }

    // Nothing usable: report truncation first (retryable with more tokens), then errors.
    if (search.m_truncated) {
        result.status = Status::Truncated;
        result.offset = text.size();
        result.message = search.m_truncated->message;
    } else if (search.m_malformed) {
        result.status = Status::Malformed;
        result.offset = search.m_malformed->offset;
        result.message = "malformed JSON at " + where(text, result.offset) + " (offset " +
                         std::to_string(result.offset) + "): " + search.m_malformed->message;
    } else {
        result.status = Status::NoJson;
        result.offset = 0;
        result.message = "no JSON object or array found in the answer (" +
                         std::to_string(text.size()) + " bytes of text)";
    }
    const LineColumn lc = lineColumn(text, result.offset);
    result.line = lc.line;
    result.column = lc.column;
    if (result.status == Status::Truncated) {
        result.message += "; the answer ends at " + where(text, result.offset) +
                          ", probably cut off by the token limit";
    }
    result.fixes = std::move(preFixes);
    return result;
}

} // namespace crucible
