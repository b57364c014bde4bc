#include "core/analogy.h"

#include "core/fileio.h"

#include "core/error.h"
#include "core/tokenizer.h"
#include "core/utf8.h"

#include <array>
#include <fstream>
#include <iterator>
#include <unordered_map>

namespace embedlab {

namespace {

constexpr char32_t UpperLimit = 0x530; // code points below this are mapped
constexpr int AnswersLooked = 5; // gensim's topn in evaluate_word_analogies

bool mappedRange(char32_t c)
{
    return c < 0x180 || (c >= 0x370 && c < UpperLimit);
}

// Simple upper-case mappings: the inverse of the tokenizer's lower-case mapping (the first upper
// case letter wins, so 'i' -> 'I', not U+0130), plus the letters whose upper case has no lower
// case mapping back to them. Multi-letter results (ß -> SS) are handled by upperCaseForMatching.
const std::array<char32_t, UpperLimit> &upperTable()
{
    static const std::array<char32_t, UpperLimit> table = [] {
        std::array<char32_t, UpperLimit> t {};
        for (char32_t c = 0; c < UpperLimit; ++c)
            t[c] = c;
        for (char32_t c = 0; c < UpperLimit; ++c) {
            if (!mappedRange(c))
                continue;
            const char32_t lower = lowercaseCodePoint(c);
            if (lower != c && lower < UpperLimit && mappedRange(lower) && t[lower] == lower)
                t[lower] = c;
        }
        const std::pair<char32_t, char32_t> extra[] = {
            { 0xB5, 0x39C }, // micro sign -> capital mu
            { 0x131, 'I' }, // dotless i
            { 0x17F, 'S' }, // long s
            { 0x3C2, 0x3A3 }, // final sigma
            { 0x3D0, 0x392 },
            { 0x3D1, 0x398 },
            { 0x3D5, 0x3A6 },
            { 0x3D6, 0x3A0 }, // symbol variants
            { 0x3F0, 0x39A },
            { 0x3F1, 0x3A1 },
            { 0x3F5, 0x395 },
        };
        for (const auto &[from, to] : extra)
            t[from] = to;
        return t;
    }();
    return table;
}

// Python's str.isspace() characters, which str.split() and str.strip() use.
bool isPythonSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
        || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
        || c == 0x205F || c == 0x3000;
}

// line.split() of Python, on UTF-8.
std::vector<std::string> splitWords(std::string_view line)
{
    std::vector<std::string> words;
    std::size_t pos = 0, start = std::string_view::npos;
    while (pos < line.size()) {
        const Utf8Char c = decodeUtf8At(line, pos);
        const bool space = c.valid && isPythonSpace(c.cp);
        if (space && start != std::string_view::npos) {
            words.push_back(sanitizeUtf8(line.substr(start, pos - start)));
            start = std::string_view::npos;
        } else if (!space && start == std::string_view::npos) {
            start = pos;
        }
        pos += c.length;
    }
    if (start != std::string_view::npos)
        words.push_back(sanitizeUtf8(line.substr(start)));
    return words;
}

// line.lstrip(': ').strip() of Python: the name of a section.
std::string sectionName(std::string_view line)
{
    std::size_t begin = 0;
    while (begin < line.size() && (line[begin] == ':' || line[begin] == ' '))
        ++begin;
    std::u32string name = decodeUtf8(line.substr(begin));
    std::size_t b = 0, e = name.size();
    while (b < e && isPythonSpace(name[b]))
        ++b;
    while (e > b && isPythonSpace(name[e - 1]))
        --e;
    std::string out;
    for (std::size_t i = b; i < e; ++i)
        appendUtf8(out, name[i]);
    return out;
}

struct Question
{
    std::size_t section;
    std::string words[4]; // a, b, c, expected; upper-cased when case-insensitive
};

} // namespace

