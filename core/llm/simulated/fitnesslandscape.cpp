#include "core/llm/simulated/fitnesslandscape.h"

#include "core/agents/traitcatalogue.h"
#include "core/llm/simulated/rng.h"

#include <QRegularExpression>
#include <QStringBuilder>

#include <algorithm>
#include <cmath>

namespace crucible::simulated {

using nlohmann::json;

namespace {

const QString kQualityTag = QStringLiteral("Simulated landscape: the quality of this answer is ");

std::string text(const QString &s)
{
    return s.toStdString();
}

// Every user and system text of the request, as the model reads it.
QString promptText(const ChatRequest &request)
{
    QString text = request.system;
    for (const ChatMessage &m : request.messages)
        text += u'\n' % m.content;
    return text;
}

// The user messages only: what an agent was asked (a judge's prompt holds the solution).
QString userText(const ChatRequest &request)
{
    QString text;
    for (const ChatMessage &m : request.messages)
        if (m.role == ChatMessage::Role::User)
            text += m.content % u'\n';
    return text;
}

} // namespace

FitnessLandscape::FitnessLandscape(std::uint64_t seed)
    : m_seed(seed)
{
    Rng rng(hashText("crucible fitness landscape", seed));
    for (const QString &trait : TraitCatalogue::builtIn().names())
        m_optimum[trait] = static_cast<int>(rng.between(kOptimumLow, kOptimumHigh));
    std::vector<int> order(kVocabularySize);
    for (int i = 0; i < kVocabularySize; ++i)
        order[static_cast<size_t>(i)] = i;
    rng.shuffle(order);
    order.resize(kUsefulLessons);
    std::sort(order.begin(), order.end());
    for (const int i : order)
        m_useful << vocabulary()[i];
}

const QStringList &FitnessLandscape::vocabulary()
{
    static const QStringList phrases = {
        QStringLiteral("restate the goal in one sentence first"),
        QStringLiteral("list every assumption before the first step"),
        QStringLiteral("check each constraint against the final answer"),
        QStringLiteral("name the success criterion each step serves"),
        QStringLiteral("estimate the cost of the plan in numbers"),
        QStringLiteral("give a fallback for the riskiest step"),
        QStringLiteral("work backwards from the desired outcome"),
        QStringLiteral("split the problem into independent parts"),
        QStringLiteral("prefer the simplest plan that meets the criteria"),
        QStringLiteral("quantify uncertainty with ranges"),
        QStringLiteral("cite the source of every figure"),
        QStringLiteral("test the answer on a small example"),
        QStringLiteral("state what would prove the answer wrong"),
        QStringLiteral("order the steps by dependency"),
        QStringLiteral("flag any missing information explicitly"),
        QStringLiteral("compare at least two alternatives"),
        QStringLiteral("explain trade-offs between speed and quality"),
        QStringLiteral("keep the final answer under ten lines"),
        QStringLiteral("define every technical term on first use"),
        QStringLiteral("mark which steps can run in parallel"),
        QStringLiteral("set a deadline for each milestone"),
        QStringLiteral("identify the stakeholders affected"),
        QStringLiteral("note the legal or compliance limits"),
        QStringLiteral("round numbers only at the end"),
        QStringLiteral("verify units in every calculation"),
        QStringLiteral("describe how to measure progress"),
        QStringLiteral("anticipate the most likely objection"),
        QStringLiteral("separate facts from opinions"),
        QStringLiteral("prioritise by expected impact"),
        QStringLiteral("reuse an existing solution where possible"),
        QStringLiteral("show the arithmetic for every total"),
        QStringLiteral("include a short risk register"),
        QStringLiteral("end with the single next action"),
        QStringLiteral("avoid jargon unless the reader uses it"),
        QStringLiteral("name an owner for each task"),
        QStringLiteral("budget time for review and rework"),
        QStringLiteral("check edge cases such as zero and empty input"),
        QStringLiteral("document the decision criteria"),
        QStringLiteral("state the scope and what is out of scope"),
        QStringLiteral("use a table when comparing options"),
        QStringLiteral("give a concrete example for each rule"),
        QStringLiteral("bound the worst case explicitly"),
        QStringLiteral("test the plan against a failure scenario"),
        QStringLiteral("keep a log of changed assumptions"),
        QStringLiteral("summarise the answer before the details"),
        QStringLiteral("prefer reversible decisions early"),
        QStringLiteral("check the solution for internal contradictions"),
        QStringLiteral("name the metric that defines success"),
        QStringLiteral("consider the long-term maintenance cost"),
        QStringLiteral("validate inputs before using them"),
        QStringLiteral("sketch the data flow end to end"),
        QStringLiteral("challenge the first idea with a counterexample"),
        QStringLiteral("schedule a checkpoint halfway through"),
        QStringLiteral("write steps a newcomer could follow"),
        QStringLiteral("account for seasonal variation"),
        QStringLiteral("limit each step to one verb"),
        QStringLiteral("reconcile totals with the original figures"),
        QStringLiteral("ask what the user already tried"),
        QStringLiteral("make every recommendation actionable"),
        QStringLiteral("close with the conditions for revisiting the plan"),
    };
    return phrases;
}

QStringList FitnessLandscape::phrasesIn(const QString &text)
{
    QStringList out;
    for (const QString &phrase : vocabulary())
        if (text.contains(phrase, Qt::CaseInsensitive))
            out << phrase;
    return out;
}

LandscapeQuality FitnessLandscape::quality(const std::map<QString, int> &traits,
                                           const QStringList &instructions) const
{
    LandscapeQuality out;
    double sum = 0;
    for (const auto &[trait, best] : m_optimum) {
        const auto it = traits.find(trait);
        const double value = it == traits.end() ? 50.0 : static_cast<double>(it->second);
        const double d = (value - best) / kTraitScale;
        sum += d * d;
    }
    out.traitPart = 0.5 * std::exp(-sum / 2.0);
    for (const QString &phrase : phrasesIn(instructions.join(u'\n'))) {
        if (m_useful.contains(phrase))
            ++out.useful;
        else
            ++out.other;
    }
    out.lessonPart =
        0.5 * std::max(0.0, out.useful - out.other / 2.0) / static_cast<double>(kUsefulLessons);
    out.q = out.traitPart + out.lessonPart;
    return out;
}

LandscapeQuality FitnessLandscape::quality(const AgentContext &agent) const
{
    return quality(agent.traits, agent.instructions);
}

std::optional<json> FitnessLandscape::answer(const ChatRequest &request, std::uint64_t hash) const
{
    if (request.format != ResponseFormat::JsonSchema)
        return std::nullopt;
    const std::uint64_t h = hashText(std::to_string(hash), m_seed);
    if (request.schemaName == kSolutionSchema && !request.agent.empty())
        return solution(request, h);
    if (request.schemaName == kVerdictSchema)
        return verdict(request, h);
    if (request.schemaName == kReflectionSchema)
        return reflection(request, h);
    return std::nullopt;
}

std::optional<double> FitnessLandscape::qualityInText(const QString &text)
{
    static const QRegularExpression tag(QRegularExpression::escape(kQualityTag) %
                                        QStringLiteral("(-?[0-9]+\\.[0-9]+)"));
    const QRegularExpressionMatch m = tag.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toDouble();
}

json FitnessLandscape::solution(const ChatRequest &request, std::uint64_t hash) const
{
    Rng rng(hash);
    const double noisy = quality(request.agent).q + kSolutionNoise * rng.normal();
    // The lessons the agent applies are those of its instructions the vocabulary knows.
    const QStringList applied = phrasesIn(request.agent.instructions.join(u'\n'));
    json steps = json::array();
    steps.push_back("Read the problem, its constraints and its success criteria.");
    constexpr qsizetype kPerStep = 6;
    for (qsizetype i = 0; i < applied.size(); i += kPerStep)
        steps.push_back(text(QStringLiteral("Apply the lessons: ") %
                             applied.mid(i, kPerStep).join(QStringLiteral("; ")) % u'.'));
    steps.push_back("Check the result against every criterion.");
    const QString question = userText(request).simplified().left(160);
    return {
        {"approach", text(QStringLiteral("Solve it directly, as a ") % request.agent.role %
                          QStringLiteral(" with the given personality would: ") % question)},
        {"steps", steps},
        {"final_answer", "A worked answer following the steps above (simulated)."},
        {"assumptions", json::array({text(kQualityTag % QString::number(noisy, 'f', 4) % u'.')})}};
}

QString FitnessLandscape::qualityText(double q)
{
    return kQualityTag % QString::number(q, 'f', 4) % u'.';
}

bool FitnessLandscape::flawed(const QString &judgeVersionId, const QString &solutionText) const
{
    const auto it = m_flaws.find(judgeVersionId);
    const auto q = qualityInText(solutionText);
    return it != m_flaws.end() && q &&
           flawApplies(it->second, m_seed, judgeVersionId, QString::number(*q, 'f', 4));
}

json FitnessLandscape::verdict(const ChatRequest &request, std::uint64_t hash) const
{
    Rng rng(hash);
    // What was judged is in the user messages (the judge's own system prompt is not evidence),
    // after the last "Solution:" heading when there is one (calibration examples come before).
    const QString prompt = userText(request);
    const qsizetype at = prompt.lastIndexOf(QStringLiteral("\nSolution:\n"));
    const QString judged = at >= 0 ? prompt.mid(at) : prompt;
    double score = std::clamp(qualityInText(judged).value_or(0.5), 0.0, 1.0);
    double confidence = 0.8;
    if (const auto flaw = m_flaws.find(request.agent.versionId); flaw != m_flaws.end()) {
        const JudgeFlaw &f = flaw->second;
        if (flawed(request.agent.versionId, judged))
            score = f.invert ? 1.0 - score : score + f.offset;
        score += f.noise * rng.normal();
        confidence = f.confidenceLow + (f.confidenceHigh - f.confidenceLow) * rng.unit();
        if (f.learnsFromExamples && at >= 0)
            if (const auto c = exampleCorrection(prompt.left(at)))
                score += c->first * c->second / (c->second + 1.0);
        score = std::clamp(score, 0.0, 1.0);
    }
    // A useful lesson the solution lacks (the solution applies the phrases it contains).
    const QStringList present = phrasesIn(prompt);
    QStringList lacking;
    for (const QString &lesson : m_useful)
        if (!present.contains(lesson))
            lacking << lesson;
    QString feedback;
    if (lacking.isEmpty())
        feedback = QStringLiteral("It applies every lesson this judge looks for.");
    else
        feedback = QStringLiteral("The solution would be better if it applied this lesson: \"") %
                   lacking[static_cast<qsizetype>(rng.below(static_cast<size_t>(lacking.size())))] %
                   QStringLiteral("\".");
    json scores = json::object();
    const json properties = request.schema.value("properties", json::object())
                                .value("scores", json::object())
                                .value("properties", json::object());
    for (const auto &[aspect, unused] : properties.items())
        scores[aspect] = {{"score", std::round(score * 1000.0) / 1000.0},
                          {"rationale", text(QStringLiteral("Scored %1 on %2. ")
                                                 .arg(QString::number(score, 'f', 3),
                                                      QString::fromStdString(aspect)) %
                                             feedback)}};
    return {{"scores", scores},
            {"confidence", std::round(confidence * 1000.0) / 1000.0},
            {"summary", text(QStringLiteral("Overall %1. ").arg(score, 0, 'f', 3) % feedback)}};
}

json FitnessLandscape::reflection(const ChatRequest &request, std::uint64_t hash) const
{
    Rng rng(hash);
    const QStringList mentioned = phrasesIn(promptText(request));
    QStringList lessons;
    for (const QString &phrase : mentioned)
        if (rng.chance(kKeepMentioned))
            lessons << phrase;
    // An idea of its own: a vocabulary phrase the prompt does not mention (more than one when
    // the prompt gives nothing to go on).
    const int invent = mentioned.isEmpty() ? 1 + static_cast<int>(rng.below(4))
                                           : (rng.chance(kInventProbability) ? 1 : 0);
    for (int i = 0; i < invent; ++i) {
        const QString &phrase =
            vocabulary()[static_cast<qsizetype>(rng.below(static_cast<size_t>(kVocabularySize)))];
        if (!mentioned.contains(phrase) && !lessons.contains(phrase))
            lessons << phrase;
    }
    json list = json::array();
    for (const QString &lesson : lessons)
        list.push_back(lesson.toStdString());
    return {{"analysis", (QStringLiteral("Read %1 lesson(s) in the traces; proposing %2.")
                              .arg(mentioned.size())
                              .arg(lessons.size()))
                             .toStdString()},
            {"lessons", list}};
}

} // namespace crucible::simulated
