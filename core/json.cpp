#include "core/json.h"

#include "core/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

namespace embedlab {

namespace {

// Length of the well-formed UTF-8 sequence starting at s[pos] (Unicode table 3-7), or 0 if the
// bytes there are not one: overlong forms, surrogates and code points above U+10FFFF are refused.
std::size_t utf8SequenceLength(std::string_view s, std::size_t pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
    const auto continuation = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return pos + i < s.size() && byte(i) >= lo && byte(i) <= hi;
    };
    const unsigned char b0 = byte(0);
    if (b0 < 0x80)
        return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        return continuation(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

void appendQuoted(std::string &out, std::string_view s)
{
    static const char hexDigits[] = "0123456789abcdef";
    out += '"';
    std::size_t pos = 0;
    while (pos < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[pos]);
        if (c >= 0x80) {
            const std::size_t n = utf8SequenceLength(s, pos);
            if (n == 0) {
                out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
                ++pos;
            } else {
                out.append(s, pos, n);
                pos += n;
            }
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hexDigits[c >> 4];
                out += hexDigits[c & 0xF];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++pos;
    }
    out += '"';
}

} // namespace

// Recursive descent over the RFC 8259 grammar; every error reports the byte offset it found.
class JsonParser
{
public:
    explicit JsonParser(std::string_view text)
        : m_text(text)
    { }

    Json parseDocument()
    {
        skipWhitespace();
        Json value = parseValue(0);
        skipWhitespace();
        if (m_pos != m_text.size())
            fail("unexpected " + describe(m_pos) + " after the value");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string &reason) const { failAt(m_pos, reason); }
    [[noreturn]] static void failAt(std::size_t offset, const std::string &reason)
    {
        throw Error("JSON offset " + std::to_string(offset) + ": " + reason);
    }

    std::string describe(std::size_t pos) const
    {
        if (pos >= m_text.size())
            return "end of input";
        const unsigned char c = static_cast<unsigned char>(m_text[pos]);
        if (c >= 0x21 && c < 0x7F)
            return std::string("character '") + static_cast<char>(c) + "'";
        static const char hexDigits[] = "0123456789ABCDEF";
        return std::string("byte 0x") + hexDigits[c >> 4] + hexDigits[c & 0xF];
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    void skipWhitespace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }

    void expect(char c)
    {
        if (atEnd() || peek() != c)
            fail(std::string("expected '") + c + "', found " + describe(m_pos));
        ++m_pos;
    }

    Json parseValue(int depth)
    {
        if (atEnd())
            fail("unexpected end of input, expected a value");
        switch (peek()) {
        case '{':
            return parseObject(depth + 1);
        case '[':
            return parseArray(depth + 1);
        case '"':
            return Json(parseString());
        case 't':
            parseLiteral("true");
            return Json(true);
        case 'f':
            parseLiteral("false");
            return Json(false);
        case 'n':
            parseLiteral("null");
            return Json();
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber();
            fail("unexpected " + describe(m_pos) + ", expected a value");
        }
    }

    void parseLiteral(std::string_view literal)
    {
        if (m_text.substr(m_pos, literal.size()) != literal)
            fail("invalid literal, expected '" + std::string(literal) + "'");
        m_pos += literal.size();
    }

    void checkDepth(int depth) const
    {
        if (depth > Json::MaxDepth)
            fail("nesting deeper than " + std::to_string(Json::MaxDepth) + " levels");
    }

    Json parseArray(int depth)
    {
        checkDepth(depth);
        ++m_pos; // '['
        Json result = Json::array();
        auto &items = std::get<Json::Array>(result.m_value);
        skipWhitespace();
        if (!atEnd() && peek() == ']') {
            ++m_pos;
            return result;
        }
        for (;;) {
            skipWhitespace();
            items.push_back(parseValue(depth));
            skipWhitespace();
            if (atEnd())
                fail("unexpected end of input, expected ',' or ']'");
            if (peek() == ']') {
                ++m_pos;
                return result;
            }
            if (peek() != ',')
                fail("expected ',' or ']', found " + describe(m_pos));
            ++m_pos;
        }
    }

