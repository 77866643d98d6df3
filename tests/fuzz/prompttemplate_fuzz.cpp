// libFuzzer target: prompt template parsing and mustache rendering (sections, inverted sections,
// partials without a loader, set-delimiter tags, comments, unbalanced tags).
// Input: the first line is the render context (a JSON object; anything else falls back to a
// fixed context with strings, numbers, lists and nested objects), the rest is a template file.
// Properties: parse() and render never crash; a failed render names the file and a line; a body
// without any '{' renders to itself.

#include "core/llm/prompttemplates.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <string_view>

using crucible::PromptTemplate;
using crucible::PromptTemplates;
using crucible::RenderedPrompt;
using nlohmann::json;

namespace {

const json &fallbackContext()
{
    static const json context = json::parse(R"({
        "domain": "logistics", "count": 3, "ratio": 0.25, "strict": true, "empty": "",
        "nothing": null, "tags": ["a", "b", "c"], "none": [],
        "agent": {"name": "Critic", "traits": {"rigour": 0.9}},
        "items": [{"title": "one", "n": 1}, {"title": "two", "n": 2}]
    })");
    return context;
}

void checkRendered(const RenderedPrompt &r, const QString &body)
{
    if (!r.ok()) {
        FUZZ_CHECK(r.text.isEmpty(), "a failed render still has text");
        FUZZ_CHECK(r.error.startsWith(QStringLiteral("fuzz.mustache:")),
                   "the error does not name the file: " + r.error.toStdString());
        return;
    }
    if (!body.contains(QLatin1Char('{')))
        FUZZ_CHECK(r.text == body, "a body without tags renders differently");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const std::size_t newline = input.find('\n');
    json context = json::parse(input.substr(0, newline), nullptr, false);
    if (!context.is_object())
        context = fallbackContext();
    const std::string_view file =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    const QString text = QString::fromUtf8(file.data(), static_cast<qsizetype>(file.size()));

    QString error;
    PromptTemplate parsed = PromptTemplates::parse(text, QStringLiteral("fuzz.mustache"), error);
    if (error.isEmpty()) {
        FUZZ_CHECK(!parsed.id.isEmpty(), "a header without an id was accepted");
        checkRendered(PromptTemplates::renderTemplate(parsed, context), parsed.body);
    } else {
        FUZZ_CHECK(parsed.id.isEmpty(), "an id despite a header error");
    }

    // The whole text as a body (files whose header is wrong still hold templates worth reading).
    PromptTemplate whole;
    whole.id = QStringLiteral("fuzz");
    whole.version = 1;
    whole.body = text;
    whole.source = QStringLiteral("fuzz.mustache");
    checkRendered(PromptTemplates::renderTemplate(whole, context), text);
    checkRendered(PromptTemplates::renderTemplate(whole, json()), text);
    return 0;
}
