#include "core/generate/strategies/matrixstrategy.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

json MatrixStrategy::planMatrix(const GenerationSpec &spec)
{
    const PictModel model = PictModel::parse(
        spec.pictModel.toStdString(),
        spec.datasetName.isEmpty() ? std::string("model") : spec.datasetName.toStdString());
    CoveringArrayOptions options;
    options.strength = std::min<int>(spec.strength, static_cast<int>(model.parameters.size()));
    options.seed = spec.seed;
    const CoveringArrayResult ca = CoveringArrayGenerator::generate(model, options);
    if (!ca.satisfiable)
        throw std::invalid_argument("the model's constraints allow no row at all");
    return matrixPlan(model, ca, options.strength, spec.seed);
}

json MatrixStrategy::matrixPlan(const PictModel &model, const CoveringArrayResult &array,
                                int strength, quint64 seed)
{
    json dims = json::array();
    for (const auto &p : model.parameters)
        dims.push_back({{"name", p.name}, {"values", p.values}});
    json rows = json::array();
    for (const auto &row : array.rows) {
        json r = json::array();
        for (std::size_t i = 0; i < row.size(); ++i)
            r.push_back(model.parameters[i].values[static_cast<std::size_t>(row[i])]);
        rows.push_back(std::move(r));
    }
    return {{"dimensions", dims},
            {"rows", rows},
            {"coverage",
             {{"strength", strength},
              {"seed", seed},
              {"rows", array.rows.size()},
              {"required_tuples", array.requiredTuples},
              {"excluded_tuples", array.excludedTuples},
              {"lower_bound", array.lowerBound},
              {"greedy_rows", array.greedyRows},
              {"seconds", array.seconds}}}};
}

std::vector<GenerationGroup> MatrixStrategy::planUnits() const
{
    std::vector<GenerationGroup> groups;
    const auto &rows = context().params["matrix"]["rows"];
    for (std::size_t i = 0; i < rows.size(); ++i) {
        GenerationGroup g;
        g.key = GenerationUnitKey::forRow(static_cast<int>(i));
        g.target = 1;
        groups.push_back(g);
    }
    return groups;
}

std::vector<std::pair<QString, QString>> MatrixStrategy::cell(int row) const
{
    const auto &dims = context().params["matrix"]["dimensions"];
    const auto &values = context().params["matrix"]["rows"][static_cast<std::size_t>(row)];
    std::vector<std::pair<QString, QString>> out;
    for (std::size_t i = 0; i < dims.size(); ++i)
        out.emplace_back(QString::fromStdString(dims[i]["name"].get<std::string>()),
                         QString::fromStdString(values[i].get<std::string>()));
    return out;
}

QCoro::Task<GenerationUnitOutput> MatrixStrategy::runUnit(JobUnit unit, GenerationUnitKey key)
{
    if (!context().spec.usesLlm())
        co_return templateUnit(unit, key);
    GenerationUnitOutput out = co_await ProblemStrategy::runUnit(std::move(unit), std::move(key));
    co_return out;
}

ProblemStrategy::Prompt MatrixStrategy::buildPrompt(const JobUnit &,
                                                    const GenerationUnitKey &key) const
{
    const Problem &base = *context().base;
    Prompt p;
    p.templateId = QStringLiteral("generate.variations");
    p.context["complexity"] = toString(base.complexity).toStdString();
    p.context["base_problem"] = base.statement.toStdString();
    p.context["base_constraints"] = base.constraints;
    json d = json::array();
    for (const auto &[name, value] : cell(key.row))
        d.push_back({{"name", name.toStdString()}, {"value", value.toStdString()}});
    p.context["dimensions"] = d;
    p.context["avoid"] = json::array();
    return p;
}

void MatrixStrategy::acceptResult(Problem &problem, const json &,
                                  const GenerationUnitKey &key) const
{
    problem.origin = ProblemOrigin::Matrix;
    for (const auto &[name, value] : cell(key.row))
        problem.matrixCell[name] = value;
}

GenerationUnitOutput MatrixStrategy::templateUnit(const JobUnit &unit,
                                                  const GenerationUnitKey &key) const
{
    const GenerationSpec &spec = context().spec;
    GenerationUnitOutput out;
    Problem p;
    p.id = jsonio::newId("prb");
    p.domain = spec.domain;
    QStringList parts;
    QString statement = spec.statementTemplate;
    for (const auto &[name, value] : cell(key.row)) {
        p.matrixCell[name] = value;
        parts << name + QStringLiteral(": ") + value;
        statement.replace(QLatin1Char('{') + name + QLatin1Char('}'), value, Qt::CaseInsensitive);
    }
    if (statement.trimmed().isEmpty()) {
        const QString domain = spec.domain.isEmpty() ? QStringLiteral("test") : spec.domain;
        statement =
            QStringLiteral("A %1 case with %2.").arg(domain, parts.join(QStringLiteral("; ")));
    }
    p.statement = statement;
    p.constraints = parts;
    p.successCriteria << QStringLiteral("The solution handles this combination: %1")
                             .arg(parts.join(QStringLiteral(", ")));
    p.complexity = Complexity::Medium;
    p.origin = ProblemOrigin::Matrix;
    p.createdAt = jsonio::nowUtc();
    p.metadata = context().provenance(unit, key, {}, 0, {}, std::nullopt);
    p.metadata["matrix"] = {{"row", key.row},
                            {"strength", spec.strength},
                            {"dataset_id", context().params.value("dataset_id", std::string())}};
    GenerationCandidate c;
    c.problem = std::move(p);
    out.candidates.push_back(std::move(c));
    return out;
}

void MatrixStrategy::describeDataset(Dataset &dataset,
                                     std::map<QString, std::vector<QString>> &expectedValues) const
{
    const json &matrix = context().params["matrix"];
    dataset.metadata["matrix"] = {{"model", context().spec.pictModel.toStdString()},
                                  {"dimensions", matrix["dimensions"]},
                                  {"coverage", matrix["coverage"]}};
    for (const auto &dim : matrix["dimensions"]) {
        std::vector<QString> values;
        for (const auto &v : dim["values"])
            values.push_back(QString::fromStdString(v.get<std::string>()));
        expectedValues[QString::fromStdString(dim["name"].get<std::string>())] = values;
    }
}

} // namespace crucible
