#include "core/vectors/numbers.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace embedlab::vectors {

namespace {

bool matchesWord(const char *p, const char *e, const char *lower)
{
    for (; *lower; ++p, ++lower) {
        if (p == e || (*p | 0x20) != *lower)
            return false;
    }
    return true;
}

// "nan", "inf", "infinity" in any case, optionally signed, as Python's float() accepts them.
const char *scanSpecial(const char *p, const char *e, float &out)
{
    bool negative = false;
    if (p != e && (*p == '-' || *p == '+'))
        negative = *p++ == '-';
    if (matchesWord(p, e, "nan")) {
        out = std::numeric_limits<float>::quiet_NaN();
        return p + 3;
    }
    if (matchesWord(p, e, "infinity")) {
        out = negative ? -HUGE_VALF : HUGE_VALF;
        return p + 8;
    }
    if (matchesWord(p, e, "inf")) {
        out = negative ? -HUGE_VALF : HUGE_VALF;
        return p + 3;
    }
    return nullptr;
}

} // namespace

const char *scanNumberSlow(const char *p, const char *e, float &out)
{
    const char *start = p;
    bool negative = false;
    if (p != e && (*p == '-' || *p == '+'))
        negative = *p++ == '-';
    std::uint64_t mantissa = 0;
    int digits = 0; // significant digits in mantissa
    int exponent = 0;
    bool dropped = false; // non-zero digits beyond the 19 kept
    bool any = false;
    for (; p != e && isDigit(*p); ++p) {
        any = true;
        const unsigned d = static_cast<unsigned>(*p - '0');
        if (digits < 19) {
            mantissa = mantissa * 10 + d;
            digits += mantissa != 0;
        } else {
            ++exponent;
            dropped |= d != 0;
        }
    }
    if (p != e && *p == '.') {
        for (++p; p != e && isDigit(*p); ++p) {
            any = true;
            const unsigned d = static_cast<unsigned>(*p - '0');
            if (digits < 19) {
                mantissa = mantissa * 10 + d;
                digits += mantissa != 0;
                --exponent;
            } else {
                dropped |= d != 0;
            }
        }
    }
    if (!any)
        return scanSpecial(start, e, out);
    if (p != e && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        bool negativeExponent = false;
        if (q != e && (*q == '-' || *q == '+'))
            negativeExponent = *q++ == '-';
        if (q == e || !isDigit(*q))
            return p; // "1e" is the number 1 followed by junk
        int value = 0;
        for (; q != e && isDigit(*q); ++q) {
            if (value < 100000)
                value = value * 10 + (*q - '0');
        }
        exponent += negativeExponent ? -value : value;
        p = q;
    }
    if (mantissa == 0 && !dropped) {
        out = negative ? -0.0f : 0.0f;
        return p;
    }
    if (!dropped && mantissa <= (std::uint64_t(1) << 53) && exponent >= -22 && exponent <= 22) {
        double v = static_cast<double>(mantissa);
        v = exponent < 0 ? v / Pow10[-exponent] : v * Pow10[exponent];
        out = static_cast<float>(negative ? -v : v);
        return p;
    }
    const char *s = *start == '+' ? start + 1 : start;
    double v = 0;
    const auto result = std::from_chars(s, p, v);
    if (result.ec == std::errc::result_out_of_range) {
        // Beyond double's range: the decimal exponent of the leading digit says which end.
        v = exponent + digits - 1 > 0 ? HUGE_VAL : 0.0;
        if (negative)
            v = -v;
    } else if (result.ec != std::errc() || result.ptr != p) {
        return nullptr;
    }
    out = static_cast<float>(v);
    return p;
}

bool parseUnsigned(std::string_view s, std::uint64_t &out)
{
    if (s.empty() || s.size() > 19)
        return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!isDigit(c))
            return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return true;
}

// Shortest decimal that reads back (double, then float) to exactly v; 9 digits if the shortest
// form would not survive the double rounding.
void appendFloat(std::string &out, float v)
{
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    float back = 0;
    if (!parseNumber(buf, r.ptr, back) || std::memcmp(&back, &v, sizeof v) != 0)
        r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 9);
    out.append(buf, r.ptr);
}

} // namespace embedlab::vectors
