#include "core/evolve/lineage.h"

#include "core/evaluate/bootstrap.h"
#include "core/evaluate/bradleyterry.h"
#include "core/evolve/evolutionmonitor.h"
#include "core/evolve/optimiser.h"
#include "core/generate/diversity.h"

#include <QStringBuilder>

namespace crucible::evolve {

using nlohmann::json;

namespace {

QString describeTask(const json &pending, const std::vector<Candidate> &candidates)
{
    const QString kind = QString::fromStdString(pending.value("kind", std::string()));
    const int c = pending.value("candidate", -1);
    const QString op = c >= 0 && c < static_cast<int>(candidates.size())
                           ? candidates[static_cast<size_t>(c)].op
                           : QString();
    if (kind == u"evaluate")
        return QStringLiteral("candidate %1 (%2) solves %3, then the judge scores it")
            .arg(c)
            .arg(op, QString::fromStdString(pending.value("problem_id", std::string())));
    if (kind == u"reflect")
        return QStringLiteral("reflecting on candidate %1's traces to propose a child").arg(c);
    return kind;
}

} // namespace

Lineage lineageOf(const TrainingRun &run, int bootstrapRounds)
{
    Lineage out;
    out.runId = run.id;
    out.cycles = run.metrics.is_array() ? static_cast<int>(run.metrics.size()) : 0;
    const auto checkpoint = run.config.find("checkpoint");
    if (checkpoint == run.config.end() || !checkpoint->is_object())
        return out;
    std::unique_ptr<Optimiser> optimiser;
    try {
        optimiser = Optimiser::fromJson(*checkpoint);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
        return out;
    }
    const std::vector<Candidate> &all = optimiser->candidates();
    const QStringList &validation = optimiser->split().validation;
    const int best = optimiser->best();
    std::vector<PairOutcome> outcomes;
    for (const Candidate &c : all) {
        LineageNode n;
        n.id = c.id;
        n.parent = c.parent;
        n.op = c.op;
        n.accepted = c.accepted;
        n.best = c.id == best;
        n.versionId = c.versionId;
        std::vector<double> scores;
        for (const QString &p : validation)
            if (const auto it = c.scores.find(p); it != c.scores.end())
                scores.push_back(it->second.score);
        n.validationProblems = static_cast<int>(scores.size());
        if (!c.scores.empty()) {
            double sum = 0;
            for (const auto &[problem, score] : c.scores)
                sum += score.score;
            n.scoredMean = sum / static_cast<double>(c.scores.size());
        }
        if (!scores.empty()) {
            const BootstrapInterval ci = bootstrapMean(scores, std::max(1, bootstrapRounds),
                                                       static_cast<std::uint64_t>(c.id + 1));
            n.validationMean = ci.mean;
            n.validationLow = bootstrapRounds > 0 ? ci.low : ci.mean;
            n.validationHigh = bootstrapRounds > 0 ? ci.high : ci.mean;
        }
        n.minibatchParent = c.minibatchParent;
        n.minibatchChild = c.minibatchChild;
        n.why = c.why;
        n.change = c.change;
        const json definition = c.definition.toJson();
        n.traits = definition.value("traits", json::object());
        n.instructions = c.definition.instructions;
        out.nodes.push_back(std::move(n));
        // Head-to-heads: the child against its parent on every problem both were scored on.
        if (c.parent < 0 || c.parent >= static_cast<int>(all.size()))
            continue;
        const Candidate &parent = all[static_cast<size_t>(c.parent)];
        for (const auto &[problem, score] : c.scores) {
            const auto theirs = parent.scores.find(problem);
            if (theirs == parent.scores.end())
                continue;
            const double d = score.score - theirs->second.score;
            outcomes.push_back({c.id, c.parent, d > 1e-9 ? 1.0 : d < -1e-9 ? 0.0 : 0.5});
        }
    }
    if (!outcomes.empty()) {
        BradleyTerryOptions options;
        options.bootstrapRounds = bootstrapRounds;
        const BradleyTerryResult r =
            BradleyTerry::rate(static_cast<int>(all.size()), outcomes, options);
        for (size_t i = 0; i < out.nodes.size() && i < r.ratings.size(); ++i) {
            const BradleyTerryRating &rating = r.ratings[i];
            if (rating.comparisons == 0)
                continue;
            LineageNode &n = out.nodes[i];
            n.rating = rating.rating;
            n.ratingLow = rating.ciLow;
            n.ratingHigh = rating.ciHigh;
            n.matches = rating.comparisons;
            n.wins = rating.wins;
            n.losses = rating.losses;
            n.ties = rating.ties;
        }
    }
    RunStatus diversity;
    EvolutionMonitor::addDiversity(diversity, run);
    out.diversitySolutions = diversity.diversitySolutions;
    out.distinct2 = diversity.distinct2;
    out.meanSimilarity = diversity.meanSimilarity;
    // The live match: the unit in flight, and the latest minibatch test of a child.
    if (const auto pending = checkpoint->find("pending"); pending != checkpoint->end())
        out.inFlight = describeTask(*pending, all);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->parent < 0 || !it->minibatchChild)
            continue;
        out.matchChild = it->id;
        out.matchParent = it->parent;
        const Candidate &parent = all[static_cast<size_t>(it->parent)];
        for (const auto &[problem, score] : it->scores)
            if (!validation.contains(problem))
                if (const auto p = parent.scores.find(problem); p != parent.scores.end())
                    out.match.push_back({problem, p->second.score, score.score});
        break;
    }
    return out;
}

