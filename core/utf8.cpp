#include "core/utf8.h"

namespace embedlab {

namespace {

bool isContinuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

} // namespace

Utf8Char decodeUtf8At(std::string_view in, std::size_t pos)
{
    const auto *s = reinterpret_cast<const unsigned char *>(in.data()) + pos;
    const std::size_t avail = in.size() - pos;
    const unsigned char lead = s[0];
    if (lead < 0x80)
        return { lead, 1, true };

    // Table 3-7 of the Unicode standard: the lead byte fixes the length and the range allowed
    // for the second byte; later bytes are plain continuation bytes.
    std::size_t length;
    unsigned char lo = 0x80, hi = 0xBF;
    char32_t cp;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        cp = lead & 0x0F;
        if (lead == 0xE0)
            lo = 0xA0; // overlong
        else if (lead == 0xED)
            hi = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        cp = lead & 0x07;
        if (lead == 0xF0)
            lo = 0x90; // overlong
        else if (lead == 0xF4)
            hi = 0x8F; // above U+10FFFF
    } else {
        return { ReplacementChar, 1, false }; // stray continuation byte, C0, C1 or F5..FF
    }

    std::size_t i = 1;
    for (; i < length; ++i) {
        if (i >= avail)
            return { ReplacementChar, i, false }; // truncated at the end of the input
        const unsigned char b = s[i];
        const bool ok = i == 1 ? (b >= lo && b <= hi) : isContinuation(b);
        if (!ok)
            return { ReplacementChar, i, false };
        cp = (cp << 6) | (b & 0x3F);
    }
    return { cp, length, true };
}

std::u32string decodeUtf8(std::string_view in, std::size_t *invalid)
{
    std::u32string out;
    out.reserve(in.size());
    std::size_t bad = 0;
    for (std::size_t pos = 0; pos < in.size();) {
        const Utf8Char c = decodeUtf8At(in, pos);
        out.push_back(c.cp);
        bad += c.valid ? 0 : 1;
        pos += c.length;
    }
    if (invalid)
        *invalid += bad;
    return out;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = ReplacementChar;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string sanitizeUtf8(std::string_view in, std::size_t *invalid)
{
    std::string out;
    out.reserve(in.size());
    std::size_t bad = 0;
    std::size_t pos = 0;
    while (pos < in.size()) {
        // Copy runs of well-formed text in one go; only ill-formed bytes are rewritten.
        std::size_t end = pos;
        Utf8Char c;
        while (end < in.size()) {
            if (static_cast<unsigned char>(in[end]) < 0x80) {
                ++end;
                continue;
            }
            c = decodeUtf8At(in, end);
            if (!c.valid)
                break;
            end += c.length;
        }
        out.append(in.data() + pos, end - pos);
        pos = end;
        if (pos < in.size()) {
            appendUtf8(out, ReplacementChar);
            ++bad;
            pos += c.length;
        }
    }
    if (invalid)
        *invalid += bad;
    return out;
}

} // namespace embedlab
