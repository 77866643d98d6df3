// libFuzzer target: JSON extraction from an LLM answer (plain, fenced or in prose, possibly
// truncated). Properties: no crash, positions inside the answer, a readable message on failure,
// and a value found without repairs is exactly what its source text parses to.

#include "core/llm/structured/jsonextractor.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using crucible::JsonExtractor;

namespace {

void check(std::string_view text, JsonExtractor::Expect expect)
{
    const JsonExtractor::Result r = JsonExtractor(expect).extract(text);
    FUZZ_CHECK(r.line >= 1 && r.column >= 1, "line and column are 1-based");
    if (!r.ok()) {
        FUZZ_CHECK(!r.message.empty(), "a failure says why");
        FUZZ_CHECK(r.offset <= text.size(), "problem offset past the end of the answer");
        return;
    }
    FUZZ_CHECK(r.offset + r.length <= text.size(), "value source past the end of the answer");
    FUZZ_CHECK(r.length > 0, "an extracted value has source text");
    if (r.fixes.empty()) {
        const nlohmann::json again =
            nlohmann::json::parse(text.substr(r.offset, r.length), nullptr, false);
        FUZZ_CHECK(!again.is_discarded(), "the value's source text does not parse on its own");
        FUZZ_CHECK(again == r.value, "the value differs from its source text");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    check(text, JsonExtractor::Expect::Any);
    check(text, JsonExtractor::Expect::Object);
    check(text, JsonExtractor::Expect::Array);
    return 0;
}
