// `crucible-cli calls WS`: the LLM call ledger of a workspace, newest first.

#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace crucible::cli {

namespace {

class CallsCommand final : public Command
{
public:
    const char *name() const override { return "calls"; }
    const char *description() const override
    {
        return "List the LLM calls recorded in a workspace (the ledger), newest first";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--job", m_job, "Only the calls of this job");
        app.add_option("--provider", m_provider, "Only the calls to this provider id");
        app.add_option("--status", m_status,
                       "Only calls with this status: ok, error, invalid, "
                       "cancelled");
        app.add_option("--limit,-n", m_limit, "Show at most this many calls")
            ->check(CLI::Range(1, 1'000'000))
            ->capture_default_str();
    }

    int execute(Console &console) override
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        LlmCallRepository repo(*ws);
        LlmCallFilter filter;
        filter.jobId = fromStd(m_job);
        filter.provider = fromStd(m_provider);
        filter.status = fromStd(m_status);
        const std::vector<LlmCallSummary> calls = repo.page(filter, m_limit);
        const qint64 total = repo.count(filter);

        if (console.json()) {
            nlohmann::json rows = nlohmann::json::array();
            for (const LlmCallSummary &c : calls) {
                nlohmann::json row = {
                    {"id", c.id.toStdString()},
                    {"created_at", c.createdAt.toString(Qt::ISODateWithMs).toStdString()},
                    {"provider", c.provider.toStdString()},
                    {"model", c.model.toStdString()},
                    {"job_id", c.jobId.toStdString()},
                    {"template_id", c.templateId.toStdString()},
                    {"status", c.status.toStdString()},
                    {"http_status", c.httpStatus},
                    {"attempt", c.attempt},
                    {"tokens_in", c.tokensIn},
                    {"tokens_out", c.tokensOut},
                    {"latency_ms", c.latencyMs},
                    {"cache_hit", c.cacheHit},
                    {"structured_mode", c.structuredMode.toStdString()},
                    {"error", c.error.toStdString()}};
                row["cost_usd"] = c.costUsd ? nlohmann::json(*c.costUsd) : nlohmann::json(nullptr);
                rows.push_back(std::move(row));
            }
            console.printJson({{"total", total}, {"calls", std::move(rows)}});
            return 0;
        }

        QTextStream &out = console.out();
        if (calls.empty()) {
            out << "no LLM calls recorded" << (filter.isEmpty() ? "" : " that match") << '\n';
            return 0;
        }
        // Columns as wide as their longest value (provider ids and model names vary).
        qsizetype providerWidth = 8, modelWidth = 5;
        for (const LlmCallSummary &c : calls) {
            providerWidth = std::max(providerWidth, c.provider.size());
            modelWidth = std::max(modelWidth, c.model.size());
        }
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(QStringLiteral("call").leftJustified(24))
                   .arg(QStringLiteral("status").leftJustified(10))
                   .arg(QStringLiteral("provider").leftJustified(int(providerWidth)))
                   .arg(QStringLiteral("model").leftJustified(int(modelWidth)))
                   .arg(QStringLiteral("output").leftJustified(12))
                   .arg(QStringLiteral("tokens").leftJustified(12))
                   .arg(QStringLiteral("note"));
        for (const LlmCallSummary &c : calls) {
            QString status = c.status;
            if (c.httpStatus > 0 && c.status != QStringLiteral("ok"))
                status += QStringLiteral(" %1").arg(c.httpStatus);
            QString note = c.cacheHit ? QStringLiteral("cache hit") : c.error;
            note = note.section(u'\n', 0, 0);
            if (note.size() > 100)
                note = note.left(99) + QStringLiteral("…");
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(c.id.leftJustified(24))
                       .arg(status.leftJustified(10))
                       .arg(c.provider.leftJustified(int(providerWidth)))
                       .arg(c.model.leftJustified(int(modelWidth)))
                       .arg((c.structuredMode.isEmpty() ? QStringLiteral("text") : c.structuredMode)
                                .leftJustified(12))
                       .arg(QStringLiteral("%1/%2")
                                .arg(c.tokensIn)
                                .arg(c.tokensOut)
                                .leftJustified(12))
                       .arg(note);
        }
        if (total > qint64(calls.size()))
            out << QStringLiteral("(%1 of %2 calls; --limit shows more)\n")
                       .arg(calls.size())
                       .arg(total);
        return 0;
    }

private:
    std::string m_workspace;
    std::string m_job;
    std::string m_provider;
    std::string m_status;
    int m_limit = 50;
};

} // namespace

std::unique_ptr<Command> makeCallsCommand()
{
    return std::make_unique<CallsCommand>();
}

} // namespace crucible::cli
