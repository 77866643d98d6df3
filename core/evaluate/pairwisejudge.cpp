#include "core/evaluate/pairwisejudge.h"

#include "core/llm/structured/structuredcaller.h"
#include "core/model/jsonsupport.h"

#include <QFile>

namespace crucible {

using nlohmann::json;

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

json stringArray(const QStringList &list)
{
    json out = json::array();
    for (const QString &item : list)
        out.push_back(item.toStdString());
    return out;
}

std::optional<double> jnum(const json &j, const char *key)
{
    const auto it = j.find(key);
    if (it != j.end() && it->is_number())
        return it->get<double>();
    return std::nullopt;
}

json orderDoc(const OrderJudgement &o)
{
    json d = {{"verdict", s(toString(o.verdict))},
              {"rationale", s(o.rationale)},
              {"raw", o.raw},
              {"assessment_a", s(o.assessmentA)},
              {"assessment_b", s(o.assessmentB)},
              {"call_ids", stringArray(o.callIds)}};
    d["score_a"] = o.scoreA ? json(*o.scoreA) : json(nullptr);
    d["score_b"] = o.scoreB ? json(*o.scoreB) : json(nullptr);
    if (!o.error.isEmpty())
        d["error"] = s(o.error);
    return d;
}

std::optional<double> meanOf(std::optional<double> x, std::optional<double> y)
{
    if (x && y)
        return (*x + *y) / 20.0;
    if (x)
        return *x / 10.0;
    if (y)
        return *y / 10.0;
    return std::nullopt;
}

} // namespace

QString toString(PairVerdict v)
{
    switch (v) {
    case PairVerdict::A:
        return QStringLiteral("a");
    case PairVerdict::B:
        return QStringLiteral("b");
    case PairVerdict::Tie:
        return QStringLiteral("tie");
    case PairVerdict::Failed:
        break;
    }
    return QStringLiteral("failed");
}

std::optional<PairVerdict> pairVerdictFromString(const QString &s)
{
    if (s == u"a")
        return PairVerdict::A;
    if (s == u"b")
        return PairVerdict::B;
    if (s == u"tie")
        return PairVerdict::Tie;
    if (s == u"failed")
        return PairVerdict::Failed;
    return std::nullopt;
}

std::optional<double> scoreOfA(PairVerdict v)
{
    switch (v) {
    case PairVerdict::A:
        return 1.0;
    case PairVerdict::B:
        return 0.0;
    case PairVerdict::Tie:
        return 0.5;
    case PairVerdict::Failed:
        break;
    }
    return std::nullopt;
}

QString PairwiseJudgement::error() const
{
    QStringList parts;
    if (!ab.error.isEmpty())
        parts << QStringLiteral("A shown first: ") + ab.error;
    if (!ba.error.isEmpty())
        parts << QStringLiteral("B shown first: ") + ba.error;
    return parts.join(QStringLiteral("; "));
}

bool PairwiseJudgement::judgeAnswerInvalid() const
{
    if (!failed() || cancelled())
        return false;
    for (const OrderJudgement *o : {&ab, &ba}) {
        if (o->verdict != PairVerdict::Failed)
            continue;
        // A reached judge that answered wrongly: invalid JSON after repairs, a cut-off answer,
        // or a valid answer naming no winner.
        const bool invalid = o->errorKind == LlmError::Kind::InvalidOutput ||
                             o->errorKind == LlmError::Kind::Truncated ||
                             o->errorKind == LlmError::Kind::None;
        if (!invalid)
            return false;
    }
    return true;
}

QStringList PairwiseJudgement::callIds() const
{
    return ab.callIds + ba.callIds;
}

std::optional<double> PairwiseJudgement::costUsd() const
{
    if (!ab.costUsd || !ba.costUsd)
        return std::nullopt;
    return *ab.costUsd + *ba.costUsd;
}

qint64 PairwiseJudgement::tokens() const
{
    return ab.tokens + ba.tokens;
}

json PairwiseJudgement::doc() const
{
    json d = {
        {"ab", orderDoc(ab)}, {"ba", orderDoc(ba)}, {"length_a", lengthA}, {"length_b", lengthB}};
    if (!templateId.isEmpty())
        d["template"] = s(templateId) + "@" + std::to_string(templateVersion);
    if (failed())
        d["error"] = s(error());
    return d;
}

std::optional<double> PairwiseJudgement::meanScoreA() const
{
    return meanOf(ab.scoreA, ba.scoreA);
}

std::optional<double> PairwiseJudgement::meanScoreB() const
{
    return meanOf(ab.scoreB, ba.scoreB);
}

PairwiseJudge::PairwiseJudge(LlmClient &client, const PromptTemplates &templates)
    : m_client(client)
    , m_templates(templates)
{
}

const json &PairwiseJudge::schema()
{
    static const json loaded = [] {
        QFile f(QStringLiteral(":/schemas/%1.schema.json").arg(QString::fromLatin1(kSchemaName)));
        if (!f.open(QIODevice::ReadOnly))
            return json::object();
        return json::parse(f.readAll().toStdString(), nullptr, false);
    }();
    return loaded;
}

PairVerdict PairwiseJudge::combine(PairVerdict ab, PairVerdict ba)
{
    if (ab == PairVerdict::Failed || ba == PairVerdict::Failed)
        return PairVerdict::Failed;
    return ab == ba ? ab : PairVerdict::Tie;
}

