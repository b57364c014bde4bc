#include "core/tokenizer.h"

#include <array>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include "core/error.h"
#include "core/utf8.h"

namespace embedlab {

namespace {

// What a code point does in word mode.
enum class CharClass : unsigned char {
    Space, // separates tokens and is dropped
    Punct, // a token of its own (unless it joins two word characters, see below)
    Ideograph, // a token of its own
    Word, // part of a word
    Dictionary, // a dictionary script, cut by ICU (CjkSegmentation::Words only)
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

// The scripts written without spaces that ICU's word break iterator cuts with a dictionary
// (Han with the ideographic iteration and number marks, Hiragana, Katakana incl. half-width and
// the Kana Supplement, Thai, Lao, Myanmar with its extensions, Khmer with its symbols).
bool isDictionaryScript(char32_t c)
{
    if (c < 0x0E00)
        return false;
    if (c < 0x1800)
        return c <= 0x0EFF || inRange(c, 0x1000, 0x109F) || c >= 0x1780;
    if (c < 0x3000)
        return inRange(c, 0x19E0, 0x19FF);
    if (c < 0xA000)
        return c == 0x3005 || c == 0x3007 || inRange(c, 0x3021, 0x3029)
            || inRange(c, 0x3038, 0x303B) || inRange(c, 0x3040, 0x30FF)
            || inRange(c, 0x31F0, 0x31FF) || inRange(c, 0x3400, 0x4DBF) || c >= 0x4E00;
    if (c < 0x10000)
        return inRange(c, 0xA9E0, 0xA9FF) || inRange(c, 0xAA60, 0xAA7F)
            || inRange(c, 0xF900, 0xFAFF) || inRange(c, 0xFF66, 0xFF9F);
    return inRange(c, 0x1B000, 0x1B16F) || inRange(c, 0x20000, 0x2FA1F)
        || inRange(c, 0x30000, 0x323AF);
}

inline CharClass classify(char32_t c, bool dictionary)
{
    if (c < 0x80)
        return AsciiClasses[c];
    if (dictionary && isDictionaryScript(c))
        return CharClass::Dictionary;
    return classifyNonAscii(c);
}

[[noreturn]] void icuFailed(const char *what, UErrorCode status)
{
    throw Error(std::string("ICU: ") + what + ": " + u_errorName(status));
}

// One word break iterator per thread: ICU's iterators must not be shared between threads, and
// creating one costs far more than a line.
struct WordBreaker
{
    std::unique_ptr<icu::BreakIterator> iterator;
    UText text = UTEXT_INITIALIZER;

