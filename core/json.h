#pragma once
// Json: a small JSON document model for headers, configs and checkpoints (strict RFC 8259).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace embedlab {

// A JSON value. Objects keep their members in insertion order. Numbers remember whether they
// were given (or parsed) as integers, so 64-bit ids and byte offsets survive a round trip
// exactly. Accessors throw embedlab::Error when the value has another type.
class Json
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    // Deeper nesting is refused by parse() so a hostile file cannot exhaust the stack.
    static constexpr int MaxDepth = 256;

    Json() = default;
    Json(std::nullptr_t) { }
    Json(bool value)
        : m_value(value)
    { }
    Json(double value)
        : m_value(value)
    { }
    Json(int value)
        : m_value(static_cast<std::int64_t>(value))
    { }
    Json(std::int64_t value)
        : m_value(value)
    { }
    Json(std::uint64_t value)
        : m_value(value)
    { }
    // Any other integer type (unsigned, long long, std::size_t on other platforms...).
    template <typename T,
        std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Json(T value)
    {
        if constexpr (std::is_signed_v<T>)
            m_value = static_cast<std::int64_t>(value);
        else
            m_value = static_cast<std::uint64_t>(value);
    }
    Json(const char *value)
        : m_value(std::string(value))
    { }
    Json(std::string_view value)
        : m_value(std::string(value))
    { }
    Json(std::string value)
        : m_value(std::move(value))
    { }

    static Json array();
    static Json object();

    Type type() const;
    bool isNull() const { return m_value.index() == NullIndex; }
    bool isBool() const { return m_value.index() == BoolIndex; }
    bool isNumber() const;
    bool isString() const { return m_value.index() == StringIndex; }
    bool isArray() const { return m_value.index() == ArrayIndex; }
    bool isObject() const { return m_value.index() == ObjectIndex; }
    // A number whose value is a whole number that fits in std::int64_t or std::uint64_t
    // (so 3 and 3.0 are integers, 3.5 and 1e300 are not).
    bool isInteger() const;

    bool asBool() const;
    double asDouble() const;
    // Throws unless isInteger() and the value fits the return type.
    std::int64_t asInt() const;
    std::uint64_t asUInt() const;
    const std::string &asString() const;

    // Arrays (size() also counts the members of an object).
    std::size_t size() const;
    const Json &operator[](std::size_t index) const; // throws when out of range
    void push(Json value);
    const std::vector<Json> &items() const;

    // Objects
    const Json *find(std::string_view key) const; // nullptr if absent
    const Json &at(std::string_view key) const; // throws Error("missing key ...")
    Json &set(std::string key, Json value); // replaces in place if present
    const std::vector<std::pair<std::string, Json>> &members() const;

    // Throws Error("JSON offset N: reason"), N counted in bytes from 0. Besides RFC 8259 this
    // refuses duplicate object keys, unpaired surrogates, invalid UTF-8, nesting deeper than
    // MaxDepth and numbers too large for a double.
    static Json parse(std::string_view text);
    // Compact form; doubles in their shortest round-trip form, non-finite doubles as null.
    std::string dump() const;

    // Numbers compare by value (1 == 1.0); objects compare member by member, in order.
    friend bool operator==(const Json &a, const Json &b);
    friend bool operator!=(const Json &a, const Json &b) { return !(a == b); }

private:
    using Array = std::vector<Json>;
    using Object = std::vector<std::pair<std::string, Json>>;
    // The order of the alternatives matches the *Index constants below.
    using Value = std::variant<std::monostate, bool, double, std::int64_t, std::uint64_t,
        std::string, Array, Object>;
    enum : std::size_t {
        NullIndex,
        BoolIndex,
        DoubleIndex,
        IntIndex,
        UIntIndex,
        StringIndex,
        ArrayIndex,
        ObjectIndex
    };

    [[noreturn]] void throwWrongType(const char *expected) const;
    void dumpTo(std::string &out) const;

    friend class JsonParser;

    Value m_value;
};

const char *jsonTypeName(Json::Type type);

// Quoted, escaped JSON string: '"' and '\\' escaped, control characters as \b \f \n \r \t or
// \u00XX, valid non-ASCII UTF-8 passed through unchanged. Bytes that are not valid UTF-8 become
// U+FFFD so that the output is always valid JSON.
std::string jsonQuote(std::string_view s);

} // namespace embedlab
