#pragma once
// Splits one line of UTF-8 text into tokens: words and punctuation, or single code points.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab {

enum class TokenizerMode {
    Word, // words and punctuation (see LineTokenizer)
    Char, // one token per Unicode code point, spaces included
};

// How word mode cuts text written without spaces: Han, Hiragana, Katakana, Thai, Lao, Khmer and
// Myanmar.
enum class CjkSegmentation {
    Words, // ICU's dictionary word break: 向量 is one token, Thai comes out as words
    Chars, // the tokenizer before ICU: one token per Han ideograph, a run of kana or of Thai,
           // Lao, Khmer or Myanmar letters is one word (what checkpoints without the field used)
};

// Unicode normalisation applied to each line before it is split.
enum class Normalization {
    None,
    Nfc, // canonical composition: e + U+0301 becomes é
    Nfkc, // also compatibility forms: ﬁ becomes fi, full-width ５ becomes 5
};

// What lowercase does.
enum class CaseFolding {
    Full, // ICU's full, default (non-Turkic) case folding: ß -> ss, İ -> i + U+0307, I -> i
    Simple, // the 1:1 table of lowercaseCodePoint, which checkpoints without the field used
};

struct TokenizerOptions
{
    TokenizerMode mode = TokenizerMode::Word;
    bool lowercase = false;
    CjkSegmentation cjk = CjkSegmentation::Words;
    Normalization normalize = Normalization::None;
    CaseFolding folding = CaseFolding::Full;
};

// The options of files saved before ICU (no "cjk" or "case_folding" field): one token per Han
// ideograph and the simple lowercase table, so their vocabularies match the text they encode.
TokenizerOptions legacyTokenizerOptions();

// Whether a and b split every text alike (the folding counts only when lowercasing).
bool sameTokenization(const TokenizerOptions &a, const TokenizerOptions &b);

// "word" / "char".
const char *tokenizerModeName(TokenizerMode mode);
// Accepts "word" and "char" (ASCII case ignored); returns false and leaves out alone otherwise.
bool parseTokenizerMode(std::string_view name, TokenizerMode &out);
// "words" / "chars".
const char *cjkSegmentationName(CjkSegmentation cjk);
bool parseCjkSegmentation(std::string_view name, CjkSegmentation &out);
// "none" / "nfc" / "nfkc".
const char *normalizationName(Normalization n);
bool parseNormalization(std::string_view name, Normalization &out);
// "full" / "simple".
const char *caseFoldingName(CaseFolding f);
bool parseCaseFolding(std::string_view name, CaseFolding &out);

// Simple 1:1 lowercase mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other
// code points are returned unchanged. No locale: U+0130 (I with dot) maps to 'i'. Used by
// CaseFolding::Simple and by the analogy file reader's case-insensitive matching.
char32_t lowercaseCodePoint(char32_t cp);

// The line without a trailing '\r' (the CR of a CRLF line ending).
std::string_view stripCarriageReturn(std::string_view line);

// Whether two tokens written one after the other (generated text) go without a space between
// them: when both sides are of a script written without spaces (Chinese, Japanese, Thai, Lao,
// Khmer, Burmese), or either side is CJK or full-width punctuation (，。「」！), or they are the
// two halves of a doubled dash or ellipsis (—— ……). "Hello" "世界" keep their space.
bool joinsWithoutSpace(std::string_view left, std::string_view right);

// Pulls the tokens of one line (no '\n' inside; a trailing '\r' is ignored) without allocating
// per token.
//
// The line is first normalised (options.normalize) and then, if options.lowercase, case-folded
// (ICU's full default folding, so "Straße" and "STRASSE" both give "strasse"; the Turkic rules
// are not used: I -> i, İ -> i + U+0307, ı stays ı). An ASCII line skips ICU entirely, and a
// line that ICU's quick check finds normalised is not copied.
//
// Word mode: Unicode whitespace and control characters separate words; each punctuation
// character is a token of its own, except an apostrophe (' or U+2019) or '-' between two word
// characters and a '.' or ',' between two ASCII digits, which stay inside the word ("don't",
// "twenty-one", "3.14"). These are our rules, not UAX #29's (which would split "twenty-one" and
// keep "3.14." apart differently), and they hold for every script written with spaces.
// Text in a dictionary script (Han incl. 々 and 〇, Hiragana, Katakana incl. half-width, Thai,
// Lao, Khmer, Myanmar) is cut as options.cjk says: with CjkSegmentation::Words each maximal run
// of such characters is handed to ICU's word BreakIterator (UAX #29 with ICU's CJ, Thai, Lao,
// Khmer and Burmese dictionaries) and every piece is a token (我们在学习 -> 我们 在 学习); the run
// always ends a Latin word and starts a new token ("Hello世界" -> Hello 世界). With
// CjkSegmentation::Chars each Han ideograph is a token and kana and the Southeast Asian scripts
// are ordinary word characters (the behaviour before ICU). The fast hand-written scanner does
// all the rest; the BreakIterator is created once per thread, on the first run it is needed for.
// Ill-formed UTF-8 becomes U+FFFD, which counts as a word character.
class LineTokenizer
{
public:
    LineTokenizer(std::string_view line, const TokenizerOptions &options);
    // Not copyable: m_line may point into m_transformed.
    LineTokenizer(const LineTokenizer &) = delete;
    LineTokenizer &operator=(const LineTokenizer &) = delete;

    // Sets token to the next token and returns true, or returns false at the end of the line.
    // The view stays valid until the next call or until the tokenizer or line goes away.
    bool next(std::string_view &token);

    // Ill-formed UTF-8 sequences met so far (each replaced by U+FFFD).
    std::size_t invalidUtf8() const { return m_invalid; }

private:
    bool nextWord(std::string_view &token);
    std::string_view finish(std::size_t begin, std::size_t end, bool clean);
    void transformLine();
    void cutDictionaryRun(std::size_t begin, std::size_t end);

    std::string_view m_line;
    TokenizerOptions m_options;
    std::size_t m_pos = 0;
    std::size_t m_invalid = 0;
    std::string m_buffer;
    std::string m_transformed; // the normalised and/or folded line, when it differs
    // Where ICU cut the current dictionary-script run (byte offsets in m_line, its end
    // included), and the next one to hand out; taken all at once so that two tokenizers on one
    // thread never share the iterator's state.
    std::vector<std::size_t> m_cuts;
    std::size_t m_nextCut = 0;
};

// Appends the tokens of one line (no newline inside; a trailing '\r' is ignored) to out, and adds
// the number of ill-formed UTF-8 sequences to *invalidUtf8.
void tokenizeLine(std::string_view line, const TokenizerOptions &options,
    std::vector<std::string> &out, std::size_t *invalidUtf8 = nullptr);

} // namespace embedlab