void EvolutionMonitor::addDiversity(RunStatus &s, const TrainingRun &run)
{
    // The accepted versions' solutions (abridged as the checkpoint keeps them), newest first,
    // at most 300: how varied what the run's agents write is.
    constexpr size_t kMaxTexts = 300;
    const auto checkpoint = run.config.find("checkpoint");
    if (checkpoint == run.config.end() || !checkpoint->is_object())
        return;
    std::unique_ptr<Optimiser> optimiser;
    try {
        optimiser = Optimiser::fromJson(*checkpoint);
    } catch (const std::exception &) {
        return; // an unreadable checkpoint: no diversity measure
    }
    std::vector<QString> texts;
    const std::vector<Candidate> &all = optimiser->candidates();
    for (auto it = all.rbegin(); it != all.rend() && texts.size() < kMaxTexts; ++it) {
        if (!it->accepted)
            continue;
        for (const auto &[problem, score] : it->scores)
            if (!score.solution.trimmed().isEmpty() && texts.size() < kMaxTexts)
                texts.push_back(score.solution);
    }
    if (texts.size() < 2)
        return;
    const DiversityReport d = Diversity::measure(texts);
    s.diversitySolutions = static_cast<int>(texts.size());
    s.distinct1 = d.distinct1;
    s.distinct2 = d.distinct2;
    s.meanSimilarity = d.meanPairwiseJaccard;
}

QString describeNode(const LineageNode &n)
{
    QString html = QStringLiteral("<h3>Candidate %1 · %2</h3>").arg(n.id).arg(n.op.toHtmlEscaped());
    html += QStringLiteral("<p>%1%2%3</p>")
                .arg(n.parent >= 0 ? QStringLiteral("child of %1 · ").arg(n.parent) : QString(),
                     n.accepted ? QStringLiteral("<b>accepted</b>") : QStringLiteral("rejected"),
                     n.versionId.isEmpty()
                         ? QString()
                         : QStringLiteral(" · stored as ") % n.versionId.toHtmlEscaped());
    if (n.validationMean)
        html += QStringLiteral("<p>Validation mean %1 (95 % CI %2 to %3, %4 problems)</p>")
                    .arg(*n.validationMean, 0, 'f', 3)
                    .arg(n.validationLow, 0, 'f', 3)
                    .arg(n.validationHigh, 0, 'f', 3)
                    .arg(n.validationProblems);
    if (n.minibatchParent && n.minibatchChild)
        html += QStringLiteral("<p>Minibatch test: parent %1, child %2</p>")
                    .arg(*n.minibatchParent, 0, 'f', 3)
                    .arg(*n.minibatchChild, 0, 'f', 3);
    if (n.rating)
        html += QStringLiteral("<p>Rating %1 (95 % CI %2 to %3) from %4 matches: %5 won, %6 lost, "
                               "%7 tied</p>")
                    .arg(*n.rating, 0, 'f', 0)
                    .arg(n.ratingLow, 0, 'f', 0)
                    .arg(n.ratingHigh, 0, 'f', 0)
                    .arg(n.matches)
                    .arg(n.wins)
                    .arg(n.losses)
                    .arg(n.ties);
    if (!n.why.isEmpty())
        html += QStringLiteral("<p><b>Why</b>: %1</p>").arg(n.why.toHtmlEscaped());
    if (!n.change.is_null() && !n.change.empty())
        html += QStringLiteral("<p><b>Changed</b>: <code>%1</code></p>")
                    .arg(QString::fromStdString(n.change.dump()).toHtmlEscaped());
    html += QStringLiteral("<p><b>Traits</b>: ");
    QStringList traits;
    if (n.traits.is_object())
        for (const auto &[name, value] : n.traits.items())
            traits << QStringLiteral("%1 %2").arg(QString::fromStdString(name),
                                                  QString::fromStdString(value.dump()));
    html += traits.join(QStringLiteral(" · ")).toHtmlEscaped() % QStringLiteral("</p>");
    html += QStringLiteral("<p><b>Lessons</b></p><ol>");
    if (n.instructions.is_array())
        for (const json &l : n.instructions)
            html += QStringLiteral("<li>%1</li>")
                        .arg(QString::fromStdString(l.is_string() ? l.get<std::string>() : l.dump())
                                 .toHtmlEscaped());
    html += QStringLiteral("</ol>");
    return html;
}

} // namespace crucible::evolve