    Json parseObject(int depth)
    {
        checkDepth(depth);
        ++m_pos; // '{'
        Json result = Json::object();
        auto &members = std::get<Json::Object>(result.m_value);
        std::vector<std::size_t> keyOffsets;
        skipWhitespace();
        if (!atEnd() && peek() == '}') {
            ++m_pos;
            return result;
        }
        for (;;) {
            skipWhitespace();
            if (atEnd() || peek() != '"')
                fail("expected a string key, found " + describe(m_pos));
            keyOffsets.push_back(m_pos);
            std::string key = parseString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Json value = parseValue(depth);
            members.emplace_back(std::move(key), std::move(value));
            skipWhitespace();
            if (atEnd())
                fail("unexpected end of input, expected ',' or '}'");
            if (peek() == '}') {
                ++m_pos;
                break;
            }
            if (peek() != ',')
                fail("expected ',' or '}', found " + describe(m_pos));
            ++m_pos;
        }
        checkDuplicateKeys(members, keyOffsets);
        return result;
    }

    // RFC 8259 leaves duplicate keys to the implementation; a file that has them is almost
    // certainly damaged or hand-edited by mistake, so refuse rather than pick one silently.
    // Sorting indices keeps this O(n log n) for headers with many thousands of members.
    static void checkDuplicateKeys(
        const Json::Object &members, const std::vector<std::size_t> &keyOffsets)
    {
        if (members.size() < 2)
            return;
        std::vector<std::size_t> order(members.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const int c = members[a].first.compare(members[b].first);
            return c < 0 || (c == 0 && a < b);
        });
        for (std::size_t i = 1; i < order.size(); ++i) {
            if (members[order[i]].first == members[order[i - 1]].first)
                failAt(keyOffsets[order[i]], "duplicate key " + jsonQuote(members[order[i]].first));
        }
    }

    unsigned parseHex4()
    {
        unsigned value = 0;
        for (int i = 0; i < 4; ++i) {
            if (atEnd())
                fail("unexpected end of input in \\u escape");
            const char c = peek();
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                digit = unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                digit = unsigned(c - 'A' + 10);
            else
                fail("invalid hex digit in \\u escape: " + describe(m_pos));
            value = value * 16 + digit;
            ++m_pos;
        }
        return value;
    }

    std::string parseString()
    {
        ++m_pos; // opening quote
        std::string out;
        for (;;) {
            // Copy the run of plain ASCII characters in one go.
            const std::size_t runStart = m_pos;
            while (!atEnd()) {
                const unsigned char c = static_cast<unsigned char>(peek());
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                    break;
                ++m_pos;
            }
            out.append(m_text, runStart, m_pos - runStart);
            if (atEnd())
                fail("unexpected end of input inside a string");
            const unsigned char c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c < 0x20)
                fail("unescaped control character " + describe(m_pos) + " in a string");
            if (c >= 0x80) {
                const std::size_t n = utf8SequenceLength(m_text, m_pos);
                if (n == 0)
                    fail("invalid UTF-8 in a string");
                out.append(m_text, m_pos, n);
                m_pos += n;
                continue;
            }
            parseEscape(out);
        }
    }

