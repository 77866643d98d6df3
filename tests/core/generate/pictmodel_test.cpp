#include "core/generate/constraintevaluator.h"
#include "core/generate/pictmodel.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace crucible;

namespace {

const char *const DiskModel = R"(# Disk partitioning, in the style of the PICT user guide
Type:          Primary, Logical, Single, Span, Stripe, Mirror, RAID-5
Size:          10, 100, 500, 1000, 5000, 10000, 40000
Format method: quick (3), slow
File system:   FAT, FAT32 | F32, NTFS (2)
Cluster size:  512, 1024, 2048, 4096, 8192, 16384, 32768, 65536
Compression:   on, off

# constraints
IF [File system] = "FAT"   THEN [Size] <= 4096;
IF [File system] = "FAT32" THEN [Size] <= 32000;
IF [Type] IN {"Span", "Stripe"} THEN [Compression] = "off"
    ELSE [Format method] = "quick";
IF [File system] LIKE "FAT*" AND NOT ([Cluster size] < 1024) THEN [Compression] = "off";
[Size] > 10 OR [Type] <> "Mirror";
)";

PictParseError parseError(const std::string &text)
{
    try {
        PictModel::parse(text, "model.txt");
    } catch (const PictParseError &error) {
        return error;
    }
    ADD_FAILURE() << "no parse error for:\n" << text;
    return PictParseError("", 0, 0, "");
}

std::vector<int> row(const PictModel &model,
                     std::initializer_list<std::pair<const char *, const char *>> values)
{
    std::vector<int> assignment(model.parameters.size(), -1);
    for (const auto &[name, value] : values) {
        int p = model.parameterIndex(name);
        const auto &list = model.parameters[static_cast<std::size_t>(p)].values;
        for (std::size_t v = 0; v < list.size(); ++v) {
            if (list[v] == value)
                assignment[static_cast<std::size_t>(p)] = static_cast<int>(v);
        }
    }
    return assignment;
}

} // namespace

TEST(PictModelTest, ParsesParametersWeightsAliasesAndComments)
{
    PictModel model = PictModel::parse(DiskModel);
    ASSERT_EQ(model.parameters.size(), 6u);
    EXPECT_EQ(model.parameters[2].name, "Format method");
    EXPECT_EQ(model.parameters[2].values, (std::vector<std::string>{"quick", "slow"}));
    EXPECT_EQ(model.parameters[2].weight(0), 3);
    EXPECT_EQ(model.parameters[2].weight(1), 1);
    EXPECT_EQ(model.parameters[3].values, (std::vector<std::string>{"FAT", "FAT32", "NTFS"}));
    EXPECT_EQ(model.parameters[3].aliases[1], (std::vector<std::string>{"F32"}));
    EXPECT_EQ(model.parameters[3].weight(2), 2);
    EXPECT_EQ(model.parameters[4].values.size(), 8u);
    ASSERT_EQ(model.constraints.size(), 5u);
    EXPECT_EQ(model.constraints[2].kind, ConstraintExpr::Kind::IfThen);
    EXPECT_EQ(model.constraints[2].children.size(), 3u);
    EXPECT_EQ(model.constraints[2].line, 12);
    EXPECT_TRUE(model.warnings.empty());
}

TEST(PictModelTest, ParsesAllRelationsAndParameterComparisons)
{
    PictModel model = PictModel::parse("A: 1, 2, 3\nB: 1, 2, 3\nC: x, y\n\n"
                                       "[A] < [B] OR [A] >= 3;\n"
                                       "IF [C] NOT IN {\"y\"} THEN [A] <> 2 AND NOT [B] > 2;\n"
                                       "IF [C] NOT LIKE \"?\" THEN [A] = [B];\n");
    ASSERT_EQ(model.constraints.size(), 3u);
    EXPECT_EQ(model.constraints[0].kind, ConstraintExpr::Kind::Or);
    EXPECT_EQ(model.constraints[0].children[0].otherParameter, "B");
    EXPECT_EQ(model.constraints[1].children[0].op, ConstraintOp::NotIn);
}

