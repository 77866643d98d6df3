#pragma once
// PairwiseJudge: compares two solutions of one problem with a judge agent version, always in both
// orders (A shown first, then B shown first; the two calls run concurrently). Each order's verdict
// is mapped back to solution A/B; the comparison's winner is their agreement, a tie when they
// disagree (the position-bias remedy of MT-Bench), and failed when either order has no valid
// answer after the structured caller's repairs (never a verdict). Takes solution texts and
// lengths, not solution records. Same thread as the LlmClient.

#include "core/llm/cancellation.h"
#include "core/llm/llmbudget.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <QCoro/QCoroTask>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

namespace crucible {

enum class PairVerdict { A, B, Tie, Failed };
QString toString(PairVerdict v); // "a", "b", "tie", "failed" (the comparisons table's words)
std::optional<PairVerdict> pairVerdictFromString(const QString &s);
// The score of solution A (1, 0, 0.5) for a decided verdict; nullopt for Failed.
std::optional<double> scoreOfA(PairVerdict v);

struct PairwiseProblem
{
    QString domain;
    QString statement;
    QStringList constraints;
    QStringList successCriteria;
};

struct PairwiseCandidate
{
    QString solutionId;
    QString text;    // the solution as plain text, as the judge sees it
    int length = -1; // characters used for length control; -1: text.size()

    int effectiveLength() const { return length >= 0 ? length : static_cast<int>(text.size()); }
};

struct PairwiseJudgeSpec
{
    PairwiseProblem problem;
    PairwiseCandidate a;
    PairwiseCandidate b;
    QString judgeVersionId;
    QString judgeSystemPrompt; // the judge agent version's rendered system prompt
    AgentContext judgeAgent;   // the judge version's request context (ChatRequest::agent)
    QString providerId;
    QString model;
    std::optional<double> temperature = 0.0;
    std::optional<int> maxTokens;
    QString jobId;
    std::shared_ptr<LlmBudget> budget;
    CancelToken cancel;
};

// One order's answer, already expressed in terms of solution A and B.
struct OrderJudgement
{
    PairVerdict verdict = PairVerdict::Failed;
    QString rationale;
    QString assessmentA;
    QString assessmentB;
    std::optional<double> scoreA; // 0–10 as the judge gave it
    std::optional<double> scoreB;
    nlohmann::json raw; // the judge's JSON answer (null when there was none)
    QString error;      // why the order failed
    LlmError::Kind errorKind = LlmError::Kind::None;
    bool cancelled = false;
    QStringList callIds;
    std::optional<double> costUsd; // unset when a call was unpriced
    qint64 tokens = 0;
    bool cacheHit = false;
};

struct PairwiseJudgement
{
    OrderJudgement ab; // A shown first
    OrderJudgement ba; // B shown first
    PairVerdict winner = PairVerdict::Failed;
    int lengthA = 0;
    int lengthB = 0;
    QString templateId;
    int templateVersion = 0;

    bool failed() const { return winner == PairVerdict::Failed; }
    bool cancelled() const { return ab.cancelled || ba.cancelled; }
    // Failed because the judge's answers stayed invalid (a failed comparison to record), as
    // opposed to failing to reach the judge at all (network, budget, configuration).
    bool judgeAnswerInvalid() const;
    QString error() const; // both orders' errors, for a failed comparison
    QStringList callIds() const;
    std::optional<double> costUsd() const;
    qint64 tokens() const;
    // The comparisons.doc contract: {"ab": {"rationale", "raw", ...}, "ba": {...}, "length_a",
    // "length_b"} (+ "error" for a failed comparison, "template").
    nlohmann::json doc() const;
    // The mean of the judge's two 0–10 scores of a solution, scaled to 0–1 (nullopt if none).
    std::optional<double> meanScoreA() const;
    std::optional<double> meanScoreB() const;
};

class PairwiseJudge final
{
public:
    static constexpr const char *kTemplateId = "judge.pairwise";
    static constexpr const char *kSchemaName = "judge_pairwise";

    PairwiseJudge(LlmClient &client, const PromptTemplates &templates);

    // Never throws; failures are in the judgement.
    QCoro::Task<PairwiseJudgement> judge(PairwiseJudgeSpec spec);

    // The winner from the two orders' verdicts: the agreement, Tie when they disagree, Failed
    // when either failed.
    static PairVerdict combine(PairVerdict ab, PairVerdict ba);
    // One order's JSON answer (schema judge_pairwise) mapped to A/B.
    static OrderJudgement fromAnswer(const nlohmann::json &answer, bool aShownFirst);
    static const nlohmann::json &schema();

private:
    QCoro::Task<OrderJudgement> judgeOrder(const PairwiseJudgeSpec &spec, bool aShownFirst,
                                           QString *templateId, int *templateVersion);

    LlmClient &m_client;
    const PromptTemplates &m_templates;
};

} // namespace crucible
