#pragma once
// NeighborIndex: nearest neighbours and analogies over a table of word vectors, with the same
// answers as gensim 4.2's KeyedVectors.most_similar / most_similar_cosmul.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace embedlab {

enum class Metric {
    Cosine, // score = cosine similarity, largest first (gensim's most_similar)
    Euclidean, // score = distance ||row - query||, smallest first
};

enum class AnalogyMethod {
    Add, // 3CosAdd: cosine with unit(b^ - a^ + c^), x^ = x / ||x|| (gensim's most_similar)
    Mul, // 3CosMul: cos'(x,b) cos'(x,c) / (cos'(x,a) + 1e-6), cos' = (1 + cos) / 2
         // (gensim's most_similar_cosmul, Levy & Goldberg 2014)
};

struct Neighbor
{
    int row = -1;
    std::string word;
    float score = 0;
};

// Answers queries over one WordVectors table. The constructor reads the table once (row norms
// and a compact int8 copy of the unit rows, a quarter of the table's size) and keeps a reference
// to it: the table must outlive the index, and the index must be rebuilt when the table changes.
//
// A query first scans the int8 copy on all threads, which bounds every row's score from above
// and below; only rows whose upper bound reaches the k-th best lower bound are scored again
// exactly (double accumulation over the float table). The results are therefore those of an
// exact scan: ranked by score, ties by row, and independent of the thread count.
//
// Rows with zero norm have cosine 0 with everything (gensim would give NaN); rows holding NaN or
// infinity count as zero rows; a zero query vector has cosine 0 with every row.
// Shapes: the table is (n, dim), queries are (dim).
class NeighborIndex
{
public:
    explicit NeighborIndex(const WordVectors &table);

    const WordVectors &table() const { return *m_table; }
    std::size_t size() const { return m_table->size(); }
    int dim() const { return m_table->dim(); }

    // The k rows nearest to `query` among the first `restrictTo` rows (0 = all rows), skipping
    // the rows in `exclude`. Cosine ranks by cos(row, query); Euclidean by distance. k <= 0
    // gives an empty list. Throws Error if query has the wrong size or is not finite.
    std::vector<Neighbor> nearest(const Eigen::Ref<const Eigen::VectorXf> &query, int k,
        Metric metric, const std::vector<int> &exclude = {}, std::size_t restrictTo = 0) const;

    // The k nearest rows to a word (to a row), the word itself excluded: gensim's
    // most_similar(positive=[word], topn=k, restrict_vocab=restrictTo) for Cosine. A word outside
    // a table with subwords (a fastText model) is looked up by its n-gram vector. Throws Error
    // for an unknown word (or one without n-grams) or a row out of range.
    std::vector<Neighbor> nearestToWord(
        const std::string &word, int k, Metric metric, std::size_t restrictTo = 0) const;
    std::vector<Neighbor> nearestToRow(
        int row, int k, Metric metric, std::size_t restrictTo = 0) const;

    // a : b :: c : ?  (man : king :: woman : queen), a, b and c excluded from the answers.
    // Add is gensim's most_similar(positive=[b, c], negative=[a]); Mul is
    // most_similar_cosmul(positive=[b, c], negative=[a]), except that restrictTo is honoured
    // (gensim 4.2's most_similar_cosmul ignores restrict_vocab). Throws Error for an unknown word;
    // in a fastText model a word outside the vocabulary is taken as mostSimilar takes it.
    std::vector<Neighbor> analogy(const std::string &a, const std::string &b, const std::string &c,
        int k, AnalogyMethod method = AnalogyMethod::Add, std::size_t restrictTo = 0) const;
    std::vector<Neighbor> analogy(
        int a, int b, int c, int k, AnalogyMethod method, std::size_t restrictTo = 0) const;

