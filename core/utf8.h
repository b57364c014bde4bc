#pragma once
// UTF-8 decoding and encoding that never fails: ill-formed input becomes U+FFFD and is counted.
#include <cstddef>
#include <string>
#include <string_view>

namespace embedlab {

constexpr char32_t ReplacementChar = 0xFFFD;

// One decoded code point: its value, how many bytes it took, and whether those bytes were valid.
struct Utf8Char
{
    char32_t cp = 0;
    std::size_t length = 0;
    bool valid = true;
};

// Decodes the code point starting at in[pos] (pos < in.size()). An ill-formed sequence gives
// U+FFFD covering its maximal subpart (Unicode 15, section 3.9), so decoding resumes at the first
// byte that cannot continue it; surrogates and values above U+10FFFF are ill-formed.
Utf8Char decodeUtf8At(std::string_view in, std::size_t pos);

// The whole of in as code points; each ill-formed subpart becomes one U+FFFD and adds 1 to
// *invalid (which is incremented, not reset).
std::u32string decodeUtf8(std::string_view in, std::size_t *invalid = nullptr);

// Appends cp as UTF-8; surrogates and values above U+10FFFF are written as U+FFFD.
void appendUtf8(std::string &out, char32_t cp);

// A valid UTF-8 copy of in: well-formed sequences are copied byte for byte, each ill-formed
// subpart becomes U+FFFD and adds 1 to *invalid.
std::string sanitizeUtf8(std::string_view in, std::size_t *invalid = nullptr);

} // namespace embedlab
