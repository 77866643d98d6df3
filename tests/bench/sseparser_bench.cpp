// Throughput of SseParser on ~50 MB of synthetic OpenAI chat-completion stream, fed in chunk
// sizes typical of network reads. Prints MB/s; run on demand, not part of the test suite.
#include "core/llm/sseparser.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

std::string makeStream(std::size_t targetBytes)
{
    const std::vector<std::string> pieces = {"The",
                                             " answer",
                                             " is",
                                             " 42",
                                             ".",
                                             " Let",
                                             "'s",
                                             " consider",
                                             " the",
                                             " cas",
                                             "e where",
                                             "\\n",
                                             " Gr\xC3\xBC\xC3\x9F\x65",
                                             " \xF0\x9F\x91\x8B",
                                             "\\\"quoted\\\"",
                                             " \xE6\x97\xA5\xE6\x9C\xAC",
                                             " schema",
                                             " validation"};
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::string stream;
    stream.reserve(targetBytes + 4096);
    const std::string head = "data: {\"id\":\"chatcmpl-9xq3Zk1bYvR2nLw8TfQpA7sUe\",\"object\":"
                             "\"chat.completion.chunk\",\"created\":1711368332,\"model\":"
                             "\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\","
                             "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    const std::string tail = "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
    while (stream.size() < targetBytes) {
        stream += head;
        stream += pieces[pick(rng)];
        stream += tail;
    }
    stream += "data: [DONE]\n\n";
    return stream;
}

std::vector<std::size_t> makeChunks(std::size_t total, std::size_t minSize, std::size_t maxSize)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> size(minSize, maxSize);
    std::vector<std::size_t> chunks;
    std::size_t pos = 0;
    while (pos < total) {
        const std::size_t n = std::min(size(rng), total - pos);
        chunks.push_back(n);
        pos += n;
    }
    return chunks;
}

} // namespace

int main()
{
    const std::string stream = makeStream(50U * 1024U * 1024U);
    const double megabytes = double(stream.size()) / (1024.0 * 1024.0);
    std::printf("SseParser: %.1f MB of OpenAI stream chunks\n", megabytes);

    struct Case
    {
        const char *name;
        std::size_t minSize;
        std::size_t maxSize;
    };
    for (const Case &c :
         {Case{"small reads (64-512 B)", 64, 512}, Case{"typical reads (1-4 KB)", 1024, 4096},
          Case{"large reads (16-64 KB)", 16384, 65536}}) {
        const std::vector<std::size_t> chunks = makeChunks(stream.size(), c.minSize, c.maxSize);
        double best = 0;
        std::size_t events = 0;
        std::size_t dataBytes = 0;
        for (int round = 0; round < 3; ++round) {
            crucible::SseParser parser;
            events = 0;
            dataBytes = 0;
            const auto handler = [&](const crucible::SseEvent &event) {
                ++events;
                dataBytes += event.data.size();
            };
            const crucible::SseParser::Handler callback = handler;
            const auto start = std::chrono::steady_clock::now();
            std::size_t pos = 0;
            for (const std::size_t n : chunks) {
                parser.feed(std::string_view(stream).substr(pos, n), callback);
                pos += n;
            }
            const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
            best = std::max(best, megabytes / elapsed.count());
        }
        std::printf("  %-24s %8.0f MB/s  (%zu events, %zu data bytes)\n", c.name, best, events,
                    dataBytes);
    }
    return 0;
}
