#include "core/tokenizer.h"

#include <array>

#include "core/utf8.h"

namespace embedlab {

namespace {

// What a code point does in word mode.
enum class CharClass : unsigned char {
    Space, // separates tokens and is dropped
    Punct, // a token of its own (unless it joins two word characters, see below)
    Ideograph, // a token of its own
    Word, // part of a word
};

constexpr std::array<CharClass, 128> makeAsciiClasses()
{
    std::array<CharClass, 128> t {};
    for (unsigned c = 0; c < 128; ++c) {
        if (c <= 0x20 || c == 0x7F)
            t[c] = CharClass::Space; // space, tab, VT, FF and the other control characters
        else if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            t[c] = CharClass::Word;
        else
            t[c] = CharClass::Punct;
    }
    return t;
}

constexpr std::array<CharClass, 128> AsciiClasses = makeAsciiClasses();

bool inRange(char32_t c, char32_t lo, char32_t hi)
{
    return c >= lo && c <= hi;
}

CharClass classifyNonAscii(char32_t c)
{
    if (c < 0x100) {
        if (c <= 0xA0)
            return CharClass::Space; // C1 controls (U+0085 NEL among them) and no-break space
        if (c <= 0xBF) {
            // Latin-1 punctuation and symbols, but not the letters and numbers among them
            // (ordinal indicators, micro sign, superscript digits, vulgar fractions).
            switch (c) {
            case 0xAA:
            case 0xB2:
            case 0xB3:
            case 0xB5:
            case 0xB9:
            case 0xBA:
            case 0xBC:
            case 0xBD:
            case 0xBE:
                return CharClass::Word;
            default:
                return CharClass::Punct;
            }
        }
        if (c == 0xD7 || c == 0xF7)
            return CharClass::Punct; // multiplication and division signs
        return CharClass::Word;
    }
    if (c < 0x2000) {
        switch (c) {
        // Greek question mark and ano teleia; Arabic comma, semicolon, question mark and full
        // stop; Devanagari danda and double danda.
        case 0x037E:
        case 0x0387:
        case 0x060C:
        case 0x061B:
        case 0x061F:
        case 0x06D4:
        case 0x0964:
        case 0x0965:
            return CharClass::Punct;
        case 0x1680:
            return CharClass::Space;
        default:
            return CharClass::Word;
        }
    }
    if (c < 0x3400) {
        if (c <= 0x200B || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000)
            return CharClass::Space; // U+200B zero-width space separates words too
        // General, supplemental and CJK punctuation; also currency signs, arrows, mathematical
        // and technical symbols, box drawing, shapes and dingbats, so that "x∈y" and "€5" split
        // like "x+y" and "$5".
        if (inRange(c, 0x2010, 0x205E) || inRange(c, 0x20A0, 0x20CF) || inRange(c, 0x2190, 0x23FF)
            || inRange(c, 0x2500, 0x27BF) || inRange(c, 0x2E00, 0x2E7F)
            || inRange(c, 0x3001, 0x303F))
            return CharClass::Punct;
        return CharClass::Word;
    }
    if (inRange(c, 0x3400, 0x4DBF) || inRange(c, 0x4E00, 0x9FFF) || inRange(c, 0xF900, 0xFAFF)
        || inRange(c, 0x20000, 0x2FA1F) || inRange(c, 0x30000, 0x323AF))
        return CharClass::Ideograph;
    if (c >= 0xFE10 && c <= 0xFFFF) {
        if (c == 0xFEFF)
            return CharClass::Space; // a byte-order mark in the middle of the text
        if (inRange(c, 0xFE10, 0xFE1F) || inRange(c, 0xFE30, 0xFE6F) || inRange(c, 0xFF01, 0xFF0F)
            || inRange(c, 0xFF1A, 0xFF20) || inRange(c, 0xFF3B, 0xFF40)
            || inRange(c, 0xFF5B, 0xFF65))
            return CharClass::Punct;
    }
    return CharClass::Word;
}

inline CharClass classify(char32_t c)
{
    return c < 0x80 ? AsciiClasses[c] : classifyNonAscii(c);
}

inline Utf8Char peek(std::string_view s, std::size_t pos)
{
    const auto b = static_cast<unsigned char>(s[pos]);
    if (b < 0x80)
        return { b, 1, true };
    return decodeUtf8At(s, pos);
}

inline bool isAsciiDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}

// Apostrophes and hyphens join word characters ("don't", "twenty-one").
inline bool joinsWords(char32_t c)
{
    return c == '\'' || c == '-' || c == 0x2019;
}

// Decimal points and thousands separators join digits ("3.14", "1,000").
inline bool joinsDigits(char32_t c)
{
    return c == '.' || c == ',';
}

} // namespace

const char *tokenizerModeName(TokenizerMode mode)
{
    return mode == TokenizerMode::Char ? "char" : "word";
}

bool parseTokenizerMode(std::string_view name, TokenizerMode &out)
{
    auto equals = [name](std::string_view lower) {
        if (name.size() != lower.size())
            return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            char c = name[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c != lower[i])
                return false;
        }
        return true;
    };
    if (equals("word")) {
        out = TokenizerMode::Word;
        return true;
    }
    if (equals("char")) {
        out = TokenizerMode::Char;
        return true;
    }
    return false;
}

