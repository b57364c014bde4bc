#pragma once
// Word-analogy evaluation over a questions file, with the numbers of gensim 4.2's
// KeyedVectors.evaluate_word_analogies.
#include "core/neighbors.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace embedlab {

struct AnalogySection
{
    std::string name;
    int correct = 0;
    int total = 0; // questions answered, correct or not (those with unknown words not included)
    int skipped = 0; // questions with a word outside the (restricted) vocabulary

    // correct / total, 0 for a section with no answered question (as gensim logs it).
    double accuracy() const { return total > 0 ? static_cast<double>(correct) / total : 0.0; }
};

struct AnalogyEvaluation
{
    std::vector<AnalogySection> sections; // in file order, empty sections included
    AnalogySection total; // all sections; named "Total accuracy" as in gensim
    std::uint64_t skipped = 0; // questions with unknown words, not evaluated (gensim's oov)
    std::uint64_t malformed = 0; // lines that are neither ": section" nor four words; ignored
    bool stopped = false; // the progress callback asked to stop; the counts cover what was done
};

// Evaluates `a b c d` questions: correct when the best answer to a : b :: c : ? (rows a, b, c
// excluded, searched among the first restrictTo rows, 0 = all) is d. The file has ": name" lines
// starting sections, then one question per line; other lines inside a section are counted as
// malformed and ignored, a question before the first section is an error.
//
// As in gensim (restrict_vocab = restrictTo), with caseInsensitive every word is compared by its
// upper-case form (upperCaseForMatching), and a form stands for the first row that has it; a
// question with a word not among the first restrictTo rows is skipped; of the 5 best answers the
// first whose upper-case form differs from those of a, b and c is the prediction.
// Method Add reproduces evaluate_word_analogies; Mul runs the same loop with 3CosMul (gensim
// 4.2's evaluate_word_analogies ignores its similarity_function argument).
//
// progress(done, total) is called after each question; returning false stops the evaluation.
// Throws Error naming the file (and line) when it cannot be read or has no section header.
AnalogyEvaluation evaluateAnalogies(const NeighborIndex &index, const std::string &questionsPath,
    AnalogyMethod method = AnalogyMethod::Add, std::size_t restrictTo = 0,
    bool caseInsensitive = true,
    const std::function<bool(std::size_t done, std::size_t total)> &progress = {});

// gensim's ok_vocab: each word's form (its upperCaseForMatching form with caseInsensitive) ->
// the first of the first restrictTo rows (0 = all) that has it.
std::unordered_map<std::string, int> matchingVocabulary(
    const WordVectors &table, std::size_t restrictTo, bool caseInsensitive);

// Python's str.upper() for U+0000..U+017F (ASCII, Latin-1, Latin Extended-A), Greek (U+0370..
// U+03FF) and Cyrillic (U+0400..U+052F), including ß -> SS; other code points are unchanged and
// invalid UTF-8 becomes U+FFFD.
std::string upperCaseForMatching(std::string_view word);

} // namespace embedlab