TEST(PictModelTest, ReusesValueListsOfEarlierParameters)
{
    PictModel model = PictModel::parse("Source: a, b, c\nTarget: <Source>, d\n");
    EXPECT_EQ(model.parameters[1].values, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(PictModelTest, ErrorsCarryLineAndColumn)
{
    PictParseError missingThen =
        parseError("A: a1, a2\nB: b1, b2\n\nIF [A] = \"a1\" [B] = \"b1\";\n");
    EXPECT_EQ(missingThen.line(), 4);
    EXPECT_EQ(missingThen.column(), 15);
    EXPECT_NE(std::string(missingThen.what()).find("model.txt:4:15: expected THEN"),
              std::string::npos)
        << missingThen.what();

    PictParseError semicolon = parseError("A: a1, a2\n[A] = \"a1\"\n");
    EXPECT_EQ(semicolon.line(), 3);
    EXPECT_NE(semicolon.message().find("';'"), std::string::npos);

    PictParseError unknown = parseError("A: a1, a2\n\nIF [A] = \"a1\" THEN [Z] = \"z\";\n");
    EXPECT_EQ(unknown.line(), 3);
    EXPECT_EQ(unknown.column(), 20);
    EXPECT_NE(unknown.message().find("unknown parameter [Z]"), std::string::npos);

    PictParseError unterminated = parseError("A: a1, a2\n[A] = \"a1;\n");
    EXPECT_EQ(unterminated.line(), 2);
    EXPECT_EQ(unterminated.column(), 7);

    PictParseError colon = parseError("A: a1, a2\nB b1, b2\n");
    EXPECT_EQ(colon.line(), 2);
    EXPECT_NE(colon.message().find("expected ':'"), std::string::npos);

    PictParseError emptyValue = parseError("A: a1, , a2\n");
    EXPECT_EQ(emptyValue.line(), 1);
    EXPECT_EQ(emptyValue.column(), 8);

    PictParseError duplicate = parseError("A: a1, a2\na: x\n");
    EXPECT_NE(duplicate.message().find("duplicate parameter"), std::string::npos);

    PictParseError relation = parseError("A: 1, 2\n[A] 2;\n");
    EXPECT_EQ(relation.column(), 5);
    EXPECT_NE(relation.message().find("expected a relation"), std::string::npos);

    EXPECT_EQ(parseError("# nothing here\n\n").message(), "the model has no parameters");
    EXPECT_NE(parseError("A: 1, 2\nB: 1, 2\n{ A, B } @ 2\n").message().find("sub-models"),
              std::string::npos);
}

TEST(PictModelTest, WarnsAboutValuesNoParameterHas)
{
    PictModel model = PictModel::parse("A: a1, a2\n\n[A] <> \"a3\";\n", "m.txt");
    ASSERT_EQ(model.warnings.size(), 1u);
    EXPECT_NE(model.warnings[0].find("m.txt:3:1:"), std::string::npos);
}

TEST(PictModelTest, RoundTripsThroughText)
{
    PictModel model = PictModel::parse(DiskModel);
    std::string text = model.toText();
    PictModel again = PictModel::parse(text);
    EXPECT_EQ(again, model);
    EXPECT_EQ(again.toText(), text);

    PictModel tricky = PictModel::parse(
        "Name: say \"hi\", back\\slash\nN: 1, 2.5, -3\n\n"
        "NOT ([Name] = \"say \\\"hi\\\"\" OR [N] > 2) AND ([N] < 0 OR [N] = 1) OR [N] = -3;\n"
        "IF NOT NOT [Name] LIKE \"b*\" THEN [N] IN {1, 2.5} ELSE [N] NOT IN {-3};\n");
    EXPECT_TRUE(tricky.warnings.empty()) << tricky.warnings.front();
    PictModel trickyAgain = PictModel::parse(tricky.toText());
    EXPECT_EQ(trickyAgain, tricky) << tricky.toText();
}

TEST(PictModelTest, ExportRejectsValuesPictCannotRepresent)
{
    PictModel model;
    model.parameters.push_back({"A", {"x, y"}, {}, {}});
    EXPECT_THROW(model.toText(), std::invalid_argument);
}

TEST(ConstraintEvaluatorTest, ThreeValuedLogicOnPartialRows)
{
    PictModel model = PictModel::parse("A: a1, a2\nB: b1, b2\nC: 1, 2, 10\n\n"
                                       "IF [A] = \"a1\" THEN [B] <> \"b1\";\n"
                                       "[C] < 5 OR [A] = \"a2\";\n");
    ConstraintEvaluator ev(model.parameters, model.constraints);
    EXPECT_EQ(ev.evaluate(row(model, {})), Tri::Unknown);
    EXPECT_EQ(ev.evaluate(row(model, {{"A", "a2"}})), Tri::True);
    EXPECT_EQ(ev.evaluate(row(model, {{"A", "a1"}})), Tri::Unknown);
    EXPECT_EQ(ev.evaluate(row(model, {{"A", "a1"}, {"B", "b1"}})), Tri::False);
    EXPECT_EQ(ev.evaluate(row(model, {{"A", "a1"}, {"B", "b2"}, {"C", "10"}})), Tri::False);
    EXPECT_EQ(ev.evaluate(row(model, {{"A", "a1"}, {"B", "b2"}, {"C", "2"}})), Tri::True);
    EXPECT_EQ(ev.evaluate(row(model, {{"B", "b1"}, {"C", "10"}})), Tri::Unknown);
    EXPECT_EQ(ev.constraintsOn(2), (std::vector<int>{1}));
    EXPECT_EQ(ev.parametersOf(0), (std::vector<int>{0, 1}));
}

TEST(ConstraintEvaluatorTest, RelationsLikeInNumbersAndParameterComparisons)
{
    PictModel model = PictModel::parse("S: Alpha, beta, Gamma | G\nN: 9, 10, 100\nM: 10, 9\n");
    auto check = [&](const std::string &constraint,
                     std::initializer_list<std::pair<const char *, const char *>> values) {
        PictModel m = PictModel::parse(model.toText() + "\n" + constraint + "\n");
        return ConstraintEvaluator(m.parameters, m.constraints).evaluate(row(m, values));
    };
    EXPECT_EQ(check("[S] LIKE \"a*a\";", {{"S", "Alpha"}}), Tri::True);
    EXPECT_EQ(check("[S] LIKE \"?ETA\";", {{"S", "beta"}}), Tri::True);
    EXPECT_EQ(check("[S] LIKE \"?eta\";", {{"S", "Gamma"}}), Tri::False);
    EXPECT_EQ(check("[S] = \"g\";", {{"S", "Gamma"}}), Tri::True);
    EXPECT_EQ(check("[S] IN {\"x\", \"BETA\"};", {{"S", "beta"}}), Tri::True);
    EXPECT_EQ(check("[N] > 9;", {{"N", "10"}}), Tri::True); // numeric, not "10" < "9"
    EXPECT_EQ(check("[N] <= 9.5;", {{"N", "100"}}), Tri::False);
    EXPECT_EQ(check("[N] < [M];", {{"N", "9"}, {"M", "10"}}), Tri::True);
    EXPECT_EQ(check("[N] = [M];", {{"N", "10"}, {"M", "10"}}), Tri::True);
    EXPECT_EQ(check("[N] <> [M];", {{"N", "10"}}), Tri::Unknown);
    EXPECT_EQ(check("IF [N] = 9 THEN [S] = \"Alpha\" ELSE [S] <> \"Alpha\";",
                    {{"N", "10"}, {"S", "Alpha"}}),
              Tri::False);
}
