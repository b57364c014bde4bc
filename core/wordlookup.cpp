#include "core/wordlookup.h"

#include "core/analogy.h"
#include "core/error.h"
#include "core/utf8.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace embedlab {

int editDistance(std::u32string_view a, std::u32string_view b, int limit)
{
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit)
        return limit + 1;
    // Three rows of the dynamic programme: i - 2, i - 1 and i.
    std::vector<int> prev2(static_cast<std::size_t>(m) + 1), prev(prev2.size()), cur(prev2.size());
    for (int j = 0; j <= m; ++j)
        prev[static_cast<std::size_t>(j)] = j;
    for (int i = 1; i <= n; ++i) {
        cur[0] = i;
        int rowMin = cur[0];
        for (int j = 1; j <= m; ++j) {
            const std::size_t J = static_cast<std::size_t>(j);
            const int cost = a[static_cast<std::size_t>(i - 1)] == b[J - 1] ? 0 : 1;
            int d = std::min({ prev[J] + 1, cur[J - 1] + 1, prev[J - 1] + cost });
            if (i > 1 && j > 1 && a[static_cast<std::size_t>(i - 1)] == b[J - 2]
                && a[static_cast<std::size_t>(i - 2)] == b[J - 1])
                d = std::min(d, prev2[J - 2] + 1);
            cur[J] = d;
            rowMin = std::min(rowMin, d);
        }
        if (rowMin > limit)
            return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[static_cast<std::size_t>(m)], limit + 1);
}

std::vector<std::string> spellingSuggestions(
    const WordVectors &table, std::string_view word, std::size_t max)
{
    if (max == 0)
        return {};
    const std::u32string target = decodeUtf8(upperCaseForMatching(word));
    const int limit = target.size() <= 4 ? 1 : 2;
    std::vector<std::tuple<int, std::size_t>> found; // (distance, row)
    for (std::size_t row = 0; row < table.size(); ++row) {
        const std::string &w = table.word(row);
        if (w == word)
            continue;
        // Upper-casing changes the length of a few letters only (ß -> SS); a word far longer or
        // shorter in bytes cannot be close.
        if (w.size() + 4 * static_cast<std::size_t>(limit) + 8 < word.size()
            || word.size() + 4 * static_cast<std::size_t>(limit) + 8 < w.size())
            continue;
        const int d = editDistance(target, decodeUtf8(upperCaseForMatching(w)), limit);
        if (d <= limit)
            found.emplace_back(d, row);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (const auto &[d, row] : found) {
        if (out.size() >= max)
            break;
        if (std::find(out.begin(), out.end(), table.word(row)) == out.end())
            out.push_back(table.word(row));
    }
    return out;
}

std::string didYouMean(const WordVectors &table, std::string_view word)
{
    const std::vector<std::string> suggestions = spellingSuggestions(table, word);
    std::string text;
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
        text += i == 0 ? "did you mean " : i + 1 == suggestions.size() ? " or " : ", ";
        text += "\"" + suggestions[i] + "\"";
    }
    if (!suggestions.empty())
        text += "?";
    return text;
}

std::string unknownWordMessage(const WordVectors &table, std::string_view word)
{
    std::string message = "word \"" + std::string(word) + "\" is not in the vocabulary";
    const std::string hint = didYouMean(table, word);
    if (!hint.empty())
        message += "; " + hint;
    return message;
}

std::string caseVariant(const WordVectors &table, std::string_view word)
{
    if (table.find(word) >= 0)
        return {};
    const std::string target = upperCaseForMatching(word);
    for (std::size_t row = 0; row < table.size(); ++row)
        if (upperCaseForMatching(table.word(row)) == target)
            return table.word(row);
    return {};
}

int requireWord(const WordVectors &table, std::string_view word)
{
    const int row = table.find(word);
    if (row < 0)
        throw Error(unknownWordMessage(table, word));
    return row;
}

} // namespace embedlab