std::string upperCaseForMatching(std::string_view word)
{
    const auto &table = upperTable();
    std::string out;
    out.reserve(word.size());
    for (std::size_t pos = 0; pos < word.size();) {
        const Utf8Char c = decodeUtf8At(word, pos);
        pos += c.length;
        const char32_t cp = c.valid ? c.cp : ReplacementChar;
        if (cp < 0x80) {
            out += static_cast<char>(cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp);
        } else if (cp == 0xDF) { // ß
            out += "SS";
        } else if (cp == 0x149) { // ŉ
            appendUtf8(out, 0x2BC);
            out += 'N';
        } else if (cp == 0x390 || cp == 0x3B0) { // ΐ, ΰ: capital, diaeresis, acute
            appendUtf8(out, cp == 0x390 ? 0x399 : 0x3A5);
            appendUtf8(out, 0x308);
            appendUtf8(out, 0x301);
        } else {
            appendUtf8(out, cp < UpperLimit && mappedRange(cp) ? table[cp] : cp);
        }
    }
    return out;
}

std::unordered_map<std::string, int> matchingVocabulary(
    const WordVectors &table, std::size_t restrictTo, bool caseInsensitive)
{
    const std::size_t limit = restrictTo == 0 ? table.size() : std::min(restrictTo, table.size());
    std::unordered_map<std::string, int> vocab;
    vocab.reserve(limit);
    for (std::size_t i = 0; i < limit; ++i)
        vocab.emplace(caseInsensitive ? upperCaseForMatching(table.word(i)) : table.word(i),
            static_cast<int>(i));
    return vocab;
}

AnalogyEvaluation evaluateAnalogies(const NeighborIndex &index, const std::string &questionsPath,
    AnalogyMethod method, std::size_t restrictTo, bool caseInsensitive,
    const std::function<bool(std::size_t, std::size_t)> &progress)
{
    const std::string text = readFile(questionsPath);
    const WordVectors &table = index.table();
    const std::size_t limit = restrictTo == 0 ? table.size() : std::min(restrictTo, table.size());
    const auto key = [caseInsensitive](std::string_view w) {
        return caseInsensitive ? upperCaseForMatching(w) : std::string(w);
    };
    const std::unordered_map<std::string, int> vocab
        = matchingVocabulary(table, restrictTo, caseInsensitive);

    AnalogyEvaluation result;
    std::vector<Question> questions;
    std::size_t pos = 0, lineNumber = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        pos = 3; // UTF-8 byte-order mark
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        const std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        if (line.compare(0, 2, ": ") == 0) {
            result.sections.push_back({ sectionName(line) });
            continue;
        }
        std::vector<std::string> words = splitWords(line);
        if (result.sections.empty()) {
            if (words.empty())
                continue; // blank lines before the first section (gensim would refuse them)
            throw Error(fileMessage(
                questionsPath, "question before the first \": section\" line", lineNumber));
        }
        if (words.size() != 4) {
            ++result.malformed;
            continue;
        }
        Question q;
        q.section = result.sections.size() - 1;
        for (int i = 0; i < 4; ++i)
            q.words[i] = key(words[static_cast<std::size_t>(i)]);
        questions.push_back(std::move(q));
    }

    for (std::size_t n = 0; n < questions.size(); ++n) {
        const Question &q = questions[n];
        AnalogySection &section = result.sections[q.section];
        int rows[4];
        bool known = true;
        for (int i = 0; i < 4 && known; ++i) {
            const auto it = vocab.find(q.words[i]);
            known = it != vocab.end();
            rows[i] = known ? it->second : -1;
        }
        if (!known) {
            ++section.skipped;
            ++result.skipped;
        } else {
            const std::vector<Neighbor> answers
                = index.analogy(rows[0], rows[1], rows[2], AnswersLooked, method, limit);
            // gensim: the first answer that is none of a, b, c (by form); if all are, the last.
            std::string predicted;
            bool any = false;
            for (const Neighbor &answer : answers) {
                predicted = key(answer.word);
                any = true;
                if (predicted != q.words[0] && predicted != q.words[1] && predicted != q.words[2])
                    break;
            }
            ++section.total;
            if (any && predicted == q.words[3])
                ++section.correct;
        }
        if (progress && !progress(n + 1, questions.size())) {
            result.stopped = true;
            break;
        }
    }

    result.total.name = "Total accuracy";
    for (const AnalogySection &s : result.sections) {
        result.total.correct += s.correct;
        result.total.total += s.total;
        result.total.skipped += s.skipped;
    }
    return result;
}

} // namespace embedlab