    // gensim's most_similar(positive=[...], negative=[...], topn=k, restrict_vocab=restrictTo)
    // (Add: cosine with the mean of the unit rows, weighted +1 and -1) or most_similar_cosmul
    // (Mul: the product of (1 + cos) / 2 over the positive rows divided by that product over the
    // negative rows plus 1e-6), the given rows excluded from the answers. A row given twice counts
    // twice. Mul needs a positive row, Add any row. Mul with two positive rows and one negative is
    // analogy(); other Mul queries are scored exactly for every row (a scan without the int8
    // bounds), and honour restrictTo where gensim 4.2's most_similar_cosmul ignores it.
    // Throws Error for a row out of range or no rows.
    std::vector<Neighbor> mostSimilar(const std::vector<int> &positive,
        const std::vector<int> &negative, int k, AnalogyMethod method = AnalogyMethod::Add,
        std::size_t restrictTo = 0) const;
    // The same with words; an unknown word throws Error with "did you mean" suggestions. In a
    // fastText model a word outside the vocabulary takes its n-gram vector (normalised) and,
    // having no row, excludes nothing, as gensim's most_similar and most_similar_cosmul do.
    std::vector<Neighbor> mostSimilar(const std::vector<std::string> &positive,
        const std::vector<std::string> &negative, int k, AnalogyMethod method = AnalogyMethod::Add,
        std::size_t restrictTo = 0) const;

    // Cosine similarity of two rows (0 if either has zero norm).
    double similarity(int row1, int row2) const;
    // The same for two words (gensim's similarity); an unknown word throws Error as mostSimilar,
    // a fastText model's word outside the vocabulary takes its n-gram vector.
    double similarity(const std::string &word1, const std::string &word2) const;

    // gensim's doesnt_match: the word whose unit row is least similar to the normalised mean of
    // the words' unit rows (ties: the smallest word in code point order, as Python's sorted()).
    // `ranked` is gensim's rank_by_centrality, most central first (score: that cosine). Words
    // not in the vocabulary are left out and listed in `ignored`, in the order given, once each,
    // as gensim does (it only logs them); in a fastText model they take their n-gram vectors
    // (row -1 in `ranked`) and only a word without n-grams is ignored. Throws Error when no word
    // is known.
    struct OddOneOut
    {
        std::string word;
        std::vector<Neighbor> ranked;
        std::vector<std::string> ignored;
    };
    OddOneOut doesntMatch(const std::vector<std::string> &words) const;

private:
    struct Query; // one scan's query and scoring rule (neighbors.cpp)

    std::vector<Neighbor> search(
        const Query &query, int k, const std::vector<int> &exclude, std::size_t restrictTo) const;
    std::vector<Neighbor> cosMulScan(const std::vector<int> &positive,
        const std::vector<int> &negative, int k, std::size_t restrictTo) const;
    // (dim) unit vectors; exclude: the rows not to answer.
    std::vector<Neighbor> cosMulScan(const std::vector<Eigen::VectorXd> &positive,
        const std::vector<Eigen::VectorXd> &negative, std::vector<int> exclude, int k,
        std::size_t restrictTo) const;
    void checkRow(int row) const;
    Eigen::VectorXd unitRow(int row) const;
    // A word's unit vector: its row's, or (a fastText model) its n-gram vector's, with *row -1.
    // Throws Error as requireWord for a word with neither.
    Eigen::VectorXd unitVectorOf(const std::string &word, int *row) const;
    // Any of the words outside the rows of a table with subwords.
    bool needsNgrams(const std::vector<std::string> &words) const;

    const WordVectors *m_table;
    bool m_avx2 = false; // AVX2 kernels (chosen at construction; EMBEDLAB_NO_AVX2 turns them off)
    std::vector<double> m_norms; // (n) ||row||
    // Unit rows u_i ~ m_scale[i] * codes, |u_i - m_scale[i] * codes| <= m_residual[i]. Codes are
    // stored in blocks of 8 rows: block b, group g holds rows 8b..8b+7, dims 4g..4g+3, row-major
    // (32 bytes), so one AVX2 register holds 4 dims of 8 rows. dim is padded to a multiple of 4.
    int m_groups = 0;
    std::vector<std::int8_t> m_codes; // (blocks, groups, 8, 4)
    std::vector<float> m_scale; // (blocks * 8)
    std::vector<float> m_residual; // (blocks * 8)
    std::vector<float> m_normF; // (blocks * 8) ||row|| as float, for the quick first test
    double m_maxNorm = 0;
};

} // namespace embedlab
