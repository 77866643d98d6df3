#include "core/llm/simulated/prose.h"

#include "core/llm/simulated/topicwords.h"
#include "core/llm/simulated/utf8text.h"

#include <algorithm>

namespace crucible::simulated {

namespace {

const std::vector<std::string> kDefaultTopics = {
    "inventory",   "scheduling",  "routing",  "billing",     "onboarding",
    "forecasting", "maintenance", "staffing", "procurement", "reporting"};

const std::vector<const char *> kSubjects = {
    "A regional hospital",         "The operations team",    "A mid-sized retailer",
    "A city transit agency",       "An early-stage startup", "The research group",
    "A logistics provider",        "A school district",      "The customer support desk",
    "A small manufacturing plant", "The finance department", "A field service company",
    "A public library network",    "An online marketplace"};

const std::vector<const char *> kGoals = {
    "needs to reduce",       "wants to improve",  "must balance",        "has to schedule",
    "is trying to forecast", "plans to automate", "needs to prioritise", "must reconcile",
    "wants to evaluate",     "has to allocate",   "needs to audit",      "wants to redesign"};

const std::vector<const char *> kObjects = {"{t} costs",
                                            "the {t} backlog",
                                            "the quality of its {t} data",
                                            "delays in {t}",
                                            "its {t} workflow",
                                            "the accuracy of {t} estimates",
                                            "{t} capacity across several sites",
                                            "the way {t} requests are handled",
                                            "{t} and {u} together"};

const std::vector<const char *> kConditions = {
    "while staying within a fixed budget",   "even though the data is incomplete and noisy",
    "before the end of the quarter",         "without hiring additional staff",
    "while regulations keep changing",       "while demand varies from week to week",
    "with only two analysts available",      "using records from three legacy systems",
    "without interrupting daily operations", "while keeping customers informed"};

const std::vector<const char *> kStatementContext = {
    "Today {t} is handled by hand and {u} is tracked in spreadsheets.",
    "Last year, problems with {t} caused {n} missed deadlines.",
    "The team has {n} months and a limited budget to show results.",
    "Most {t} data comes from a system that was never designed for {u}.",
    "Managers disagree on whether {t} or {u} matters more.",
    "Peak periods make {t} roughly {n} times harder to manage."};

const std::vector<const char *> kConstraints = {
    "The solution must finish within {n} hours.",
    "No more than {n} people can work on {t} at the same time.",
    "All {t} records must stay private and be stored on site.",
    "The approach has to work with the existing {t} data as it is.",
    "Results must be explainable to people without a technical background.",
    "The budget for {t} is limited to {n}0 thousand dollars.",
    "Changes to {t} can only be deployed outside business hours.",
    "The system must handle up to {n}00 {t} requests per minute.",
    "Manual steps in the {t} process should be avoided.",
    "Any decision about {u} must be reversible within one day."};

const std::vector<const char *> kCriteria = {
    "{T} delays drop by at least {n}0 percent.",
    "Every {t} case is handled without manual correction.",
    "Stakeholders can check the {t} results in under {n} minutes.",
    "The {t} report is produced automatically every morning.",
    "Error rates in {t} stay below {n} percent for a month.",
    "The team agrees that the {t} plan is realistic and complete.",
    "Costs for {t} fall while {u} stays at the same level."};

const std::vector<const char *> kRationales = {
    "This works because {t} is the main bottleneck, so improving it frees capacity elsewhere.",
    "The choice keeps {t} simple, which makes mistakes easier to spot.",
    "Focusing on {t} first gives the quickest measurable result.",
    "It balances {t} against {u}, which matters most {cond}.",
    "Earlier attempts at {t} failed when {u} was ignored, so this version accounts for it.",
    "The data about {t} is the most reliable input available, so the decision rests on it."};

const std::vector<const char *> kCritiques = {
    "The answer handles {t} well but overlooks how {u} affects the result.",
    "The reasoning about {t} is clear, although the cost estimate seems optimistic.",
    "It assumes the {t} data is complete, which is rarely true in practice.",
    "The plan is thorough on {t} but gives no way to measure success.",
    "A stronger answer would compare at least two options for {t}.",
    "The proposal ignores the limit on {u} and would need revision."};

const std::vector<const char *> kQuestions = {
    "How should the team handle {t} {cond}?",
    "What is the fastest way to reduce {t} costs without hurting {u}?",
    "Which {t} cases should a person review first?",
    "What would change if {t} demand doubled next month?",
    "How can {u} be measured before the {t} changes go live?"};

const std::vector<const char *> kAnswers = {
    "Start by measuring {t} for two weeks to establish a baseline.",
    "Then group the {t} cases by urgency and handle the largest group first.",
    "A simple rule based on {u} covers most situations, and the rest go to a reviewer.",
    "Automating the {t} checks saves roughly {n} hours per week.",
    "The main risk is {u}, so it is monitored daily.",
    "Results are reviewed with the team after the first month.",
    "If {t} grows faster than expected, capacity is added in small steps.",
    "Comparing {t} before and after the change shows whether it worked."};

const std::vector<const char *> kSteps = {"Collect the current {t} data.",
                                          "Identify the cases where {u} causes delays.",
                                          "Draft a {t} plan and share it with the stakeholders.",
                                          "Test the plan on a small {t} sample.",
                                          "Roll out the change and track {u} every week.",
                                          "Review the results and adjust the {t} thresholds.",
                                          "Document the {t} decisions for the next review."};

const std::vector<const char *> kSummaries = {
    "A plan to improve {t} {cond}.", "Overview of {t} and its effect on {u}.",
    "How {t} can be made more reliable with the data already available.",
    "Trade-offs between {t} and {u} for a team with limited time."};

const std::vector<const char *> kAdjectives = {
    "Adaptive", "Resilient", "Incremental", "Cost-aware", "Distributed",
    "Seasonal", "Fair",      "Robust",      "Lean",       "Scalable"};
const std::vector<const char *> kNouns = {"Planning",   "Scheduling", "Forecast", "Audit",
                                          "Allocation", "Review",     "Triage",   "Migration",
                                          "Rollout",    "Assessment"};
const std::vector<const char *> kFirstNames = {"Ada",   "Omar",   "Mei",   "Lukas", "Priya",
                                               "Diego", "Hannah", "Kwame", "Sofia", "Ivan"};
const std::vector<const char *> kLastNames = {"Rivera", "Chen",   "Okafor", "Novak",
                                              "Sharma", "Larsen", "Haddad", "Moreau"};
const std::vector<const char *> kLevels = {"simple", "medium", "complex"};

} // namespace

Prose::Prose(Rng &rng, const std::vector<std::string> &words)
    : m_rng(rng)
    , m_words(words.empty() ? kDefaultTopics : words)
{
}

std::string Prose::otherTopic(const std::string &not_)
{
    for (int i = 0; i < 4; ++i) {
        std::string w = topic();
        if (w != not_) {
            return w;
        }
    }
    return kDefaultTopics[m_rng.below(kDefaultTopics.size())];
}

std::string Prose::fill(std::string_view tmpl)
{
    const std::string t = topic();
    const std::string u = otherTopic(t);
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] != '{') {
            out.push_back(tmpl[i]);
            continue;
        }
        const std::size_t close = tmpl.find('}', i);
        const std::string_view key = tmpl.substr(i + 1, close - i - 1);
        if (key == "t") {
            out += t;
        } else if (key == "u") {
            out += u;
        } else if (key == "T") {
            out += capitalized(t);
        } else if (key == "n") {
            out += std::to_string(2 + m_rng.below(8));
        } else if (key == "cond") {
            out += m_rng.pick(kConditions);
        } else {
            out += key;
        }
        i = close;
    }
    return out;
}

