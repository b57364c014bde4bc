#include "core/jsonfields.h"

#include <cmath>

#include "core/safetensors.h"

namespace embedlab {

using Json = nlohmann::ordered_json;

Json finiteOrNull(double v)
{
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

namespace {

[[noreturn]] void wrongJson(const char *expected, const Json &found)
{
    throw Error(std::string("JSON: expected ") + expected + ", found " + found.type_name());
}

} // namespace

double jsonNumber(const Json &v)
{
    if (!v.is_number())
        wrongJson("a number", v);
    return v.get<double>();
}

bool jsonBool(const Json &v)
{
    if (!v.is_boolean())
        wrongJson("a boolean", v);
    return v.get<bool>();
}

const std::string &jsonString(const Json &v)
{
    if (!v.is_string())
        wrongJson("a string", v);
    return v.get_ref<const std::string &>();
}

std::int64_t jsonInteger(const Json &v)
{
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            throw Error("JSON: integer " + dumpJson(v) + " is too large");
        return v.get<std::int64_t>();
    }
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (!v.is_number())
        wrongJson("an integer", v);
    const double d = v.get<double>();
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || std::trunc(d) != d)
        throw Error("JSON: expected an integer, found " + dumpJson(v));
    return static_cast<std::int64_t>(d);
}

const Json &member(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end())
        throw Error(std::string("'") + key + "' is missing");
    return *it;
}

namespace detail {

void throwNotNumber(const char *key, const Json &found)
{
    throw Error(std::string("'") + key + "' must be a number, found " + found.type_name());
}

void throwNotWhole(const char *key)
{
    throw Error(std::string("'") + key + "' must be a whole number");
}

void throwNotBool(const char *key)
{
    throw Error(std::string("'") + key + "' must be true or false");
}

void throwNotString(const char *key)
{
    throw Error(std::string("'") + key + "' must be a string");
}

} // namespace detail

double numberOr(const Json &j, const char *key, double fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_number())
        detail::throwNotNumber(key, *it);
    return it->get<double>();
}

std::int64_t integerOr(const Json &j, const char *key, std::int64_t fallback)
{
    const double v = numberOr(j, key, static_cast<double>(fallback));
    if (std::trunc(v) != v || std::fabs(v) > 9.0e15)
        detail::throwNotWhole(key);
    return static_cast<std::int64_t>(v);
}

} // namespace embedlab