OrderJudgement PairwiseJudge::fromAnswer(const json &answer, bool aShownFirst)
{
    OrderJudgement o;
    o.raw = answer;
    const QString winner = jsonio::stringOr(answer, "winner");
    const json first = answer.value("first", json::object());
    const json second = answer.value("second", json::object());
    const json &ofA = aShownFirst ? first : second;
    const json &ofB = aShownFirst ? second : first;
    o.rationale = jsonio::stringOr(answer, "rationale");
    o.assessmentA = jsonio::stringOr(ofA, "assessment");
    o.assessmentB = jsonio::stringOr(ofB, "assessment");
    o.scoreA = jnum(ofA, "score");
    o.scoreB = jnum(ofB, "score");
    if (winner == u"tie")
        o.verdict = PairVerdict::Tie;
    else if (winner == u"first")
        o.verdict = aShownFirst ? PairVerdict::A : PairVerdict::B;
    else if (winner == u"second")
        o.verdict = aShownFirst ? PairVerdict::B : PairVerdict::A;
    else
        o.error = QStringLiteral("the judge named no winner (\"%1\")").arg(winner);
    return o;
}

QCoro::Task<OrderJudgement> PairwiseJudge::judgeOrder(const PairwiseJudgeSpec &spec,
                                                      bool aShownFirst, QString *templateId,
                                                      int *templateVersion)
{
    const PairwiseCandidate &first = aShownFirst ? spec.a : spec.b;
    const PairwiseCandidate &second = aShownFirst ? spec.b : spec.a;
    json ctx = {{"domain", s(spec.problem.domain.isEmpty() ? QStringLiteral("general")
                                                           : spec.problem.domain)},
                {"problem", s(spec.problem.statement)},
                {"constraints", stringArray(spec.problem.constraints)},
                {"success_criteria", stringArray(spec.problem.successCriteria)},
                {"first", s(first.text)},
                {"second", s(second.text)}};
    const RenderedPrompt prompt = m_templates.render(QString::fromLatin1(kTemplateId), ctx);
    OrderJudgement failed;
    if (!prompt.ok()) {
        failed.error = QStringLiteral("the prompt template %1 could not be rendered: %2. Fix or "
                                      "remove the override file.")
                           .arg(QString::fromLatin1(kTemplateId), prompt.error);
        co_return failed;
    }
    *templateId = prompt.id;
    *templateVersion = prompt.version;

    StructuredCallSpec call;
    call.call.providerId = spec.providerId;
    call.call.request.system = spec.judgeSystemPrompt;
    call.call.request.agent = spec.judgeAgent;
    call.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    call.call.request.model = spec.model;
    call.call.request.temperature = spec.temperature;
    call.call.request.maxTokens = spec.maxTokens;
    call.call.jobId = spec.jobId;
    call.call.templateId = prompt.id;
    call.call.templateVersion = prompt.version;
    call.call.budget = spec.budget;
    call.call.cancel = spec.cancel;
    call.schema = schema();
    call.schemaName = QString::fromLatin1(kSchemaName);

    StructuredCaller caller(m_client, m_templates);
    StructuredOutcome outcome = co_await caller.call(std::move(call));

    OrderJudgement o;
    if (outcome.ok())
        o = fromAnswer(*outcome.value, aShownFirst);
    else if (outcome.error.kind == LlmError::Kind::Cancelled)
        o.cancelled = true;
    if (!outcome.ok()) {
        o.errorKind = outcome.error.kind;
        o.error = outcome.error.message.isEmpty() ? llmErrorKindName(outcome.error.kind)
                                                  : outcome.error.message;
        if (!outcome.lastText.isEmpty())
            o.raw = json{{"invalid_answer", s(outcome.lastText.left(4000))},
                         {"problems", stringArray(outcome.lastErrors)}};
    }
    o.callIds = outcome.callIds;
    o.costUsd = outcome.costUsd;
    o.tokens = outcome.tokensIn + outcome.tokensOut;
    o.cacheHit = outcome.cacheHit;
    co_return o;
}

QCoro::Task<PairwiseJudgement> PairwiseJudge::judge(PairwiseJudgeSpec spec)
{
    PairwiseJudgement out;
    out.lengthA = spec.a.effectiveLength();
    out.lengthB = spec.b.effectiveLength();
    QString idAb;
    QString idBa;
    int versionAb = 0;
    int versionBa = 0;
    // Both orders in flight at once: the tasks start eagerly and are awaited one after the other.
    QCoro::Task<OrderJudgement> abTask = judgeOrder(spec, true, &idAb, &versionAb);
    QCoro::Task<OrderJudgement> baTask = judgeOrder(spec, false, &idBa, &versionBa);
    OrderJudgement ab = co_await std::move(abTask);
    OrderJudgement ba = co_await std::move(baTask);
    out.ab = std::move(ab);
    out.ba = std::move(ba);
    out.templateId = idAb.isEmpty() ? idBa : idAb;
    out.templateVersion = versionAb != 0 ? versionAb : versionBa;
    out.winner = combine(out.ab.verdict, out.ba.verdict);
    co_return out;
}

} // namespace crucible
