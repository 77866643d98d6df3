#include "core/llm/sseparser.h"

#include <cstring>

namespace crucible {

namespace {

constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};

// Parses a `retry:` value: ASCII digits only, otherwise the field is ignored (per spec).
std::optional<std::int64_t> parseRetry(std::string_view value)
{
    if (value.empty() || value.size() > 18) {
        return std::nullopt;
    }
    std::int64_t result = 0;
    for (const char c : value) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        result = result * 10 + (c - '0');
    }
    return result;
}

} // namespace

std::size_t SseParser::feed(std::string_view chunk, const Handler &onEvent)
{
    std::size_t count = 0;
    const char *p = chunk.data();
    const char *const end = p + chunk.size();

    // The byte order mark may itself arrive split over several chunks.
    while (!m_bomChecked && p != end) {
        if (static_cast<unsigned char>(*p) == kBom[m_bomMatched]) {
            ++p;
            if (++m_bomMatched == 3) {
                m_bomChecked = true;
            }
        } else {
            m_line.append(reinterpret_cast<const char *>(kBom), std::size_t(m_bomMatched));
            m_bomChecked = true;
        }
    }
    if (m_skipLf && p != end) {
        if (*p == '\n') {
            ++p;
        }
        m_skipLf = false;
    }

    // The next LF is remembered across lines so CR-only streams do not rescan the chunk per line.
    const char *nextLf = nullptr;
    bool lfKnown = false;
    while (p != end) {
        if (!lfKnown || (nextLf != nullptr && nextLf < p)) {
            nextLf = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
            lfKnown = true;
        }
        const char *const limit = nextLf != nullptr ? nextLf : end;
        const char *eol = static_cast<const char *>(std::memchr(p, '\r', std::size_t(limit - p)));
        if (eol == nullptr) {
            eol = nextLf;
        }
        if (eol == nullptr) {
            m_line.append(p, std::size_t(end - p));
            break;
        }
        if (m_line.empty()) {
            processLine(std::string_view(p, std::size_t(eol - p)), onEvent, count);
        } else {
            m_line.append(p, std::size_t(eol - p));
            processLine(m_line, onEvent, count);
            m_line.clear();
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skipLf = true;
            } else if (*p == '\n') {
                ++p;
            }
        }
    }
    return count;
}

std::size_t SseParser::feed(std::string_view chunk, std::vector<SseEvent> &out)
{
    return feed(chunk, [&out](const SseEvent &event) { out.push_back(event); });
}

void SseParser::processLine(std::string_view line, const Handler &onEvent, std::size_t &count)
{
    if (line.empty()) {
        dispatch(onEvent, count);
        return;
    }
    if (line.front() == ':') {
        return; // comment, often used as a keep-alive
    }
    std::string_view field = line;
    std::string_view value;
    if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
    }
    if (field == "data") {
        if (m_hasData) {
            m_event.data.push_back('\n');
        }
        m_event.data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_event.event.assign(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) {
            m_event.id.assign(value);
        }
    } else if (field == "retry") {
        if (const auto retry = parseRetry(value)) {
            m_retryMs = retry;
        }
    }
    // Unknown fields are ignored, as the spec requires.
}

void SseParser::dispatch(const Handler &onEvent, std::size_t &count)
{
    if (m_hasData) {
        if (onEvent) {
            onEvent(m_event);
        }
        ++count;
    }
    m_event.event.clear();
    m_event.data.clear();
    m_hasData = false;
}

bool SseParser::finish()
{
    const bool pending = m_hasData || !m_line.empty() || (!m_bomChecked && m_bomMatched > 0);
    m_event.event.clear();
    m_event.data.clear();
    m_line.clear();
    m_hasData = false;
    m_skipLf = false;
    m_bomChecked = false;
    m_bomMatched = 0;
    return pending;
}

void SseParser::reset()
{
    finish();
    m_event.id.clear();
    m_retryMs.reset();
}

} // namespace crucible