char32_t lowercaseCodePoint(char32_t c)
{
    const bool even = c % 2 == 0;
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
    if (c < 0x100)
        return (c >= 0xC0 && c <= 0xDE && c != 0xD7) ? c + 0x20 : c;
    if (c < 0x180) { // Latin Extended-A: mostly pairs, upper case first
        if (c == 0x130)
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if (c <= 0x137 || inRange(c, 0x14A, 0x177))
            return even ? c + 1 : c;
        if (inRange(c, 0x139, 0x148) || inRange(c, 0x179, 0x17E))
            return even ? c : c + 1;
        return c;
    }
    if (c >= 0x370 && c < 0x400) { // Greek and Coptic
        if (c == 0x370 || c == 0x372 || c == 0x376 || c == 0x3F7 || c == 0x3FA)
            return c + 1;
        if (inRange(c, 0x391, 0x3AB) && c != 0x3A2)
            return c + 0x20;
        if (inRange(c, 0x388, 0x38A))
            return c + 0x25;
        if (c == 0x38E || c == 0x38F)
            return c + 0x3F;
        if (inRange(c, 0x3D8, 0x3EF))
            return even ? c + 1 : c;
        if (inRange(c, 0x3FD, 0x3FF))
            return c - 0x82;
        switch (c) {
        case 0x37F:
            return 0x3F3;
        case 0x386:
            return 0x3AC;
        case 0x38C:
            return 0x3CC;
        case 0x3CF:
            return 0x3D7;
        case 0x3F4:
            return 0x3B8;
        case 0x3F9:
            return 0x3F2;
        default:
            return c;
        }
    }
    if (c >= 0x400 && c < 0x530) { // Cyrillic and Cyrillic Supplement
        if (c < 0x410)
            return c + 0x50;
        if (c < 0x430)
            return c + 0x20;
        if (inRange(c, 0x460, 0x481) || inRange(c, 0x48A, 0x4BF) || inRange(c, 0x4D0, 0x52F))
            return even ? c + 1 : c;
        if (c == 0x4C0)
            return 0x4CF;
        if (inRange(c, 0x4C1, 0x4CE))
            return even ? c : c + 1;
        return c;
    }
    return c;
}

std::string_view stripCarriageReturn(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

LineTokenizer::LineTokenizer(std::string_view line, const TokenizerOptions &options)
    : m_line(stripCarriageReturn(line))
    , m_options(options)
{ }

bool LineTokenizer::next(std::string_view &token)
{
    if (m_options.mode == TokenizerMode::Word)
        return nextWord(token);
    if (m_pos >= m_line.size())
        return false;
    const Utf8Char c = peek(m_line, m_pos);
    const std::size_t begin = m_pos;
    m_pos += c.length;
    m_invalid += c.valid ? 0 : 1;
    token = finish(begin, m_pos, c.valid);
    return true;
}

bool LineTokenizer::nextWord(std::string_view &token)
{
    const std::size_t size = m_line.size();
    while (m_pos < size) {
        const Utf8Char c = peek(m_line, m_pos);
        const CharClass cls = classify(c.cp);
        if (cls == CharClass::Space) {
            m_pos += c.length; // U+FFFD is a word character, so nothing invalid is skipped here
            continue;
        }
        const std::size_t begin = m_pos;
        bool clean = c.valid;
        m_invalid += c.valid ? 0 : 1;
        m_pos += c.length;
        if (cls == CharClass::Word) {
            char32_t prev = c.cp;
            while (m_pos < size) {
                const Utf8Char d = peek(m_line, m_pos);
                const CharClass dcls = classify(d.cp);
                if (dcls == CharClass::Word) {
                    clean = clean && d.valid;
                    m_invalid += d.valid ? 0 : 1;
                    m_pos += d.length;
                    prev = d.cp;
                    continue;
                }
                // A joiner stays in the word only if a suitable character follows it; the
                // character before it is a word character since we are inside a word.
                const bool joiner = joinsWords(d.cp) || (joinsDigits(d.cp) && isAsciiDigit(prev));
                if (!joiner || m_pos + d.length >= size)
                    break;
                const Utf8Char e = peek(m_line, m_pos + d.length);
                const bool joins
                    = joinsWords(d.cp) ? classify(e.cp) == CharClass::Word : isAsciiDigit(e.cp);
                if (!joins)
                    break;
                clean = clean && e.valid;
                m_invalid += e.valid ? 0 : 1;
                m_pos += d.length + e.length;
                prev = e.cp;
            }
        }
        token = finish(begin, m_pos, clean);
        return true;
    }
    return false;
}

// The token m_line[begin, end): a view into the line when it can be used as is, otherwise a
// lowercased and/or repaired copy in m_buffer.
std::string_view LineTokenizer::finish(std::size_t begin, std::size_t end, bool clean)
{
    if (clean && !m_options.lowercase)
        return m_line.substr(begin, end - begin);
    m_buffer.clear();
    for (std::size_t pos = begin; pos < end;) {
        const Utf8Char c = peek(m_line, pos);
        pos += c.length;
        const char32_t cp = m_options.lowercase ? lowercaseCodePoint(c.cp) : c.cp;
        if (cp < 0x80)
            m_buffer.push_back(static_cast<char>(cp));
        else
            appendUtf8(m_buffer, cp);
    }
    return m_buffer;
}

void tokenizeLine(std::string_view line, const TokenizerOptions &options,
    std::vector<std::string> &out, std::size_t *invalidUtf8)
{
    LineTokenizer tokenizer(line, options);
    std::string_view token;
    while (tokenizer.next(token))
        out.emplace_back(token);
    if (invalidUtf8)
        *invalidUtf8 += tokenizer.invalidUtf8();
}

} // namespace embedlab