std::string Prose::statementSentence()
{
    return std::string(m_rng.pick(kSubjects)) + ' ' + m_rng.pick(kGoals) + ' ' +
           fill(m_rng.pick(kObjects)) + ' ' + m_rng.pick(kConditions) + '.';
}

std::string Prose::sentence(TextKind kind)
{
    switch (kind) {
    case TextKind::Statement:
        return m_rng.chance(0.5) ? statementSentence() : fill(m_rng.pick(kStatementContext));
    case TextKind::Summary:
        return fill(m_rng.pick(kSummaries));
    case TextKind::Constraint:
        return fill(m_rng.pick(kConstraints));
    case TextKind::Criterion:
        return fill(m_rng.pick(kCriteria));
    case TextKind::Rationale:
        return fill(m_rng.pick(kRationales));
    case TextKind::Critique:
        return fill(m_rng.pick(kCritiques));
    case TextKind::Question:
        return fill(m_rng.pick(kQuestions));
    case TextKind::Step:
        return fill(m_rng.pick(kSteps));
    case TextKind::Answer:
        return fill(m_rng.pick(kAnswers));
    default:
        break;
    }
    switch (m_rng.below(4)) {
    case 0:
        return statementSentence();
    case 1:
        return fill(m_rng.pick(kAnswers));
    case 2:
        return fill(m_rng.pick(kRationales));
    default:
        return fill(m_rng.pick(kStatementContext));
    }
}