    void parseEscape(std::string &out)
    {
        const std::size_t escapeStart = m_pos;
        ++m_pos; // backslash
        if (atEnd())
            fail("unexpected end of input in an escape sequence");
        const char c = peek();
        ++m_pos;
        switch (c) {
        case '"':
            out += '"';
            return;
        case '\\':
            out += '\\';
            return;
        case '/':
            out += '/';
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'u':
            break;
        default:
            failAt(escapeStart, "invalid escape sequence '\\" + std::string(1, c) + "'");
        }
        std::uint32_t cp = parseHex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            failAt(escapeStart, "unpaired low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (m_text.substr(m_pos, 2) != "\\u")
                failAt(escapeStart, "high surrogate not followed by a low surrogate");
            m_pos += 2;
            const std::uint32_t low = parseHex4();
            if (low < 0xDC00 || low > 0xDFFF)
                failAt(escapeStart, "high surrogate not followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, cp);
    }

    Json parseNumber()
    {
        const std::size_t start = m_pos;
        const auto digits = [&] {
            const std::size_t from = m_pos;
            while (!atEnd() && peek() >= '0' && peek() <= '9')
                ++m_pos;
            return m_pos - from;
        };
        if (peek() == '-')
            ++m_pos;
        if (atEnd() || peek() < '0' || peek() > '9')
            fail("expected a digit, found " + describe(m_pos));
        if (peek() == '0') {
            ++m_pos;
            if (!atEnd() && peek() >= '0' && peek() <= '9')
                fail("leading zeros are not allowed");
        } else {
            digits();
        }
        bool integer = true;
        if (!atEnd() && peek() == '.') {
            integer = false;
            ++m_pos;
            if (digits() == 0)
                fail("expected a digit after '.', found " + describe(m_pos));
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            integer = false;
            ++m_pos;
            if (!atEnd() && (peek() == '+' || peek() == '-'))
                ++m_pos;
            if (digits() == 0)
                fail("expected a digit in the exponent, found " + describe(m_pos));
        }
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_pos;
        // "-0" stays a double so that -0.0 survives dump() and parse().
        if (integer && std::string_view(first, std::size_t(last - first)) != "-0") {
            // Exact for everything that fits 64 bits; larger integers fall through to double.
            std::int64_t i;
            if (std::from_chars(first, last, i).ec == std::errc())
                return Json(i);
            std::uint64_t u;
            if (*first != '-' && std::from_chars(first, last, u).ec == std::errc())
                return Json(u);
        }
        double d = 0;
        const auto result = std::from_chars(first, last, d);
        if (result.ec == std::errc::result_out_of_range) {
            if (!underflows(std::string_view(first, std::size_t(last - first))))
                failAt(start, "number out of range");
            d = *first == '-' ? -0.0 : 0.0;
        } else if (result.ec != std::errc() || result.ptr != last) {
            failAt(start, "invalid number");
        }
        return Json(d);
    }

    // from_chars reports both overflow and underflow as out of range; tell them apart by the
    // decimal exponent of the first significant digit.
    static bool underflows(std::string_view number)
    {
        const std::size_t ePos = number.find_first_of("eE");
        const std::string_view mantissa = number.substr(0, ePos);
        long long exponent = 0;
        if (ePos != std::string_view::npos) {
            std::string_view e = number.substr(ePos + 1);
            const bool negative = !e.empty() && e.front() == '-';
            if (!e.empty() && (e.front() == '+' || e.front() == '-'))
                e.remove_prefix(1);
            for (char c : e) {
                exponent = std::min(exponent * 10 + (c - '0'), 1000000000LL);
            }
            if (negative)
                exponent = -exponent;
        }
        const std::size_t dot = mantissa.find('.');
        const std::size_t firstSignificant = mantissa.find_first_of("123456789");
        if (firstSignificant == std::string_view::npos)
            return true;
        const std::size_t intEnd = dot == std::string_view::npos ? mantissa.size() : dot;
        const long long position = firstSignificant < intEnd
            ? static_cast<long long>(intEnd - firstSignificant) - 1
            : -static_cast<long long>(firstSignificant - intEnd);
        return position + exponent < 0;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

Json Json::array()
{
    Json j;
    j.m_value = Array();
    return j;
}

Json Json::object()
{
    Json j;
    j.m_value = Object();
    return j;
}

Json::Type Json::type() const
{
    switch (m_value.index()) {
    case NullIndex:
        return Type::Null;
    case BoolIndex:
        return Type::Bool;
    case StringIndex:
        return Type::String;
    case ArrayIndex:
        return Type::Array;
    case ObjectIndex:
        return Type::Object;
    default:
        return Type::Number;
    }
}

bool Json::isNumber() const
{
    const std::size_t i = m_value.index();
    return i == DoubleIndex || i == IntIndex || i == UIntIndex;
}

bool Json::isInteger() const
{
    switch (m_value.index()) {
    case IntIndex:
    case UIntIndex:
        return true;
    case DoubleIndex: {
        const double d = std::get<double>(m_value);
        // 2^64 is exactly representable; anything below it that is whole fits one of the types.
        return std::isfinite(d) && std::trunc(d) == d && d >= -9223372036854775808.0
            && d < 18446744073709551616.0;
    }
    default:
        return false;
    }
}

const char *jsonTypeName(Json::Type type)
{
    switch (type) {
    case Json::Type::Null:
        return "null";
    case Json::Type::Bool:
        return "boolean";
    case Json::Type::Number:
        return "number";
    case Json::Type::String:
        return "string";
    case Json::Type::Array:
        return "array";
    case Json::Type::Object:
        return "object";
    }
    return "unknown";
}

void Json::throwWrongType(const char *expected) const
{
    throw Error(std::string("JSON: expected ") + expected + ", found " + jsonTypeName(type()));
}

bool Json::asBool() const
{
    if (!isBool())
        throwWrongType("a boolean");
    return std::get<bool>(m_value);
}

double Json::asDouble() const
{
    switch (m_value.index()) {
    case DoubleIndex:
        return std::get<double>(m_value);
    case IntIndex:
        return static_cast<double>(std::get<std::int64_t>(m_value));
    case UIntIndex:
        return static_cast<double>(std::get<std::uint64_t>(m_value));
    default:
        throwWrongType("a number");
    }
}

std::int64_t Json::asInt() const
{
    switch (m_value.index()) {
    case IntIndex:
        return std::get<std::int64_t>(m_value);
    case UIntIndex: {
        const std::uint64_t u = std::get<std::uint64_t>(m_value);
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw Error("JSON: integer " + std::to_string(u) + " is too large");
        return static_cast<std::int64_t>(u);
    }
    case DoubleIndex: {
        const double d = std::get<double>(m_value);
        if (!isInteger() || d >= 9223372036854775808.0)
            throw Error("JSON: expected an integer, found " + dump());
        return static_cast<std::int64_t>(d);
    }
    default:
        throwWrongType("an integer");
    }
}

std::uint64_t Json::asUInt() const
{
    switch (m_value.index()) {
    case IntIndex: {
        const std::int64_t i = std::get<std::int64_t>(m_value);
        if (i < 0)
            throw Error("JSON: expected a non-negative integer, found " + std::to_string(i));
        return static_cast<std::uint64_t>(i);
    }
    case UIntIndex:
        return std::get<std::uint64_t>(m_value);
    case DoubleIndex: {
        const double d = std::get<double>(m_value);
        if (!isInteger() || d < 0)
            throw Error("JSON: expected a non-negative integer, found " + dump());
        return static_cast<std::uint64_t>(d);
    }
    default:
        throwWrongType("an integer");
    }
}

const std::string &Json::asString() const
{
    if (!isString())
        throwWrongType("a string");
    return std::get<std::string>(m_value);
}

std::size_t Json::size() const
{
    if (isArray())
        return std::get<Array>(m_value).size();
    if (isObject())
        return std::get<Object>(m_value).size();
    throwWrongType("an array or object");
}

const Json &Json::operator[](std::size_t index) const
{
    const Array &a = items();
    if (index >= a.size())
        throw Error("JSON: index " + std::to_string(index) + " out of range for an array of "
            + std::to_string(a.size()));
    return a[index];
}

void Json::push(Json value)
{
    if (!isArray())
        throwWrongType("an array");
    std::get<Array>(m_value).push_back(std::move(value));
}

const std::vector<Json> &Json::items() const
{
    if (!isArray())
        throwWrongType("an array");
    return std::get<Array>(m_value);
}

const Json *Json::find(std::string_view key) const
{
    for (const auto &member : members()) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

const Json &Json::at(std::string_view key) const
{
    if (const Json *value = find(key))
        return *value;
    throw Error("JSON: missing key " + jsonQuote(key));
}

Json &Json::set(std::string key, Json value)
{
    if (!isObject())
        throwWrongType("an object");
    Object &object = std::get<Object>(m_value);
    for (auto &member : object) {
        if (member.first == key) {
            member.second = std::move(value);
            return *this;
        }
    }
    object.emplace_back(std::move(key), std::move(value));
    return *this;
}

const std::vector<std::pair<std::string, Json>> &Json::members() const
{
    if (!isObject())
        throwWrongType("an object");
    return std::get<Object>(m_value);
}

Json Json::parse(std::string_view text)
{
    return JsonParser(text).parseDocument();
}

std::string Json::dump() const
{
    std::string out;
    dumpTo(out);
    return out;
}

void Json::dumpTo(std::string &out) const
{
    char buffer[32];
    switch (m_value.index()) {
    case NullIndex:
        out += "null";
        break;
    case BoolIndex:
        out += std::get<bool>(m_value) ? "true" : "false";
        break;
    case DoubleIndex: {
        const double d = std::get<double>(m_value);
        if (!std::isfinite(d)) {
            out += "null";
            break;
        }
        // Shortest form that reads back to the same double; whole numbers print without ".0".
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
        out.append(buffer, result.ptr);
        break;
    }
    case IntIndex: {
        const auto result
            = std::to_chars(buffer, buffer + sizeof buffer, std::get<std::int64_t>(m_value));
        out.append(buffer, result.ptr);
        break;
    }
    case UIntIndex: {
        const auto result
            = std::to_chars(buffer, buffer + sizeof buffer, std::get<std::uint64_t>(m_value));
        out.append(buffer, result.ptr);
        break;
    }
    case StringIndex:
        appendQuoted(out, std::get<std::string>(m_value));
        break;
    case ArrayIndex: {
        out += '[';
        bool first = true;
        for (const Json &item : std::get<Array>(m_value)) {
            if (!first)
                out += ',';
            first = false;
            item.dumpTo(out);
        }
        out += ']';
        break;
    }
    case ObjectIndex: {
        out += '{';
        bool first = true;
        for (const auto &member : std::get<Object>(m_value)) {
            if (!first)
                out += ',';
            first = false;
            appendQuoted(out, member.first);
            out += ':';
            member.second.dumpTo(out);
        }
        out += '}';
        break;
    }
    }
}

bool operator==(const Json &a, const Json &b)
{
    if (a.isNumber() && b.isNumber()) {
        if (a.m_value.index() == b.m_value.index())
            return a.m_value == b.m_value;
        // Mixed kinds: compare exactly when both are integers, otherwise as doubles.
        if (a.m_value.index() != Json::DoubleIndex && b.m_value.index() != Json::DoubleIndex) {
            const Json &s = a.m_value.index() == Json::IntIndex ? a : b;
            const Json &u = a.m_value.index() == Json::IntIndex ? b : a;
            const std::int64_t i = std::get<std::int64_t>(s.m_value);
            return i >= 0 && static_cast<std::uint64_t>(i) == std::get<std::uint64_t>(u.m_value);
        }
        return a.asDouble() == b.asDouble();
    }
    return a.m_value == b.m_value;
}

std::string jsonQuote(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    appendQuoted(out, s);
    return out;
}

} // namespace embedlab