    WordBreaker()
    {
        UErrorCode status = U_ZERO_ERROR;
        iterator.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !iterator)
            icuFailed("cannot create the word break iterator", status);
    }
    ~WordBreaker() { utext_close(&text); }
    WordBreaker(const WordBreaker &) = delete;
    WordBreaker &operator=(const WordBreaker &) = delete;
};

WordBreaker &wordBreaker()
{
    thread_local WordBreaker breaker;
    return breaker;
}

const icu::Normalizer2 &normalizer(Normalization n)
{
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *instance = n == Normalization::Nfkc
        ? icu::Normalizer2::getNFKCInstance(status)
        : icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !instance)
        icuFailed("cannot load the normaliser", status);
    return *instance;
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

namespace {

// name equals lower, ASCII case ignored.
bool equalsLower(std::string_view name, std::string_view lower)
{
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
}

template <typename Enum, std::size_t N>
bool parseName(std::string_view name, const std::pair<const char *, Enum> (&names)[N], Enum &out)
{
    for (const auto &[text, value] : names) {
        if (equalsLower(name, text)) {
            out = value;
            return true;
        }
    }
    return false;
}

const std::pair<const char *, TokenizerMode> ModeNames[]
    = { { "word", TokenizerMode::Word }, { "char", TokenizerMode::Char } };
const std::pair<const char *, CjkSegmentation> CjkNames[]
    = { { "words", CjkSegmentation::Words }, { "chars", CjkSegmentation::Chars } };
const std::pair<const char *, Normalization> NormalizationNames[]
    = { { "none", Normalization::None }, { "nfc", Normalization::Nfc },
          { "nfkc", Normalization::Nfkc } };
const std::pair<const char *, CaseFolding> FoldingNames[]
    = { { "full", CaseFolding::Full }, { "simple", CaseFolding::Simple } };

template <typename Enum, std::size_t N>
const char *nameOf(Enum value, const std::pair<const char *, Enum> (&names)[N])
{
    for (const auto &[text, v] : names)
        if (v == value)
            return text;
    return names[0].first;
}

} // namespace

TokenizerOptions legacyTokenizerOptions()
{
    TokenizerOptions o;
    o.cjk = CjkSegmentation::Chars;
    o.folding = CaseFolding::Simple;
    return o;
}

bool sameTokenization(const TokenizerOptions &a, const TokenizerOptions &b)
{
    return a.mode == b.mode && a.lowercase == b.lowercase && a.normalize == b.normalize
        && (a.mode == TokenizerMode::Char || a.cjk == b.cjk)
        && (!a.lowercase || a.folding == b.folding);
}

const char *tokenizerModeName(TokenizerMode mode)
{
    return nameOf(mode, ModeNames);
}

bool parseTokenizerMode(std::string_view name, TokenizerMode &out)
{
    return parseName(name, ModeNames, out);
}

const char *cjkSegmentationName(CjkSegmentation cjk)
{
    return nameOf(cjk, CjkNames);
}

bool parseCjkSegmentation(std::string_view name, CjkSegmentation &out)
{
    return parseName(name, CjkNames, out);
}

const char *normalizationName(Normalization n)
{
    return nameOf(n, NormalizationNames);
}

bool parseNormalization(std::string_view name, Normalization &out)
{
    return parseName(name, NormalizationNames, out);
}

const char *caseFoldingName(CaseFolding f)
{
    return nameOf(f, FoldingNames);
}

bool parseCaseFolding(std::string_view name, CaseFolding &out)
{
    return parseName(name, FoldingNames, out);
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

bool joinsWithoutSpace(std::string_view left, std::string_view right)
{
    if (left.empty() || right.empty())
        return false;
    std::size_t start = left.size() - 1; // the last code point's first byte
    while (start > 0 && (static_cast<unsigned char>(left[start]) & 0xC0) == 0x80)
        --start;
    const char32_t a = decodeUtf8At(left, start).cp;
    const char32_t b = decodeUtf8At(right, 0).cp;
    // CJK and full-width punctuation carries its own spacing.
    const auto fullWidth = [](char32_t c) {
        return inRange(c, 0x3000, 0x303F) || inRange(c, 0xFF00, 0xFF65)
            || inRange(c, 0xFE30, 0xFE4F);
    };
    // Quotes, dashes and the ellipsis sit against Chinese text, not against Latin words.
    const auto shared = [](char32_t c) {
        return inRange(c, 0x2014, 0x2015) || inRange(c, 0x2018, 0x2019)
            || inRange(c, 0x201C, 0x201D) || c == 0x2026;
    };
    // The tokenizer splits the doubled dash and ellipsis of Chinese (—— ……) into two marks.
    if (a == b && (inRange(a, 0x2014, 0x2015) || a == 0x2026))
        return true;
    const bool spacelessA = isDictionaryScript(a), spacelessB = isDictionaryScript(b);
    return (spacelessA && spacelessB) || fullWidth(a) || fullWidth(b) || (shared(a) && spacelessB)
        || (shared(b) && spacelessA);
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
{
    if (m_options.lowercase || m_options.normalize != Normalization::None)
        transformLine();
}

// Normalises and/or case-folds m_line into m_transformed. The result is valid UTF-8: ill-formed
// sequences are replaced and counted here, so the scanner finds none.
void LineTokenizer::transformLine()
{
    bool ascii = true, upper = false;
    for (const char ch : m_line) {
        const auto b = static_cast<unsigned char>(ch);
        ascii = ascii && b < 0x80;
        upper = upper || (b >= 'A' && b <= 'Z');
    }
    if (ascii) { // ASCII is normalised in every form, and folds to its lower case
        if (!m_options.lowercase || !upper)
            return;
        m_transformed.assign(m_line);
        for (char &ch : m_transformed)
            if (ch >= 'A' && ch <= 'Z')
                ch = static_cast<char>(ch - 'A' + 'a');
        m_line = m_transformed;
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *norm
        = m_options.normalize == Normalization::None ? nullptr : &normalizer(m_options.normalize);
    if (!m_options.lowercase
        && norm->isNormalizedUTF8(
            icu::StringPiece(m_line.data(), static_cast<int32_t>(m_line.size())), status)
        && U_SUCCESS(status))
        return; // nothing to do; ill-formed bytes, if any, are the scanner's to count

    icu::UnicodeString text;
    for (std::size_t pos = 0; pos < m_line.size();) {
        const Utf8Char c = peek(m_line, pos);
        pos += c.length;
        m_invalid += c.valid ? 0 : 1;
        text.append(static_cast<UChar32>(c.cp));
    }
    if (norm) {
        status = U_ZERO_ERROR;
        if (norm->quickCheck(text, status) != UNORM_YES) {
            status = U_ZERO_ERROR;
            text = norm->normalize(text, status);
            if (U_FAILURE(status))
                icuFailed("cannot normalise", status);
        }
    }
    if (m_options.lowercase) {
        if (m_options.folding == CaseFolding::Full) {
            text.foldCase(U_FOLD_CASE_DEFAULT);
        } else {
            icu::UnicodeString lowered;
            for (int32_t i = 0; i < text.length();) {
                const UChar32 c = text.char32At(i);
                i += U16_LENGTH(c);
                lowered.append(static_cast<UChar32>(lowercaseCodePoint(static_cast<char32_t>(c))));
            }
            text = lowered;
        }
    }
    m_transformed.clear();
    text.toUTF8String(m_transformed);
    m_line = m_transformed;
}

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

// Asks ICU where the dictionary-script run m_line[begin, end) breaks into words.
void LineTokenizer::cutDictionaryRun(std::size_t begin, std::size_t end)
{
    WordBreaker &breaker = wordBreaker();
    UErrorCode status = U_ZERO_ERROR;
    // UTF-8 text: ICU's boundaries are byte offsets into the run.
    utext_openUTF8(
        &breaker.text, m_line.data() + begin, static_cast<int64_t>(end - begin), &status);
    if (U_FAILURE(status))
        icuFailed("cannot open the text", status);
    breaker.iterator->setText(&breaker.text, status);
    if (U_FAILURE(status))
        icuFailed("cannot set the text", status);
    m_cuts.clear();
    m_nextCut = 0;
    breaker.iterator->first();
    for (int32_t b = breaker.iterator->next(); b != icu::BreakIterator::DONE;
         b = breaker.iterator->next()) {
        const std::size_t at = begin + static_cast<std::size_t>(b);
        if (at >= end)
            break;
        m_cuts.push_back(at);
    }
    m_cuts.push_back(end);
}

bool LineTokenizer::nextWord(std::string_view &token)
{
    if (m_nextCut < m_cuts.size()) { // inside a dictionary-script run
        const std::size_t end = m_cuts[m_nextCut++];
        token = m_line.substr(m_pos, end - m_pos);
        m_pos = end;
        return true;
    }
    const bool dictionary = m_options.cjk == CjkSegmentation::Words;
    const std::size_t size = m_line.size();
    while (m_pos < size) {
        const Utf8Char c = peek(m_line, m_pos);
        const CharClass cls = classify(c.cp, dictionary);
        if (cls == CharClass::Space) {
            m_pos += c.length; // U+FFFD is a word character, so nothing invalid is skipped here
            continue;
        }
        const std::size_t begin = m_pos;
        if (cls == CharClass::Dictionary) { // valid, since U+FFFD is not in these scripts
            std::size_t end = m_pos + c.length;
            while (end < size) {
                const Utf8Char d = peek(m_line, end);
                if (d.cp < 0x0E00 || !isDictionaryScript(d.cp))
                    break;
                end += d.length;
            }
            cutDictionaryRun(begin, end);
            return nextWord(token);
        }
        bool clean = c.valid;
        m_invalid += c.valid ? 0 : 1;
        m_pos += c.length;
        if (cls == CharClass::Word) {
            char32_t prev = c.cp;
            while (m_pos < size) {
                const Utf8Char d = peek(m_line, m_pos);
                const CharClass dcls = classify(d.cp, dictionary);
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
                const bool joins = joinsWords(d.cp) ? classify(e.cp, dictionary) == CharClass::Word
                                                    : isAsciiDigit(e.cp);
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

// The token m_line[begin, end): a view into the line when it is valid UTF-8, otherwise a
// repaired copy in m_buffer.
std::string_view LineTokenizer::finish(std::size_t begin, std::size_t end, bool clean)
{
    if (clean)
        return m_line.substr(begin, end - begin);
    m_buffer.clear();
    for (std::size_t pos = begin; pos < end;) {
        const Utf8Char c = peek(m_line, pos);
        pos += c.length;
        if (c.cp < 0x80)
            m_buffer.push_back(static_cast<char>(c.cp));
        else
            appendUtf8(m_buffer, c.cp);
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