std::string Prose::words(std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out += (i == 0 ? "" : " ") + topic();
    }
    return out;
}

std::string Prose::text(TextKind kind)
{
    switch (kind) {
    case TextKind::Title:
        return std::string(m_rng.pick(kAdjectives)) + ' ' + capitalized(topic()) + ' ' +
               m_rng.pick(kNouns);
    case TextKind::PersonName:
        return std::string(m_rng.pick(kFirstNames)) + ' ' + m_rng.pick(kLastNames);
    case TextKind::Identifier:
        return lower(topic()) + '-' + std::to_string(100 + m_rng.below(900));
    case TextKind::Label:
        return m_rng.chance(0.6) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
    case TextKind::Domain:
        return m_rng.chance(0.5) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
    case TextKind::Level:
        return m_rng.pick(kLevels);
    case TextKind::Email:
        return lower(m_rng.pick(kFirstNames)) + '.' + lower(m_rng.pick(kLastNames)) +
               "@example.com";
    case TextKind::Url:
        return "https://example.com/" + slug(topic()) + '/' + slug(topic());
    case TextKind::DateTime:
        return dateText() + 'T' + twoDigits(8 + m_rng.below(10)) + ':' +
               twoDigits(m_rng.below(4) * 15) + ":00Z";
    case TextKind::Date:
        return dateText();
    case TextKind::Statement: {
        std::string out = statementSentence();
        const std::size_t extra = 1 + m_rng.below(2);
        for (std::size_t i = 0; i < extra; ++i) {
            out += ' ' + sentence(TextKind::Statement);
        }
        return out;
    }
    case TextKind::Answer: {
        std::string out = sentence(kind);
        const std::size_t extra = 1 + m_rng.below(2);
        for (std::size_t i = 0; i < extra; ++i) {
            out += ' ' + sentence(kind);
        }
        return out;
    }
    case TextKind::Sentence:
        return sentence(kind) + (m_rng.chance(0.4) ? ' ' + sentence(kind) : std::string());
    default:
        return sentence(kind);
    }
}

// One to three words: for short strings.
std::string Prose::phrase(std::size_t maxLength)
{
    std::string p = m_rng.chance(0.5) ? topic() : topic() + ' ' + lower(m_rng.pick(kNouns));
    if (codePoints(p) > maxLength) {
        p = topic();
    }
    return p;
}

std::string Prose::slug(const std::string &text)
{
    std::string out;
    for (const char c : lower(text)) {
        out.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
    }
    return out;
}

std::string Prose::dateText()
{
    return "2025-" + twoDigits(1 + m_rng.below(12)) + '-' + twoDigits(1 + m_rng.below(28));
}

QString paragraph(quint64 seed, const QString &topic, const QString &hint, int sentences)
{
    const std::vector<std::string> words = topicPhrases(topic);
    Rng rng(hashText(topic.toStdString(), seed) ^ hashText(hint.toStdString()));
    Prose prose(rng, words);
    const TextKind kind = textKind(hint.toStdString());
    std::string out;
    for (int i = 0; i < std::max(1, sentences); ++i) {
        std::string s = i == 0 && (kind == TextKind::Statement || kind == TextKind::Sentence)
                            ? prose.statementSentence()
                            : prose.sentence(kind);
        // Avoid repeating a sentence verbatim.
        for (int t = 0; t < 4 && out.find(s) != std::string::npos; ++t) {
            s = prose.sentence(kind);
        }
        out += (out.empty() ? "" : " ") + s;
    }
    return QString::fromStdString(out);
}

} // namespace crucible::simulated
