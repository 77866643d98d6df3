#include "core/generate/pictmodel.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

namespace crucible {

PictParseError::PictParseError(std::string fileName, int line, int column, std::string message)
    : std::runtime_error(fileName + ":" + std::to_string(line) + ":" + std::to_string(column) +
                         ": " + message)
    , m_fileName(std::move(fileName))
    , m_line(line)
    , m_column(column)
    , m_message(std::move(message))
{
}

namespace {

char lowerChar(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lowerChar(x) == lowerChar(y);
           });
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Trims [begin, end) of `line` in place.
void trimRange(std::string_view line, std::size_t &begin, std::size_t &end)
{
    while (begin < end && isSpace(line[begin]))
        ++begin;
    while (end > begin && isSpace(line[end - 1]))
        --end;
}

std::string_view trimmed(std::string_view text)
{
    std::size_t begin = 0;
    std::size_t end = text.size();
    trimRange(text, begin, end);
    return text.substr(begin, end - begin);
}

bool parseInt(std::string_view text, int &out)
{
    text = trimmed(text);
    if (text.empty())
        return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool parseNumber(std::string_view text, double &out)
{
    if (text.empty())
        return false;
    if (text.front() == '+')
        text.remove_prefix(1);
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool startsWithKeyword(std::string_view text, std::string_view keyword)
{
    if (text.size() < keyword.size() || !equalsIgnoreCase(text.substr(0, keyword.size()), keyword))
        return false;
    if (text.size() == keyword.size())
        return true;
    char next = text[keyword.size()];
    return isSpace(next) || next == '[' || next == '(';
}

// ---------------------------------------------------------------------------------------------
// Constraint language

struct Token
{
    enum class Type {
        Name,      // [Parameter]
        String,    // "text"
        Number,    // 12, -3.5
        Word,      // IF, THEN, ELSE, AND, OR, NOT, IN, LIKE or anything else alphabetic
        Relation,  // = <> < > <= >=
        LeftParen, // (
        RightParen,
        LeftBrace,
        RightBrace,
        Comma,
        Semicolon,
        End
    };
    Type type = Type::End;
    std::string text;
    int line = 0;
    int column = 0;
};

class Lexer
{
public:
    Lexer(std::string_view text, int firstLine, std::string fileName)
        : m_text(text)
        , m_line(firstLine)
        , m_fileName(std::move(fileName))
    {
    }

    std::vector<Token> tokenize()
    {
        std::vector<Token> tokens;
        while (true) {
            skipSpaceAndComments();
            Token token;
            token.line = m_line;
            token.column = m_column;
            if (m_pos >= m_text.size()) {
                tokens.push_back(token);
                return tokens;
            }
            char c = m_text[m_pos];
            if (c == '[') {
                token.type = Token::Type::Name;
                token.text = readDelimited(']', "unterminated parameter name, expected ']'");
                std::string_view name = trimmed(token.text);
                if (name.empty())
                    fail(token.line, token.column, "empty parameter name");
                token.text = std::string(name);
            } else if (c == '"') {
                token.type = Token::Type::String;
                token.text = readDelimited('"', "unterminated string, expected '\"'");
            } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                       ((c == '-' || c == '+' || c == '.') && m_pos + 1 < m_text.size() &&
                        (std::isdigit(static_cast<unsigned char>(m_text[m_pos + 1])) ||
                         m_text[m_pos + 1] == '.'))) {
                token.type = Token::Type::Number;
                std::size_t start = m_pos;
                advance();
                while (m_pos < m_text.size() &&
                       (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) ||
                        m_text[m_pos] == '.' ||
                        ((m_text[m_pos] == '-' || m_text[m_pos] == '+') &&
                         (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E'))))
                    advance();
                token.text = std::string(m_text.substr(start, m_pos - start));
                double value = 0;
                if (!parseNumber(token.text, value))
                    fail(token.line, token.column, "invalid number '" + token.text + "'");
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                token.type = Token::Type::Word;
                std::size_t start = m_pos;
                while (m_pos < m_text.size() &&
                       (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) ||
                        m_text[m_pos] == '_'))
                    advance();
                token.text = std::string(m_text.substr(start, m_pos - start));
                std::transform(
                    token.text.begin(), token.text.end(), token.text.begin(), [](char ch) {
                        return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                    });
            } else if (c == '=' || c == '<' || c == '>') {
                token.type = Token::Type::Relation;
                advance();
                token.text = std::string(1, c);
                if (m_pos < m_text.size() && c != '=' &&
                    (m_text[m_pos] == '=' || (c == '<' && m_text[m_pos] == '>'))) {
                    token.text += m_text[m_pos];
                    advance();
                }
            } else {
                static constexpr std::pair<char, Token::Type> punctuation[] = {
                    {'(', Token::Type::LeftParen}, {')', Token::Type::RightParen},
                    {'{', Token::Type::LeftBrace}, {'}', Token::Type::RightBrace},
                    {',', Token::Type::Comma},     {';', Token::Type::Semicolon}};
                auto it = std::find_if(std::begin(punctuation), std::end(punctuation),
                                       [c](const auto &p) { return p.first == c; });
                if (it == std::end(punctuation))
                    fail(m_line, m_column, std::string("unexpected character '") + c + "'");
                token.type = it->second;
                token.text = std::string(1, c);
                advance();
            }
            tokens.push_back(std::move(token));
        }
    }

private:
    [[noreturn]] void fail(int line, int column, const std::string &message) const
    {
        throw PictParseError(m_fileName, line, column, message);
    }

    void advance()
    {
        if (m_text[m_pos] == '\n') {
            ++m_line;
            m_column = 1;
        } else {
            ++m_column;
        }
        ++m_pos;
    }

    void skipSpaceAndComments()
    {
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '#') {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n')
                    advance();
            } else if (isSpace(c) || c == '\n') {
                advance();
            } else {
                return;
            }
        }
    }

    // Reads from the opening delimiter to `close`, handling backslash escapes.
    std::string readDelimited(char close, const char *unterminated)
    {
        int line = m_line;
        int column = m_column;
        advance();
        std::string out;
        while (true) {
            if (m_pos >= m_text.size() || m_text[m_pos] == '\n')
                fail(line, column, unterminated);
            char c = m_text[m_pos];
            if (c == close) {
                advance();
                return out;
            }
            if (c == '\\' && m_pos + 1 < m_text.size() &&
                (m_text[m_pos + 1] == close || m_text[m_pos + 1] == '\\'))
                advance();
            out += m_text[m_pos];
            advance();
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_line;
    int m_column = 1;
    std::string m_fileName;
};

class ConstraintParser
{
public:
    ConstraintParser(std::vector<Token> tokens, std::string fileName)
        : m_tokens(std::move(tokens))
        , m_fileName(std::move(fileName))
    {
    }

    std::vector<ConstraintExpr> parseAll()
    {
        std::vector<ConstraintExpr> constraints;
        while (peek().type != Token::Type::End)
            constraints.push_back(parseConstraint());
        return constraints;
    }

private:
    const Token &peek() const { return m_tokens[m_pos]; }
    const Token &take() { return m_tokens[m_pos < m_tokens.size() - 1 ? m_pos++ : m_pos]; }

    bool isWord(const char *word) const
    {
        return peek().type == Token::Type::Word && peek().text == word;
    }

    [[noreturn]] void failAt(const Token &token, const std::string &message) const
    {
        throw PictParseError(m_fileName, token.line, token.column, message);
    }

    // NOT and parentheses nest by recursion (here and in everything that walks the tree later):
    // a bound keeps a hostile model from overflowing the stack.
    void enterNesting(const Token &token)
    {
        if (++m_depth > kMaxNesting)
            failAt(token, "constraint nested deeper than " + std::to_string(kMaxNesting) +
                              " levels of parentheses and NOT; simplify it");
    }

    static std::string describe(const Token &token)
    {
        switch (token.type) {
        case Token::Type::End:
            return "end of input";
        case Token::Type::Name:
            return "'[" + token.text + "]'";
        case Token::Type::String:
            return quotePictString(token.text);
        default:
            return "'" + token.text + "'";
        }
    }

    [[noreturn]] void expected(const std::string &what) const
    {
        failAt(peek(), "expected " + what + ", found " + describe(peek()));
    }

    ConstraintExpr parseConstraint()
    {
        const Token &start = peek();
        ConstraintExpr result;
        if (isWord("IF")) {
            take();
            ConstraintExpr condition = parsePredicate();
            if (!isWord("THEN"))
                expected("THEN");
            take();
            ConstraintExpr then = parsePredicate();
            if (isWord("ELSE")) {
                take();
                ConstraintExpr otherwise = parsePredicate();
                result = ConstraintExpr::ifThenElse(std::move(condition), std::move(then),
                                                    std::move(otherwise));
            } else {
                result = ConstraintExpr::ifThen(std::move(condition), std::move(then));
            }
        } else {
            result = parsePredicate();
        }
        if (peek().type != Token::Type::Semicolon)
            expected("';' at the end of the constraint");
        take();
        result.line = start.line;
        result.column = start.column;
        return result;
    }

    ConstraintExpr parsePredicate()
    {
        const Token &start = peek();
        std::vector<ConstraintExpr> terms;
        terms.push_back(parseConjunction());
        while (isWord("OR")) {
            take();
            terms.push_back(parseConjunction());
        }
        if (terms.size() == 1)
            return std::move(terms.front());
        ConstraintExpr e = ConstraintExpr::disjunction(std::move(terms));
        e.line = start.line;
        e.column = start.column;
        return e;
    }

    ConstraintExpr parseConjunction()
    {
        const Token &start = peek();
        std::vector<ConstraintExpr> terms;
        terms.push_back(parseUnary());
        while (isWord("AND")) {
            take();
            terms.push_back(parseUnary());
        }
        if (terms.size() == 1)
            return std::move(terms.front());
        ConstraintExpr e = ConstraintExpr::conjunction(std::move(terms));
        e.line = start.line;
        e.column = start.column;
        return e;
    }

    ConstraintExpr parseUnary()
    {
        const Token &start = peek();
        if (isWord("NOT")) {
            enterNesting(start);
            take();
            ConstraintExpr e = ConstraintExpr::negation(parseUnary());
            --m_depth;
            e.line = start.line;
            e.column = start.column;
            return e;
        }
        if (start.type == Token::Type::LeftParen) {
            enterNesting(start);
            take();
            ConstraintExpr inner = parsePredicate();
            if (peek().type != Token::Type::RightParen)
                expected("')'");
            take();
            --m_depth;
            return inner;
        }
        if (start.type == Token::Type::Name)
            return parseRelation();
        expected("a parameter name in brackets, '(' or NOT");
    }

    ConstraintLiteral parseLiteral()
    {
        const Token &token = peek();
        if (token.type == Token::Type::String || token.type == Token::Type::Number) {
            take();
            return {token.text, token.type == Token::Type::Number};
        }
        expected("a quoted value or a number");
    }

    ConstraintExpr parseRelation()
    {
        const Token &name = take();
        ConstraintExpr e;
        bool negated = false;
        if (isWord("NOT")) {
            take();
            negated = true;
            if (!isWord("IN") && !isWord("LIKE"))
                expected("IN or LIKE after NOT");
        }
        const Token &opToken = peek();
        if (isWord("IN")) {
            take();
            if (peek().type != Token::Type::LeftBrace)
                expected("'{' after IN");
            take();
            std::vector<ConstraintLiteral> values;
            values.push_back(parseLiteral());
            while (peek().type == Token::Type::Comma) {
                take();
                values.push_back(parseLiteral());
            }
            if (peek().type != Token::Type::RightBrace)
                expected("',' or '}'");
            take();
            e = ConstraintExpr::relation(
                name.text, negated ? ConstraintOp::NotIn : ConstraintOp::In, std::move(values));
        } else if (isWord("LIKE")) {
            take();
            if (peek().type != Token::Type::String)
                expected("a quoted pattern after LIKE");
            e = ConstraintExpr::relation(name.text,
                                         negated ? ConstraintOp::NotLike : ConstraintOp::Like,
                                         {{take().text, false}});
        } else if (opToken.type == Token::Type::Relation) {
            take();
            static const std::pair<const char *, ConstraintOp> ops[] = {
                {"=", ConstraintOp::Equal},      {"<>", ConstraintOp::NotEqual},
                {"<", ConstraintOp::Less},       {">", ConstraintOp::Greater},
                {"<=", ConstraintOp::LessEqual}, {">=", ConstraintOp::GreaterEqual}};
            ConstraintOp op = ConstraintOp::Equal;
            bool known = false;
            for (const auto &[text, value] : ops) {
                if (opToken.text == text) {
                    op = value;
                    known = true;
                }
            }
            if (!known)
                failAt(opToken, "unknown relation '" + opToken.text + "'");
            if (peek().type == Token::Type::Name)
                e = ConstraintExpr::compare(name.text, op, take().text);
            else
                e = ConstraintExpr::relation(name.text, op, {parseLiteral()});
        } else {
            expected("a relation (=, <>, <, >, <=, >=, IN, LIKE)");
        }
        e.line = name.line;
        e.column = name.column;
        return e;
    }

    static constexpr int kMaxNesting = 100;

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    std::string m_fileName;
    int m_depth = 0;
};

// ---------------------------------------------------------------------------------------------
// Parameter section

struct ParameterLineParser
{
    std::string fileName;
    int lineNumber = 0;
    std::string_view line;

    [[noreturn]] void fail(std::size_t offset, const std::string &message) const
    {
        throw PictParseError(fileName, lineNumber, static_cast<int>(offset) + 1, message);
    }

    MatrixParameter parse(const std::vector<MatrixParameter> &earlier) const
    {
        std::size_t colon = line.find(':');
        std::size_t firstText = 0;
        while (firstText < line.size() && isSpace(line[firstText]))
            ++firstText;
        if (colon == std::string_view::npos)
            fail(line.size(), "expected ':' after parameter name");
        MatrixParameter parameter;
        parameter.name = std::string(trimmed(line.substr(0, colon)));
        if (parameter.name.empty())
            fail(firstText, "expected a parameter name before ':'");
        if (parameter.name.find_first_of("[]") != std::string::npos)
            fail(firstText, "parameter name must not contain '[' or ']'");
        for (const MatrixParameter &other : earlier) {
            if (equalsIgnoreCase(other.name, parameter.name))
                fail(firstText, "duplicate parameter '" + parameter.name + "'");
        }

        std::size_t itemStart = colon + 1;
        while (true) {
            std::size_t itemEnd = line.find(',', itemStart);
            if (itemEnd == std::string_view::npos)
                itemEnd = line.size();
            addItem(parameter, itemStart, itemEnd, earlier);
            if (itemEnd == line.size())
                break;
            itemStart = itemEnd + 1;
        }
        bool anyWeight = std::any_of(parameter.weights.begin(), parameter.weights.end(),
                                     [](int w) { return w != 1; });
        if (!anyWeight)
            parameter.weights.clear();
        bool anyAlias = std::any_of(parameter.aliases.begin(), parameter.aliases.end(),
                                    [](const auto &a) { return !a.empty(); });
        if (!anyAlias)
            parameter.aliases.clear();
        return parameter;
    }

    void addItem(MatrixParameter &parameter, std::size_t begin, std::size_t end,
                 const std::vector<MatrixParameter> &earlier) const
    {
        trimRange(line, begin, end);
        if (begin == end)
            fail(begin, "empty value in parameter '" + parameter.name + "'");
        int weight = 1;
        if (line[end - 1] == ')') {
            std::size_t open = line.rfind('(', end - 1);
            if (open != std::string_view::npos && open > begin &&
                parseInt(line.substr(open + 1, end - open - 2), weight)) {
                if (weight < 1)
                    fail(open + 1, "weight must be a positive integer");
                end = open;
                trimRange(line, begin, end);
            } else {
                weight = 1;
            }
        }
        std::string_view item = line.substr(begin, end - begin);
        if (item.size() > 2 && item.front() == '<' && item.back() == '>') {
            std::string_view referenced = trimmed(item.substr(1, item.size() - 2));
            for (const MatrixParameter &other : earlier) {
                if (equalsIgnoreCase(other.name, referenced)) {
                    for (std::size_t v = 0; v < other.values.size(); ++v) {
                        addValue(parameter, begin, other.values[v], other.weight(v),
                                 v < other.aliases.size() ? other.aliases[v]
                                                          : std::vector<std::string>{});
                    }
                    return;
                }
            }
        }
        std::vector<std::string> names;
        std::size_t nameStart = begin;
        while (true) {
            std::size_t bar = line.find('|', nameStart);
            std::size_t nameEnd = bar == std::string_view::npos || bar > end ? end : bar;
            std::size_t b = nameStart;
            std::size_t e = nameEnd;
            trimRange(line, b, e);
            if (b == e)
                fail(b, "empty alias in parameter '" + parameter.name + "'");
            names.emplace_back(line.substr(b, e - b));
            if (nameEnd == end)
                break;
            nameStart = nameEnd + 1;
        }
        std::string value = std::move(names.front());
        names.erase(names.begin());
        addValue(parameter, begin, std::move(value), weight, std::move(names));
    }

    void addValue(MatrixParameter &parameter, std::size_t offset, std::string value, int weight,
                  std::vector<std::string> aliases) const
    {
        for (std::size_t v = 0; v < parameter.values.size(); ++v) {
            bool clash = equalsIgnoreCase(parameter.values[v], value);
            for (const std::string &alias : parameter.aliases[v])
                clash = clash || equalsIgnoreCase(alias, value);
            if (clash)
                fail(offset,
                     "duplicate value '" + value + "' in parameter '" + parameter.name + "'");
        }
        parameter.values.push_back(std::move(value));
        parameter.weights.push_back(weight);
        parameter.aliases.push_back(std::move(aliases));
    }
};

bool valueMatchesLiteral(const MatrixParameter &parameter, std::size_t v,
                         const ConstraintLiteral &literal)
{
    if (literal.isNumber) {
        double a = 0;
        double b = 0;
        return parseNumber(parameter.values[v], a) && parseNumber(literal.text, b) && a == b;
    }
    if (equalsIgnoreCase(parameter.values[v], literal.text))
        return true;
    if (v < parameter.aliases.size()) {
        for (const std::string &alias : parameter.aliases[v]) {
            if (equalsIgnoreCase(alias, literal.text))
                return true;
        }
    }
    return false;
}

void checkReferences(const PictModel &model, const ConstraintExpr &e, const std::string &fileName,
                     std::vector<std::string> &warnings)
{
    for (const ConstraintExpr &child : e.children)
        checkReferences(model, child, fileName, warnings);
    if (e.kind != ConstraintExpr::Kind::Relation)
        return;
    auto where = [&] {
        return fileName + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": ";
    };
    int index = model.parameterIndex(e.parameter);
    if (index < 0)
        throw PictParseError(fileName, e.line, e.column, "unknown parameter [" + e.parameter + "]");
    if (!e.otherParameter.empty() && model.parameterIndex(e.otherParameter) < 0)
        throw PictParseError(fileName, e.line, e.column,
                             "unknown parameter [" + e.otherParameter + "]");
    bool equality = e.op == ConstraintOp::Equal || e.op == ConstraintOp::NotEqual ||
                    e.op == ConstraintOp::In || e.op == ConstraintOp::NotIn;
    if (!equality || !e.otherParameter.empty())
        return;
    const MatrixParameter &parameter = model.parameters[static_cast<std::size_t>(index)];
    for (const ConstraintLiteral &literal : e.values) {
        bool found = false;
        for (std::size_t v = 0; v < parameter.values.size() && !found; ++v)
            found = valueMatchesLiteral(parameter, v, literal);
        if (!found) {
            warnings.push_back(where() + "value " +
                               (literal.isNumber ? literal.text : quotePictString(literal.text)) +
                               " is not a value of [" + parameter.name + "]");
        }
    }
}

bool looksLikeConstraint(std::string_view text)
{
    return !text.empty() && (text.front() == '[' || text.front() == '(' ||
                             startsWithKeyword(text, "IF") || startsWithKeyword(text, "NOT"));
}

} // namespace

int PictModel::parameterIndex(std::string_view name) const
{
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (equalsIgnoreCase(parameters[i].name, name))
            return static_cast<int>(i);
    }
    return -1;
}

bool PictModel::operator==(const PictModel &other) const
{
    return parameters == other.parameters && constraints == other.constraints;
}

PictModel PictModel::parse(std::string_view text, std::string_view fileName)
{
    PictModel model;
    std::string file(fileName);
    std::size_t pos = 0;
    int lineNumber = 0;
    while (pos < text.size()) {
        std::size_t lineEnd = text.find('\n', pos);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        ++lineNumber;
        std::string_view line = text.substr(pos, lineEnd - pos);
        std::string_view content = trimmed(line);
        if (looksLikeConstraint(content)) {
            model.constraintsText = std::string(text.substr(pos));
            Lexer lexer(model.constraintsText, lineNumber, file);
            ConstraintParser parser(lexer.tokenize(), file);
            model.constraints = parser.parseAll();
            break;
        }
        if (!content.empty() && content.front() == '{') {
            throw PictParseError(file, lineNumber,
                                 static_cast<int>(content.data() - line.data()) + 1,
                                 "sub-models are not supported");
        }
        if (!content.empty() && content.front() != '#') {
            ParameterLineParser lineParser{file, lineNumber, line};
            model.parameters.push_back(lineParser.parse(model.parameters));
        }
        pos = lineEnd + 1;
    }
    if (model.parameters.empty())
        throw PictParseError(file, 1, 1, "the model has no parameters");
    for (const ConstraintExpr &constraint : model.constraints)
        checkReferences(model, constraint, file, model.warnings);
    return model;
}

std::string PictModel::toText() const
{
    auto invalid = [](const std::string &message) { throw std::invalid_argument(message); };
    std::string out;
    for (const MatrixParameter &parameter : parameters) {
        if (parameter.name.empty() || parameter.name.find_first_of(":[]\n") != std::string::npos ||
            trimmed(parameter.name) != parameter.name || looksLikeConstraint(parameter.name) ||
            parameter.name.front() == '#' || parameter.name.front() == '{')
            invalid("parameter name cannot be written as PICT: '" + parameter.name + "'");
        if (parameter.values.empty())
            invalid("parameter '" + parameter.name + "' has no values");
        out += parameter.name + ": ";
        for (std::size_t v = 0; v < parameter.values.size(); ++v) {
            std::vector<std::string> names{parameter.values[v]};
            if (v < parameter.aliases.size())
                names.insert(names.end(), parameter.aliases[v].begin(), parameter.aliases[v].end());
            if (v)
                out += ", ";
            for (std::size_t a = 0; a < names.size(); ++a) {
                const std::string &name = names[a];
                int ignored = 0;
                std::size_t open = name.rfind('(');
                bool looksWeighted =
                    !name.empty() && name.back() == ')' && open != std::string::npos &&
                    parseInt(std::string_view(name).substr(open + 1, name.size() - open - 2),
                             ignored);
                if (name.empty() || name.find_first_of(",|\n") != std::string::npos ||
                    trimmed(name) != name || looksWeighted ||
                    (name.size() > 2 && name.front() == '<' && name.back() == '>'))
                    invalid("value cannot be written as PICT: '" + name + "'");
                out += (a ? " | " : "") + name;
            }
            if (parameter.weight(v) != 1)
                out += " (" + std::to_string(parameter.weight(v)) + ")";
        }
        out += '\n';
    }
    if (!constraints.empty()) {
        out += '\n';
        for (const ConstraintExpr &constraint : constraints)
            out += constraint.toText() + '\n';
    }
    return out;
}

} // namespace crucible
