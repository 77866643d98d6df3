#pragma once
// MatrixStrategy: one problem per row of the job's covering array (its plan, stored with the
// job), either written from the statement template without any call or asked of the LLM as a
// variation of the base problem with the row's dimension values. Also plans the array.

#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"
#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class MatrixStrategy final : public ProblemStrategy
{
public:
    using ProblemStrategy::ProblemStrategy;

    // The covering array of a matrix spec as stored in the job ({"dimensions", "rows",
    // "coverage"}). CPU-heavy; throws PictParseError or std::invalid_argument.
    static nlohmann::json planMatrix(const GenerationSpec &spec);
    static nlohmann::json matrixPlan(const PictModel &model, const CoveringArrayResult &array,
                                     int strength, quint64 seed);

    std::vector<GenerationGroup> planUnits() const override;
    QCoro::Task<GenerationUnitOutput> runUnit(JobUnit unit, GenerationUnitKey key) override;
    bool dedups() const override { return false; }
    void describeDataset(Dataset &dataset,
                         std::map<QString, std::vector<QString>> &expectedValues) const override;

protected:
    Prompt buildPrompt(const JobUnit &unit, const GenerationUnitKey &key) const override;
    void acceptResult(Problem &problem, const nlohmann::json &item,
                      const GenerationUnitKey &key) const override;

private:
    // The row's cell: dimension name → value.
    std::vector<std::pair<QString, QString>> cell(int row) const;
    GenerationUnitOutput templateUnit(const JobUnit &unit, const GenerationUnitKey &key) const;
};

} // namespace crucible
