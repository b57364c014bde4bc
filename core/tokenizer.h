#pragma once
// Splits one line of UTF-8 text into tokens: words and punctuation, or single code points.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab {

enum class TokenizerMode {
    Word, // whitespace-separated words, punctuation split off, one token per CJK ideograph
    Char, // one token per Unicode code point, spaces included
};

struct TokenizerOptions
{
    TokenizerMode mode = TokenizerMode::Word;
    bool lowercase = false;
};

// "word" / "char".
const char *tokenizerModeName(TokenizerMode mode);
// Accepts "word" and "char" (ASCII case ignored); returns false and leaves out alone otherwise.
bool parseTokenizerMode(std::string_view name, TokenizerMode &out);

// Simple 1:1 lowercase mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other
// code points are returned unchanged. No locale: U+0130 (I with dot) maps to 'i'.
char32_t lowercaseCodePoint(char32_t cp);

// The line without a trailing '\r' (the CR of a CRLF line ending).
std::string_view stripCarriageReturn(std::string_view line);

// Pulls the tokens of one line (no '\n' inside; a trailing '\r' is ignored) without allocating
// per token. Word mode: Unicode whitespace and control characters separate words; each
// punctuation character is a token of its own, except an apostrophe (' or U+2019) or '-' between
// two word characters and a '.' or ',' between two ASCII digits, which stay inside the word
// ("don't", "twenty-one", "3.14"); each CJK ideograph is a token. Ill-formed UTF-8 becomes U+FFFD,
// which counts as a word character.
class LineTokenizer
{
public:
    LineTokenizer(std::string_view line, const TokenizerOptions &options);

    // Sets token to the next token and returns true, or returns false at the end of the line.
    // The view stays valid until the next call or until the tokenizer or line goes away.
    bool next(std::string_view &token);

    // Ill-formed UTF-8 sequences met so far (each replaced by U+FFFD).
    std::size_t invalidUtf8() const { return m_invalid; }

private:
    bool nextWord(std::string_view &token);
    std::string_view finish(std::size_t begin, std::size_t end, bool clean);

    std::string_view m_line;
    TokenizerOptions m_options;
    std::size_t m_pos = 0;
    std::size_t m_invalid = 0;
    std::string m_buffer;
};

// Appends the tokens of one line (no newline inside; a trailing '\r' is ignored) to out, and adds
// the number of ill-formed UTF-8 sequences to *invalidUtf8.
void tokenizeLine(std::string_view line, const TokenizerOptions &options,
    std::vector<std::string> &out, std::size_t *invalidUtf8 = nullptr);

} // namespace embedlab
