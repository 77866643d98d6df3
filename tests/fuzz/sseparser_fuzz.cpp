// libFuzzer target: the SSE parser fed the same stream in one piece, byte by byte and in chunks
// whose sizes come from the input. Every chunking must give the same events, the same
// "cut off mid-event" answer from finish() and the same retry value.
// Input: one byte of chunking seed, then the stream.

#include "core/llm/sseparser.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

using crucible::SseEvent;
using crucible::SseParser;

namespace {

struct Outcome
{
    std::vector<SseEvent> events;
    bool pending = false;
    std::optional<std::int64_t> retry;
    std::string lastId;
};

template <typename NextSize> Outcome run(std::string_view stream, NextSize nextSize)
{
    Outcome out;
    SseParser parser;
    std::size_t pos = 0;
    while (pos < stream.size()) {
        const std::size_t n = std::min(nextSize(), stream.size() - pos);
        const std::size_t before = out.events.size();
        const std::size_t count = parser.feed(stream.substr(pos, n), out.events);
        FUZZ_CHECK(count == out.events.size() - before, "feed() miscounts its events");
        pos += n;
    }
    out.retry = parser.retryMs();
    out.lastId = parser.lastEventId();
    out.pending = parser.finish();
    return out;
}

void same(const Outcome &a, const Outcome &b, const char *how)
{
    FUZZ_CHECK(a.events.size() == b.events.size(), std::string(how) + ": " +
                                                       std::to_string(a.events.size()) + " vs " +
                                                       std::to_string(b.events.size()) + " events");
    for (std::size_t i = 0; i < a.events.size(); ++i)
        FUZZ_CHECK(a.events[i] == b.events[i],
                   std::string(how) + ": event " + std::to_string(i) + " differs");
    FUZZ_CHECK(a.pending == b.pending, std::string(how) + ": finish() differs");
    FUZZ_CHECK(a.retry == b.retry, std::string(how) + ": retry differs");
    FUZZ_CHECK(a.lastId == b.lastId, std::string(how) + ": last event id differs");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::uint32_t seed = data[0];
    const std::string_view stream(reinterpret_cast<const char *>(data) + 1, size - 1);

    const Outcome whole = run(stream, [&] { return stream.size(); });
    for (const SseEvent &e : whole.events) {
        FUZZ_CHECK(e.id.find('\0') == std::string::npos, "an id with NUL was kept");
        FUZZ_CHECK(e.event.find_first_of("\r\n") == std::string::npos, "event type spans lines");
    }
    same(whole, run(stream, [] { return std::size_t(1); }), "byte by byte");
    // Sizes 1..16 from a small linear congruential generator seeded by the first byte.
    same(whole,
         run(stream,
             [&] {
                 seed = seed * 1103515245u + 12345u;
                 return std::size_t((seed >> 16) % 16 + 1);
             }),
         "random chunks");

    // A parser is reusable after finish(): the same stream gives the same events again.
    SseParser parser;
    std::vector<SseEvent> first;
    parser.feed(stream, first);
    parser.finish();
    std::vector<SseEvent> second;
    parser.feed(stream, second);
    FUZZ_CHECK(first.size() == second.size(), "a parser reused after finish() differs");
    return 0;
}
