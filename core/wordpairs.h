#pragma once
// Word-pair similarity evaluation (WordSim-353, SimLex-999) with the numbers of gensim 4.2's
// KeyedVectors.evaluate_word_pairs, and the correlations it reports (scipy's pearsonr, spearmanr).
#include "core/wordvectors.h"

#include <cstddef>
#include <string>
#include <vector>

namespace embedlab {

constexpr std::size_t DefaultPairsRestrict = 300000; // gensim's restrict_vocab

struct WordPairEvaluation
{
    double pearson = 0; // of the file's scores and the cosines; NaN if undefined (see below)
    double spearman = 0; // Pearson of their ranks, ties given their average rank
    double oovRatio = 0; // pairs with an unknown word, in percent of all pairs
    std::size_t pairs = 0; // pairs evaluated (both words known)
    std::size_t oovPairs = 0; // pairs skipped for an unknown word
    std::size_t comments = 0; // "#" lines
    std::size_t blankLines = 0; // empty or whitespace-only lines, skipped
};

// Evaluates a pairs file: one "word TAB word TAB score" per line, "#" at the start of a line makes
// it a comment. As in gensim: with caseInsensitive both words are compared by their upper-case
// form (upperCaseForMatching), a form standing for the first of the first restrictTo rows that
// has it (restrictTo 0 = all rows); a pair with a word outside those rows is skipped and counted;
// words are taken as they are (a space next to a tab belongs to the word); the score is any
// finite number Python's float() reads, spaces around it allowed. The model's score of a pair is
// the cosine of the two rows (0 for a zero row).
//
// Unlike gensim, which skips them silently, a line that has no two tabs or whose score is not a
// number is an error; blank lines are skipped. Pearson and Spearman are NaN when fewer than two
// pairs are evaluated or one side is constant (scipy's answer for a constant input).
// Throws Error naming the file (and line) when it cannot be read, has a bad line, or has no pair
// with both words known (gensim's ValueError).
WordPairEvaluation evaluateWordPairs(const WordVectors &table, const std::string &pairsPath,
    std::size_t restrictTo = DefaultPairsRestrict, bool caseInsensitive = true);

// scipy.stats.rankdata(values) with method "average": ranks from 1, tied values share the mean
// of the ranks they span.
std::vector<double> averageRanks(const std::vector<double> &values);

// Pearson's r of x and y (same size), clipped to [-1, 1] as scipy does; NaN for fewer than two
// values or a constant x or y.
double pearsonCorrelation(const std::vector<double> &x, const std::vector<double> &y);

// Spearman's rho: pearsonCorrelation of averageRanks(x) and averageRanks(y).
double spearmanCorrelation(const std::vector<double> &x, const std::vector<double> &y);

} // namespace embedlab
