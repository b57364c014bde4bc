#pragma once
// A table of word vectors: row i of `vectors` belongs to words[i]. Imported files and the
// model's own embedding table both become one of these.
#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace embedlab {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
class SubwordModel;

class WordVectors
{
public:
    WordVectors() = default;
    WordVectors(std::vector<std::string> words, RowMatrixXf vectors,
        std::vector<std::uint64_t> counts = {});
    WordVectors(const WordVectors &other);
    WordVectors &operator=(const WordVectors &other);
    WordVectors(WordVectors &&) noexcept = default;
    WordVectors &operator=(WordVectors &&) noexcept = default;

    std::size_t size() const { return m_words.size(); }
    int dim() const { return static_cast<int>(m_vectors.cols()); }
    bool empty() const { return m_words.empty(); }

    const std::vector<std::string> &words() const { return m_words; }
    const std::string &word(std::size_t row) const { return m_words[row]; }
    const RowMatrixXf &vectors() const { return m_vectors; }
    RowMatrixXf &vectors() { return m_vectors; }
    // Corpus counts when known (the model's vocabulary); empty for imported files.
    const std::vector<std::uint64_t> &counts() const { return m_counts; }

    // Row of a word, or -1. The first row wins if a word appears twice.
    int find(std::string_view word) const;

    // fastText models: the n-gram buckets that give words outside the table a vector; null for
    // every other table. Shared, read-only, between copies of the table.
    const std::shared_ptr<const SubwordModel> &subwords() const { return m_subwords; }
    void setSubwords(std::shared_ptr<const SubwordModel> subwords);
    // The word's row, or else (with subwords) the mean of its n-gram rows, as gensim's
    // FastTextKeyedVectors.get_vector. False when the word has neither (out is then zero).
    // out: (dim)
    bool vectorOf(std::string_view word, Eigen::Ref<Eigen::VectorXf> out) const;

private:
    void buildIndex();

    std::vector<std::string> m_words;
    RowMatrixXf m_vectors; // (size, dim)
    std::vector<std::uint64_t> m_counts;
    std::shared_ptr<const SubwordModel> m_subwords;
    std::unordered_map<std::string_view, int> m_index; // views into m_words
};

// The table of `rows` of `table`, in that order, with their counts (when it has them): the words a
// map isolates. Rows out of range throw Error.
WordVectors selectRows(const WordVectors &table, const std::vector<int> &rows);

} // namespace embedlab
