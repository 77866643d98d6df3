// libFuzzer target: the PICT model and constraint parser. Properties: parse() either returns a
// model or throws PictParseError (nothing else, no crash, no stack overflow on deep nesting); a
// parsed model compiles into a ConstraintEvaluator; a model that toText() can write parses back
// to an equal model whose text is the same.

#include "core/generate/constraintevaluator.h"
#include "core/generate/pictmodel.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

using crucible::ConstraintEvaluator;
using crucible::PictModel;
using crucible::PictParseError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    PictModel model;
    try {
        model = PictModel::parse(text, "fuzz.txt");
    } catch (const PictParseError &e) {
        FUZZ_CHECK(e.line() >= 1, "error line");
        FUZZ_CHECK(e.column() >= 1, "error column");
        FUZZ_CHECK(!e.message().empty(), "error message");
        return 0;
    }
    FUZZ_CHECK(!model.parameters.empty(), "a model without parameters was accepted");
    for (const auto &parameter : model.parameters) {
        FUZZ_CHECK(!parameter.values.empty(), "parameter '" + parameter.name + "' has no values");
        FUZZ_CHECK(model.parameterIndex(parameter.name) >= 0, "parameter not found by its name");
    }

    const ConstraintEvaluator evaluator(model.parameters, model.constraints);
    FUZZ_CHECK(evaluator.constraintCount() == static_cast<int>(model.constraints.size()),
               "constraint count");
    std::vector<int> row(model.parameters.size(), -1);
    evaluator.evaluate(row); // every parameter unassigned
    std::fill(row.begin(), row.end(), 0);
    evaluator.evaluate(row); // every parameter at its first value

    std::string written;
    try {
        written = model.toText();
    } catch (const std::invalid_argument &) {
        return 0; // a value PICT cannot write (e.g. containing '|'): reported, not a bug
    }
    PictModel again;
    try {
        again = PictModel::parse(written, "written.txt");
    } catch (const PictParseError &e) {
        FUZZ_CHECK(false, std::string("toText() wrote a model that does not parse: ") + e.what() +
                              "\n--- written:\n" + written);
    }
    FUZZ_CHECK(again == model, "the written model parses to a different model:\n" + written);
    FUZZ_CHECK(again.toText() == written, "writing twice differs:\n" + written);
    return 0;
}
