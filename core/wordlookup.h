#pragma once
// Looking words up in a table of word vectors, with "did you mean" suggestions for a word that is
// not in it (a case variant, a small misspelling).
#include "core/wordvectors.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab {

// Words of the table that the user may have meant by `word`, best first, at most `max`:
// the words whose upper-case form (upperCaseForMatching) is at optimal-string-alignment distance
// (Damerau-Levenshtein, an adjacent transposition counting as one edit, no substring edited
// twice) at most 1 from that of `word` for words of up to 4 characters, at most 2 for longer
// ones, counted in code points. Ordered by distance (0: the same word in another case), then by
// row, which in frequency-sorted files (word2vec, GloVe, our models) is most frequent first.
// `word` itself is never suggested. Scans the whole table (a fraction of a second for 400k words).
std::vector<std::string> spellingSuggestions(
    const WordVectors &table, std::string_view word, std::size_t max = 5);

// Optimal string alignment distance of two code point strings, or limit + 1 once it exceeds
// limit (a cheap early exit).
int editDistance(std::u32string_view a, std::u32string_view b, int limit);

// "did you mean \"Elizabeth\" or \"elisabeth\"?" with the spellingSuggestions of `word`, or ""
// when there are none.
std::string didYouMean(const WordVectors &table, std::string_view word);

// "word \"elizabeth\" is not in the vocabulary; did you mean \"Elizabeth\"?" (only the first
// part when there is no suggestion).
std::string unknownWordMessage(const WordVectors &table, std::string_view word);

// The table's word that `word` stands for in another case ("elizabeth" -> "Elizabeth"): of the
// rows whose upper-case form (upperCaseForMatching) equals that of `word`, the first, which in
// frequency-sorted tables is the most frequent. Empty when `word` is in the table as written or
// has no such variant.
std::string caseVariant(const WordVectors &table, std::string_view word);

// The row of `word`, or throws Error(unknownWordMessage(table, word)).
int requireWord(const WordVectors &table, std::string_view word);

} // namespace embedlab
