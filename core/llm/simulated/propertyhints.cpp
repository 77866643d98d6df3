#include "core/llm/simulated/propertyhints.h"

#include "core/llm/simulated/utf8text.h"

namespace crucible::simulated {

TextKind textKind(const std::string &hint)
{
    const std::string h = lower(hint);
    if (h.empty()) {
        return TextKind::Sentence;
    }
    if (hasAny(h, {"email", "e_mail"})) {
        return TextKind::Email;
    }
    if (hasAny(h, {"url", "uri", "link", "website", "href"})) {
        return TextKind::Url;
    }
    if (endsWith(h, "_at") || hasAny(h, {"timestamp", "datetime", "date_time"})) {
        return TextKind::DateTime;
    }
    if (hasAny(h, {"date", "deadline"})) {
        return TextKind::Date;
    }
    if (h == "id" || endsWith(h, "_id") || endsWith(hint, "Id") || hasAny(h, {"slug", "uuid"})) {
        return TextKind::Identifier;
    }
    if (hasAny(h, {"title", "headline"})) {
        return TextKind::Title;
    }
    if (hasAny(h, {"name"})) {
        return hasAny(h, {"agent", "person", "author", "user", "persona", "owner", "reviewer"})
                   ? TextKind::PersonName
                   : TextKind::Title;
    }
    if (hasAny(h, {"constraint", "requirement", "rule", "limit", "restriction"})) {
        return TextKind::Constraint;
    }
    if (hasAny(h, {"criteri", "success", "outcome", "expected", "metric", "goal", "objective",
                   "acceptance"})) {
        return TextKind::Criterion;
    }
    if (hasAny(h, {"rationale", "reason", "justification", "explanation", "why"})) {
        return TextKind::Rationale;
    }
    if (hasAny(h, {"critique", "feedback", "weakness", "strength", "issue", "flaw", "comment",
                   "review", "evaluation", "assessment", "observation"})) {
        return TextKind::Critique;
    }
    if (hasAny(h, {"question", "query"})) {
        return TextKind::Question;
    }
    if (hasAny(h, {"step", "action", "plan", "instruction", "procedure"})) {
        return TextKind::Step;
    }
    if (hasAny(h, {"answer", "solution", "response", "approach", "recommendation", "suggestion",
                   "result", "output", "reply", "content", "message", "turn", "utterance"})) {
        return TextKind::Answer;
    }
    if (hasAny(h, {"summary", "abstract", "overview", "note"})) {
        return TextKind::Summary;
    }
    if (hasAny(h, {"statement", "problem", "scenario", "description", "context", "background",
                   "prompt", "task", "situation", "detail", "text", "body", "story", "narrative",
                   "sample", "example", "assumption", "edge"})) {
        return TextKind::Statement;
    }
    if (hasAny(h, {"domain", "field", "area", "subject", "topic", "theme"})) {
        return TextKind::Domain;
    }
    if (hasAny(h, {"complexity", "difficulty", "level", "severity", "priority"})) {
        return TextKind::Level;
    }
    if (hasAny(h, {"tag", "keyword", "label", "category", "type", "kind", "dimension", "capability",
                   "skill", "role", "trait", "key", "status", "mode", "style"})) {
        return TextKind::Label;
    }
    return TextKind::Sentence;
}

NumericHint numericHint(const std::string &hint, bool integer)
{
    const std::string h = lower(hint);
    if (hasAny(h, {"probability", "confidence", "weight", "ratio", "likelihood", "fraction",
                   "share", "temperature", "similarity"})) {
        return integer ? NumericHint{0, 1, 0} : NumericHint{0, 1, 2};
    }
    if (hasAny(h, {"score", "rating", "grade", "quality"})) {
        return integer ? NumericHint{1, 10, 0} : NumericHint{0, 10, 1};
    }
    if (hasAny(h, {"percent", "pct"})) {
        return {0, 100, 1};
    }
    if (hasAny(h, {"year"})) {
        return {2015, 2030, 0};
    }
    if (hasAny(h, {"age"})) {
        return {18, 80, 0};
    }
    if (hasAny(h, {"price", "cost", "budget", "amount", "revenue", "salary", "usd"})) {
        return {10, 5000, 2};
    }
    if (hasAny(h, {"hour", "minute", "day", "week", "month", "duration", "latency", "time"})) {
        return {1, 48, 1};
    }
    if (hasAny(h, {"count", "number", "num", "quantity", "size", "total", "steps", "turns", "items",
                   "index", "rank", "priority", "level"})) {
        return {1, 12, 0};
    }
    return {0, 100, 2};
}

bool numericHinted(const std::string &hint)
{
    const std::string h = lower(hint);
    return hasAny(h,
                  {"score", "rating", "count", "probability", "confidence", "weight", "percent",
                   "year", "price", "cost", "amount", "number", "total", "quantity", "duration"});
}

bool booleanHinted(const std::string &hint)
{
    const std::string h = lower(hint);
    return h.rfind("is_", 0) == 0 || h.rfind("has_", 0) == 0 ||
           hasAny(h, {"enabled", "flag", "valid", "passed", "correct", "success"});
}

} // namespace crucible::simulated
