#include "core/llm/sseparser.h"

#include <gtest/gtest.h>

#include <random>

using crucible::SseEvent;
using crucible::SseParser;

namespace {

std::vector<SseEvent> parseAll(std::string_view stream)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed(stream, events);
    return events;
}

std::vector<SseEvent> parseChunked(std::string_view stream, std::mt19937 &rng, std::size_t maxChunk)
{
    SseParser parser;
    std::vector<SseEvent> events;
    std::uniform_int_distribution<std::size_t> size(0, maxChunk);
    std::size_t pos = 0;
    while (pos < stream.size()) {
        const std::size_t n = std::min(size(rng), stream.size() - pos);
        parser.feed(stream.substr(pos, n), events);
        pos += n;
    }
    return events;
}

const std::string kOpenAiStream =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F\x65 "
    "\xF0\x9F\x91\x8B\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
    "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";

const std::string kAnthropicStream =
    "event: message_start\r\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\r\n\r\n"
    "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
    "event: content_block_delta\r\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
    "\"text\":\"\xE6\x97\xA5\xE6\x9C\xAC\"}}\r\n\r\n"
    ": keep-alive comment\r\n"
    "event: error\r\n"
    "data: "
    "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
    "\r\n\r\n"
    "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

} // namespace

TEST(SseParser, OpenAiDataOnlyStreamEndsWithDone)
{
    const auto events = parseAll(kOpenAiStream);
    ASSERT_EQ(events.size(), 4U);
    for (const SseEvent &event : events) {
        EXPECT_EQ(event.event, "");
        EXPECT_EQ(event.id, "");
    }
    EXPECT_EQ(events[1].data.substr(0, 7), "{\"id\":\"");
    EXPECT_NE(events[1].data.find("Gr\xC3\xBC\xC3\x9F\x65 \xF0\x9F\x91\x8B"), std::string::npos);
    EXPECT_EQ(events[3].data, "[DONE]");
}

TEST(SseParser, AnthropicNamedEvents)
{
    const auto events = parseAll(kAnthropicStream);
    ASSERT_EQ(events.size(), 5U);
    EXPECT_EQ(events[0].event, "message_start");
    EXPECT_EQ(events[1].event, "ping");
    EXPECT_EQ(events[1].data, "{\"type\": \"ping\"}");
    EXPECT_EQ(events[2].event, "content_block_delta");
    EXPECT_EQ(events[3].event, "error");
    EXPECT_EQ(events[4].event, "message_stop");
    EXPECT_EQ(events[4].data, "{\"type\":\"message_stop\"}");
}

TEST(SseParser, RandomChunkingsGiveIdenticalEvents)
{
    const std::string mixed = "\xEF\xBB\xBF" + kAnthropicStream + kOpenAiStream +
                              "id: 7\rdata: cr\rdata: only\r\rdata:\n\n" + ": done\n";
    const auto expected = parseAll(mixed);
    ASSERT_EQ(expected.size(), 11U);
    EXPECT_EQ(expected[0].event, "message_start"); // the BOM did not become part of a field name
    EXPECT_EQ(expected[9].data, "cr\nonly");
    EXPECT_EQ(expected[9].id, "7");
    EXPECT_EQ(expected[10].data, "");
    std::mt19937 rng(12345);
    for (int round = 0; round < 300; ++round) {
        const std::size_t maxChunk = round % 3 == 0 ? 1 : (round % 3 == 1 ? 7 : 200);
        ASSERT_EQ(parseChunked(mixed, rng, maxChunk), expected) << "round " << round;
    }
}

TEST(SseParser, CrLfSplitAcrossChunksIsOneLineEnd)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed("data: a\r", events);
    parser.feed("\ndata: b\r", events);
    EXPECT_TRUE(events.empty());
    parser.feed("\n\r", events);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].data, "a\nb");
    parser.feed("\n", events); // the LF completing the CR above is not a second blank line
    parser.feed("data: c\n\n", events);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].data, "c");
}

TEST(SseParser, FieldParsingRules)
{
    const auto events = parseAll("data:no-space\n"
                                 "data:  two spaces\n"
                                 "data\n"
                                 "unknown: field\n"
                                 ":comment\n"
                                 "event:custom\n"
                                 "id: 42\n"
                                 "\n"
                                 "data: second\n"
                                 "\n");
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].data, "no-space\n two spaces\n");
    EXPECT_EQ(events[0].event, "custom");
    EXPECT_EQ(events[0].id, "42");
    EXPECT_EQ(events[1].event, "") << "event type is reset after each dispatch";
    EXPECT_EQ(events[1].id, "42") << "last event id persists";
}

TEST(SseParser, EventsWithoutDataAreNotDispatched)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed("event: ping\n\nid: 3\n\nretry: 1500\n\nretry: 1x\n\n", events);
    EXPECT_TRUE(events.empty());
    EXPECT_EQ(parser.lastEventId(), "3");
    ASSERT_TRUE(parser.retryMs().has_value());
    EXPECT_EQ(*parser.retryMs(), 1500);
    parser.feed(std::string("id: a\0b\ndata: x\n\n", 17), events);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].id, "3") << "an id containing NUL is ignored";
}

TEST(SseParser, BomOnlyAtStreamStartAndSplit)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed("\xEF", events);
    parser.feed("\xBB", events);
    parser.feed("\xBF"
                "data: x\n\n\xEF\xBB\xBF"
                "data: y\n\n",
                events);
    ASSERT_EQ(events.size(), 1U) << "a second BOM is part of the next line's field name";
    EXPECT_EQ(events[0].data, "x");

    // Bytes that only start like a BOM are content.
    const auto notBom = parseAll("\xEF"
                                 "data: z\n\n");
    EXPECT_TRUE(notBom.empty());
}

TEST(SseParser, FinishReportsAnIncompleteEvent)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed("data: complete\n\ndata: {\"partial\":", events);
    EXPECT_EQ(events.size(), 1U);
    EXPECT_TRUE(parser.finish());
    EXPECT_FALSE(parser.finish());
    parser.feed("data: next\n\n", events);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].data, "next");

    parser.feed("data: unterminated\n", events);
    EXPECT_TRUE(parser.finish()) << "data without its blank line is discarded";
    EXPECT_EQ(events.size(), 2U);
}

TEST(SseParser, CallbackSeesReusedEventAndCount)
{
    SseParser parser;
    std::vector<std::string> data;
    const std::size_t count =
        parser.feed(kOpenAiStream, [&](const SseEvent &event) { data.push_back(event.data); });
    EXPECT_EQ(count, 4U);
    ASSERT_EQ(data.size(), 4U);
    EXPECT_EQ(data.back(), "[DONE]");
}
