#pragma once
// Decimal text to float32 as numpy reads it (float32 of the nearest double), and back.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace embedlab::vectors {

inline bool isDigit(char c)
{
    return static_cast<unsigned char>(c - '0') < 10;
}

inline bool isSeparator(char c)
{
    return c == ' ' || c == '\t';
}

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

inline constexpr double Pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
inline constexpr double InvPow10[] = { 1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9,
    1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22 };

// float32 of the double nearest to mantissa / 10^decimals (mantissa <= 2^53, decimals <= 22).
// Clinger: the one division is exact. The product with the rounded 1/10^k is within 3 ulps of
// that double, so it rounds to the same float unless a float midpoint (low 29 bits 0x10000000)
// is within 3 ulps of it: only then, about once in 10^8 numbers, is the division needed.
inline float decimalToFloat(std::uint64_t mantissa, int decimals)
{
    const double v = static_cast<double>(mantissa);
    const double q = v * InvPow10[decimals];
    std::uint64_t bits;
    std::memcpy(&bits, &q, sizeof bits);
    if ((bits & 0x1FFFFFFF) - (0x10000000 - 4) < 8)
        return static_cast<float>(v / Pow10[decimals]);
    return static_cast<float>(q);
}

// scanNumber for any input: digits one at a time, from_chars when the fast path does not apply.
const char *scanNumberSlow(const char *p, const char *e, float &out);

// The run of decimal digits in the 8 bytes at p (SWAR, as in fast_float): how many there are (8
// means the run may go on) and the number they spell. Saves the mispredicted exit of a digit loop
// whose length varies from one number to the next.
inline unsigned eightDigits(const char *p, std::uint64_t &value)
{
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    // A byte is a digit iff its high nibble is 3 and stays 3 when 6 is added.
    const std::uint64_t notDigit = ((w & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030)
        | (((w + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030);
    const std::uint64_t nonZero
        = (((notDigit & 0x7F7F7F7F7F7F7F7F) + 0x7F7F7F7F7F7F7F7F) | notDigit) & 0x8080808080808080;
    const unsigned n = nonZero ? static_cast<unsigned>(__builtin_ctzll(nonZero)) / 8 : 8;
    if (n == 0) {
        value = 0;
        return 0;
    }
    // The n digits into the top bytes (zeros below are leading zeros), then combined pairwise.
    std::uint64_t v = (w & 0x0F0F0F0F0F0F0F0F) << (8 * (8 - n));
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32)))
            + (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32))))
        >> 32;
    value = v & 0xFFFFFFFF;
    return n;
}

inline constexpr std::uint64_t IntPow10[]
    = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };

// Hand-written rather than fast_float::from_chars: parsing to double with fast_float (then to
// float, for the same double rounding) took about 40% more CPU time on GloVe 6B 100d.
// Scans the decimal number starting at p and returns the end of it (nullptr if there is none).
// The value is float32(nearest double), exactly what numpy's float32(float(s)) gives: decimal
// text that fits Clinger's fast path (at most 19 digits, mantissa <= 2^53, no exponent, at most
// 22 decimals) goes through decimalToFloat; anything else through scanNumberSlow.
inline __attribute__((always_inline)) const char *scanNumber(
    const char *p, const char *e, float &out)
{
    const char *start = p;
    if (p == e)
        return nullptr;
    const bool negative = *p == '-';
    p += negative || *p == '+'; // no branch: the sign is a coin toss in real files
    std::uint64_t mantissa = 0;
    const char *digits = p;
    for (; p != e && isDigit(*p); ++p)
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    int count = static_cast<int>(p - digits);
    int exponent = 0;
    if (p != e && *p == '.') {
        const char *decimals = ++p;
        unsigned n = 8;
        if (e - p >= 8) {
            std::uint64_t chunk;
            n = eightDigits(p, chunk);
            mantissa = mantissa * IntPow10[n] + chunk;
            p += n;
        }
        if (n == 8) {
            for (; p != e && isDigit(*p); ++p)
                mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        }
        exponent = -static_cast<int>(p - decimals);
        count -= exponent;
    }
    // (More than 19 digits may have overflowed mantissa: the slow path starts over.)
    if (count == 0 || count > 19 || (p != e && (*p | 0x20) == 'e')
        || mantissa > (std::uint64_t(1) << 53) || exponent < -22)
        return scanNumberSlow(start, e, out);
    float v = decimalToFloat(mantissa, -exponent);
    // The sign by its bit, not a branch the predictor would miss half of the time.
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits |= static_cast<std::uint32_t>(negative) << 31;
    std::memcpy(&v, &bits, sizeof v);
    out = v;
    return p;
}

// The whole of [p, e) as a number.
inline bool parseNumber(const char *p, const char *e, float &out)
{
    return p != e && scanNumber(p, e, out) == e;
}

// At most 19 decimal digits, nothing else.
bool parseUnsigned(std::string_view s, std::uint64_t &out);

// Shortest decimal that reads back (double, then float) to exactly v; 9 digits if the shortest
// form would not survive the double rounding.
void appendFloat(std::string &out, float v);

} // namespace embedlab::vectors
