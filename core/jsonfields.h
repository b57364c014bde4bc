#pragma once
// Typed reading of JSON values and of the members of JSON records, for the files the engine
// writes (run folders, checkpoint metadata, training state). A value of the wrong type is refused
// with what was expected, instead of being converted.
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace embedlab {

// v, or null when v is NaN or infinite (JSON has no such numbers).
nlohmann::ordered_json finiteOrNull(double v);

// Single values, as in checkpoint metadata. Errors read "JSON: expected a number, found string".
double jsonNumber(const nlohmann::ordered_json &v);
bool jsonBool(const nlohmann::ordered_json &v);
const std::string &jsonString(const nlohmann::ordered_json &v);
// An integer, or a whole double (3.0), that fits std::int64_t.
std::int64_t jsonInteger(const nlohmann::ordered_json &v);

// Members of a record. Errors name the key: "'step' is missing", "'step' must be a number, found
// string", "'tied' must be true or false", "'file' must be a string".

// The member key of j; throws Error when it is missing.
const nlohmann::ordered_json &member(const nlohmann::ordered_json &j, const char *key);

namespace detail {
[[noreturn]] void throwNotNumber(const char *key, const nlohmann::ordered_json &found);
[[noreturn]] void throwNotWhole(const char *key);
[[noreturn]] void throwNotBool(const char *key);
[[noreturn]] void throwNotString(const char *key);
} // namespace detail

// The member key of j as T: std::string, bool or a number type. A null number reads as NaN (0 for
// a type without NaN), which is how a non-finite number is written.
template <typename T> T field(const nlohmann::ordered_json &j, const char *key)
{
    const nlohmann::ordered_json &v = member(j, key);
    if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string())
            detail::throwNotString(key);
        return v.get<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean())
            detail::throwNotBool(key);
        return v.get<bool>();
    } else {
        if (v.is_null())
            return std::numeric_limits<T>::has_quiet_NaN ? std::numeric_limits<T>::quiet_NaN()
                                                         : T(0);
        if (!v.is_number())
            detail::throwNotNumber(key, v);
        return v.get<T>();
    }
}

// field<T>(j, key), or fallback when j has no member key.
template <typename T> T fieldOr(const nlohmann::ordered_json &j, const char *key, T fallback)
{
    return j.contains(key) ? field<T>(j, key) : fallback;
}

// The member key of j, which must be a JSON integer (3.0 is refused).
template <typename T> T integerField(const nlohmann::ordered_json &j, const char *key)
{
    const nlohmann::ordered_json &v = member(j, key);
    if (!v.is_number_integer())
        detail::throwNotWhole(key);
    return v.get<T>();
}

// The member key of j as a number, or fallback when it is missing or null.
double numberOr(const nlohmann::ordered_json &j, const char *key, double fallback);
// numberOr for a whole number (an integer or a whole double) of at most 9e15 in magnitude.
std::int64_t integerOr(const nlohmann::ordered_json &j, const char *key, std::int64_t fallback);

} // namespace embedlab
