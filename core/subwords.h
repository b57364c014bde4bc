#pragma once
// SubwordModel: fastText's character n-gram buckets, which give a vector to any word, in the
// vocabulary or not (gensim 4.2's FastTextKeyedVectors).
#include <Eigen/Core>

#include <cstdint>
#include <string_view>
#include <vector>

namespace embedlab {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// fastText's hash: 32-bit FNV-1a over the bytes, each taken as a signed char (gensim's
// ft_hash_bytes, fastText's Dictionary::hash).
std::uint32_t fastTextHash(std::string_view bytes);

class SubwordModel
{
public:
    // buckets: (bucket, dim), the rows after the words in a fastText input matrix.
    SubwordModel(int minn, int maxn, RowMatrixXf buckets);

    int minn() const { return m_minn; }
    int maxn() const { return m_maxn; }
    std::size_t bucketCount() const { return static_cast<std::size_t>(m_buckets.rows()); }
    int dim() const { return static_cast<int>(m_buckets.cols()); }
    const RowMatrixXf &buckets() const { return m_buckets; }

    // The bucket of every n-gram of "<word>" of minn to maxn code points, except "<" and ">"
    // alone, in fastText's order and with repeats (gensim's ft_ngram_hashes).
    std::vector<std::uint32_t> ngramBuckets(std::string_view word) const;

    // The mean of the word's n-gram rows (gensim's get_vector for a word outside the
    // vocabulary). A word without n-grams gets the zero vector and false, as in gensim.
    // out: (dim)
    bool vector(std::string_view word, Eigen::Ref<Eigen::VectorXf> out) const;

    // (row + its n-gram rows) / (1 + n-grams): the vector fastText and gensim give a word of the
    // vocabulary whose input row is `row`. out: (dim)
    void composeWordVector(std::string_view word, const Eigen::Ref<const Eigen::VectorXf> &row,
        Eigen::Ref<Eigen::VectorXf> out) const;

private:
    int m_minn, m_maxn;
    RowMatrixXf m_buckets; // (bucket, dim)
};

} // namespace embedlab
