#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crucible {

// One dispatched server-sent event. `event` is empty when the stream gave no `event:` field
// (the WHATWG default type is "message"); `id` is the last event id seen so far on the stream.
struct SseEvent
{
    std::string event;
    std::string data;
    std::string id;

    bool operator==(const SseEvent &) const = default;
};

// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"): feed byte chunks
// split anywhere, get complete events. Not thread-safe; one instance per stream.
class SseParser final
{
public:
    using Handler = std::function<void(const SseEvent &)>;

    // Parses `chunk` and calls `onEvent` for every completed event. The event reference is only
    // valid during the call (its buffers are reused). Returns the number of events dispatched.
    std::size_t feed(std::string_view chunk, const Handler &onEvent);
    // Convenience overload that appends copies of the completed events to `out`.
    std::size_t feed(std::string_view chunk, std::vector<SseEvent> &out);

    // Ends the stream. Per the spec an event without its terminating blank line is discarded;
    // returns true if such an incomplete event (or an unterminated line) was pending, which
    // signals a stream cut off mid-event. The parser is then ready for a new stream.
    bool finish();
    // Forgets all state, including the last event id and retry value.
    void reset();

    // Last valid `retry:` value in milliseconds, if the stream sent one.
    std::optional<std::int64_t> retryMs() const { return m_retryMs; }
    const std::string &lastEventId() const { return m_event.id; }

private:
    void processLine(std::string_view line, const Handler &onEvent, std::size_t &count);
    void dispatch(const Handler &onEvent, std::size_t &count);

    SseEvent m_event;   // event/data buffers being built; id persists across events
    std::string m_line; // partial line carried over between chunks
    bool m_hasData = false;
    bool m_skipLf = false; // the previous chunk ended with CR: a leading LF belongs to it
    bool m_bomChecked = false;
    int m_bomMatched = 0;
    std::optional<std::int64_t> m_retryMs;
};

} // namespace crucible
