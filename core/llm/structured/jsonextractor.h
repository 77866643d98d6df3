#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crucible {

// Finds the JSON value in an LLM answer (plain, fenced, or wrapped in prose) and applies only
// safe repairs (BOM, trailing commas). Stateless and thread-safe; failures say what and where.
class JsonExtractor final
{
public:
    enum class Expect { Any, Object, Array };
    enum class Status {
        Ok,
        NoJson,    // nothing that looks like a JSON object or array
        Truncated, // JSON starts but the text ends before it is closed: retry with more tokens
        Malformed, // JSON-looking text that does not parse: re-ask with the message
    };

    struct Result
    {
        Status status = Status::NoJson;
        nlohmann::json value;   // the extracted value when status is Ok
        std::string message;    // human-readable reason when status is not Ok
        std::size_t offset = 0; // Ok: start of the value; else: byte offset of the problem
        std::size_t length = 0; // Ok: byte length of the value's source text
        int line = 0;           // 1-based line and column (in bytes) of `offset`
        int column = 0;
        std::vector<std::string> fixes; // repairs applied, e.g. "removed trailing comma at 3:7"

        bool ok() const { return status == Status::Ok; }
    };

    explicit JsonExtractor(Expect expect = Expect::Any)
        : m_expect(expect)
    {
    }

    // Extracts the value. With an expected type, a candidate of that type is preferred over an
    // earlier candidate of another type; the first parsing candidate is the fallback.
    Result extract(std::string_view text) const;

    static Result extract(std::string_view text, Expect expect)
    {
        return JsonExtractor(expect).extract(text);
    }
    static const char *statusName(Status status);

private:
    Expect m_expect;
};

} // namespace crucible
