#pragma once
// What a property name ("rationale", "created_at", "confidence", "is_valid", ...) says about the
// value the Simulated provider should make for it: the kind of text, a plausible numeric range,
// whether a number or a boolean is likely.

#include <string>

namespace crucible::simulated {

// The kinds of readable text; property names hint at the kind, topic words keep it on subject.
enum class TextKind {
    Sentence,
    Statement,
    Summary,
    Constraint,
    Criterion,
    Rationale,
    Critique,
    Question,
    Answer,
    Step,
    Title,
    PersonName,
    Identifier,
    Label,
    Domain,
    Level,
    Email,
    Url,
    DateTime,
    Date,
};

TextKind textKind(const std::string &hint);

struct NumericHint
{
    double lo;
    double hi;
    int decimals;
};

// A plausible range and precision for a number named `hint`.
NumericHint numericHint(const std::string &hint, bool integer);
bool numericHinted(const std::string &hint);
bool booleanHinted(const std::string &hint);

} // namespace crucible::simulated
