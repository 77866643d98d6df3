#pragma once

#include "core/generate/constraintexpr.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace crucible {

// One dimension of a problem matrix: its values, their weights (default 1) and optional aliases.
struct MatrixParameter
{
    std::string name;
    std::vector<std::string> values;
    std::vector<int> weights;                      // empty or one per value
    std::vector<std::vector<std::string>> aliases; // empty or one list (maybe empty) per value

    int weight(std::size_t value) const { return value < weights.size() ? weights[value] : 1; }
    bool operator==(const MatrixParameter &) const = default;
};

// Error in a PICT model, with its 1-based line and column; what() reads `file:line:col: msg`.
class PictParseError final : public std::runtime_error
{
public:
    PictParseError(std::string fileName, int line, int column, std::string message);

    const std::string &fileName() const { return m_fileName; }
    int line() const { return m_line; }
    int column() const { return m_column; }
    const std::string &message() const { return m_message; }

private:
    std::string m_fileName;
    int m_line;
    int m_column;
    std::string m_message;
};

// A Microsoft PICT model: parameters and constraints. parse() reads the PICT text format
// (case-insensitive names and values, as PICT does by default); toText() writes it back.
struct PictModel
{
    std::vector<MatrixParameter> parameters;
    std::vector<ConstraintExpr> constraints;
    std::string constraintsText;       // constraint section as written (parse only)
    std::vector<std::string> warnings; // `file:line:col: msg`, e.g. values no parameter has

    static PictModel parse(std::string_view text, std::string_view fileName = "model");
    std::string toText() const;

    int parameterIndex(std::string_view name) const; // case-insensitive, -1 if absent
    bool operator==(const PictModel &other) const;   // parameters and constraints only
};

} // namespace crucible
