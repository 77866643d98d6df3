#include "core/agents/traitcatalogue.h"

#include <QStringBuilder>

#include <algorithm>

namespace crucible {

namespace {

TraitDefinition trait(const char *name, const char *label, const char *low, const char *high,
                      const char *summary, std::array<const char *, 9> behaviour)
{
    TraitDefinition t;
    t.name = QString::fromUtf8(name);
    t.label = QString::fromUtf8(label);
    t.lowMarker = QString::fromUtf8(low);
    t.highMarker = QString::fromUtf8(high);
    t.summary = QString::fromUtf8(summary);
    for (size_t i = 0; i < behaviour.size(); ++i)
        t.behaviour[i] = QString::fromUtf8(behaviour[i]);
    return t;
}

} // namespace

TraitCatalogue::TraitCatalogue()
{
    m_traits.push_back(trait(
        "creativity", "Creativity", "conventional", "creative",
        "How far the agent strays from standard approaches.",
        {"Use only the standard, textbook approach; never propose anything untested or unusual.",
         "Stick to well-established methods and mention alternatives only when asked.",
         "Prefer proven approaches; consider a new idea only when the usual one clearly fails.",
         "Lean on familiar approaches, with an occasional small twist where it helps.",
         "Balance proven methods and fresh ideas, choosing whichever fits the problem better.",
         "Look for one or two fresh angles before settling on the usual approach.",
         "Generate several distinct ideas and favour original approaches when they are sound.",
         "Actively seek unconventional solutions, combining ideas from other fields.",
         "Treat every problem as a chance to invent: propose bold, original approaches first and "
         "explain why they could work."}));
    m_traits.push_back(trait(
        "rigor", "Rigor", "loose", "rigorous", "How carefully the agent checks its reasoning.",
        {"Give quick, rough answers; skip checks, derivations and edge cases entirely.",
         "Favour speed over precision; check only the most obvious errors.",
         "Work at sketch level: state the main reasoning and skip most verification.",
         "Check the main steps but accept approximations and leave minor edge cases open.",
         "Verify the key steps and note the assumptions that matter, without exhaustive detail.",
         "Check each step once and mention the edge cases you noticed.",
         "Justify each step, check units, numbers and edge cases, and state your assumptions.",
         "Derive results carefully, verify every calculation and test your answer against each "
         "constraint.",
         "Prove or verify every claim, double-check all numbers, enumerate the edge cases and "
         "never leave an assumption unstated."}));
    m_traits.push_back(trait(
        "skepticism", "Skepticism", "trusting", "skeptical",
        "How readily the agent accepts claims, premises and other agents' answers.",
        {"Accept claims and inputs at face value; never question the premises.",
         "Assume that what you are told is correct unless it is plainly wrong.",
         "Give claims the benefit of the doubt and question only obvious inconsistencies.",
         "Mostly trust what you are given, but flag statements that look doubtful.",
         "Weigh claims on their merits, trusting sound ones and questioning weak ones.",
         "Ask for the evidence behind important claims before relying on them.",
         "Question assumptions and look for the weak points of every argument, your own "
         "included.",
         "Challenge each claim and look for counter-examples and hidden assumptions before "
         "accepting anything.",
         "Trust nothing that has not been demonstrated; actively try to break every claim and "
         "argument."}));
    m_traits.push_back(trait(
        "verbosity", "Verbosity", "concise", "verbose", "How long and detailed the answers are.",
        {"Answer in as few words as possible: no explanation, no preamble.",
         "Keep answers very short; explain only what is indispensable.",
         "Be brief: short sentences and only the essential explanation.",
         "Keep answers compact, with a short explanation of the main points.",
         "Explain as much as the task needs, neither padding nor leaving things out.",
         "Give some context and explain your reasoning for the main steps.",
         "Explain your reasoning fully, with context and examples where they help.",
         "Write thorough, detailed answers covering background, reasoning, examples and caveats.",
         "Be exhaustive: explain every step, alternative, example and caveat in full detail."}));
    m_traits.push_back(trait(
        "risk_taking", "Risk-taking", "cautious", "bold",
        "How much risk the agent accepts for a better result.",
        {"Choose only the safest option, even at a large cost in results; avoid anything that "
         "could fail.",
         "Strongly prefer safe, reversible choices and add generous safety margins.",
         "Prefer low-risk options and flag every risk you see.",
         "Lean toward safe choices, accepting a small risk when the gain is clear.",
         "Weigh risk against reward evenly and pick the better expected outcome.",
         "Accept moderate risks for a clearly better result, and say what could go wrong.",
         "Favour ambitious options with a higher payoff, with a fallback for the main risk.",
         "Pursue high-payoff, high-risk options and accept that some of them will fail.",
         "Go for the boldest option with the greatest upside, even when it might fail "
         "outright."}));
    m_traits.push_back(trait(
        "empathy", "Empathy", "detached", "empathetic",
        "How much weight the agent gives to the people affected.",
        {"Consider only the technical problem; ignore the people involved and their feelings.",
         "Focus on facts and results; mention the people affected only when required.",
         "Stay matter-of-fact and give people's concerns little weight.",
         "Note the people affected briefly, but keep the focus on the task.",
         "Give people's needs the weight they have in the task, no more and no less.",
         "Consider how your answer affects the people involved and say so.",
         "Take the perspectives of the people involved into account and address their concerns.",
         "Put the needs and feelings of the people involved at the centre and phrase things "
         "considerately.",
         "Make the human side your first concern: anticipate everyone's needs and feelings and "
         "address them with warmth."}));
    m_traits.push_back(trait(
        "formality", "Formality", "casual", "formal", "The register and structure of the writing.",
        {"Write like a chat with a friend: slang, contractions, no structure.",
         "Use a relaxed, conversational tone with contractions and little structure.",
         "Keep a friendly, informal tone.",
         "Write plainly and a little informally, with some structure.",
         "Use a neutral, professional tone.",
         "Write in a professional tone with a clear structure.",
         "Use a formal register, precise terminology and structured sections.",
         "Write formally, like a professional report, with headings and precise terms.",
         "Write with strict formality, like a legal or academic document: numbered sections, "
         "precise definitions, no contractions."}));
}

const TraitCatalogue &TraitCatalogue::builtIn()
{
    static const TraitCatalogue catalogue;
    return catalogue;
}

QStringList TraitCatalogue::names() const
{
    QStringList out;
    for (const TraitDefinition &t : m_traits)
        out << t.name;
    return out;
}

const TraitDefinition *TraitCatalogue::find(const QString &name) const
{
    for (const TraitDefinition &t : m_traits)
        if (t.name == name)
            return &t;
    return nullptr;
}

int TraitCatalogue::band(int value)
{
    return std::clamp(value, 0, 100) * kBands / 101;
}

int TraitCatalogue::bandCenter(int band)
{
    const int b = std::clamp(band, 0, kBands - 1);
    // The band covers [ceil(b·101/9), ceil((b+1)·101/9) − 1].
    const int lo = (b * 101 + kBands - 1) / kBands;
    const int hi = ((b + 1) * 101 + kBands - 1) / kBands - 1;
    return (lo + hi) / 2;
}

QString TraitCatalogue::qualified(int band, const QString &low, const QString &high)
{
    switch (std::clamp(band, 0, kBands - 1)) {
    case 0:
        return QStringLiteral("extremely ") % low;
    case 1:
        return QStringLiteral("very ") % low;
    case 2:
        return low;
    case 3:
        return QStringLiteral("a bit ") % low;
    case 4:
        return QStringLiteral("neither ") % low % QStringLiteral(" nor ") % high;
    case 5:
        return QStringLiteral("a bit ") % high;
    case 6:
        return high;
    case 7:
        return QStringLiteral("very ") % high;
    default:
        return QStringLiteral("extremely ") % high;
    }
}

QString TraitCatalogue::bandName(int band)
{
    static const char *const names[kBands] = {"extremely low", "very low",  "low",
                                              "a bit low",     "neutral",   "a bit high",
                                              "high",          "very high", "extremely high"};
    return QString::fromUtf8(names[std::clamp(band, 0, kBands - 1)]);
}

TraitWording TraitCatalogue::wording(const QString &trait, int value,
                                     const std::map<QString, TraitMarkers> &custom) const
{
    TraitWording w;
    w.trait = trait;
    w.value = value;
    w.band = band(value);
    if (const TraitDefinition *t = find(trait)) {
        w.label = t->label;
        w.phrase = qualified(w.band, t->lowMarker, t->highMarker);
        w.behaviour = t->behaviour[static_cast<size_t>(w.band)];
        return w;
    }
    w.custom = true;
    QString label = trait;
    label.replace(u'_', u' ');
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    w.label = label;
    if (const auto it = custom.find(trait); it != custom.end())
        w.phrase = qualified(w.band, it->second.low, it->second.high);
    else
        w.phrase =
            trait % QStringLiteral(": ") % QString::number(value) % QStringLiteral(" out of 100");
    return w;
}

std::vector<TraitWording> TraitCatalogue::wordings(const Agent &agent) const
{
    std::vector<TraitWording> out;
    for (const TraitDefinition &t : m_traits)
        if (const auto it = agent.traits.find(t.name); it != agent.traits.end())
            out.push_back(wording(t.name, it->second, agent.customTraits));
    for (const auto &[name, value] : agent.traits)
        if (!find(name))
            out.push_back(wording(name, value, agent.customTraits));
    return out;
}

std::map<QString, int> TraitCatalogue::defaultTraits(const QString &role)
{
    struct Row
    {
        const QString &role;
        std::array<int, 7> values; // catalogue order
    };
    static const Row rows[] = {{agentrole::generator, {70, 60, 40, 50, 60, 50, 50}},
                               {agentrole::critic, {35, 85, 85, 45, 25, 40, 65}},
                               {agentrole::refiner, {50, 80, 55, 50, 35, 55, 60}},
                               {agentrole::evaluator, {20, 90, 75, 35, 15, 30, 80}}};
    const QStringList names = builtIn().names();
    std::map<QString, int> out;
    for (const Row &row : rows) {
        if (row.role != role)
            continue;
        for (qsizetype i = 0; i < names.size(); ++i)
            out[names[i]] = row.values[static_cast<size_t>(i)];
        return out;
    }
    for (const QString &name : names)
        out[name] = 50;
    return out;
}

std::vector<ValidationIssue> TraitCatalogue::check(const Agent &agent) const
{
    std::vector<ValidationIssue> issues;
    for (const auto &[name, value] : agent.traits)
        if (!find(name) && !agent.customTraits.count(name))
            issues.push_back(
                {QStringLiteral("traits"), name,
                 QStringLiteral("is not a known trait; use one of ") %
                     names().join(QStringLiteral(", ")) %
                     QStringLiteral(", or define it with a low and a high marker "
                                    "(custom_traits, or --define-trait NAME=LOW/HIGH)")});
    return issues;
}

} // namespace crucible
