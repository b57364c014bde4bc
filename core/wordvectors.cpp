#include "core/wordvectors.h"

#include "core/error.h"
#include "core/subwords.h"

namespace embedlab {

WordVectors::WordVectors(
    std::vector<std::string> words, RowMatrixXf vectors, std::vector<std::uint64_t> counts)
    : m_words(std::move(words))
    , m_vectors(std::move(vectors))
    , m_counts(std::move(counts))
{
    if (static_cast<Eigen::Index>(m_words.size()) != m_vectors.rows())
        throw Error("word vectors: " + std::to_string(m_words.size()) + " words but "
            + std::to_string(m_vectors.rows()) + " rows");
    if (!m_counts.empty() && m_counts.size() != m_words.size())
        throw Error("word vectors: " + std::to_string(m_counts.size()) + " counts for "
            + std::to_string(m_words.size()) + " words");
    buildIndex();
}

WordVectors::WordVectors(const WordVectors &other)
    : m_words(other.m_words)
    , m_vectors(other.m_vectors)
    , m_counts(other.m_counts)
    , m_subwords(other.m_subwords)
{
    buildIndex(); // the index holds views into this object's own strings
}

WordVectors &WordVectors::operator=(const WordVectors &other)
{
    if (this != &other) {
        m_words = other.m_words;
        m_vectors = other.m_vectors;
        m_counts = other.m_counts;
        m_subwords = other.m_subwords;
        buildIndex();
    }
    return *this;
}

void WordVectors::buildIndex()
{
    m_index.clear();
    m_index.reserve(m_words.size());
    for (std::size_t i = 0; i < m_words.size(); ++i)
        m_index.emplace(m_words[i], static_cast<int>(i));
}

int WordVectors::find(std::string_view word) const
{
    auto it = m_index.find(word);
    return it == m_index.end() ? -1 : it->second;
}

void WordVectors::setSubwords(std::shared_ptr<const SubwordModel> subwords)
{
    if (subwords && subwords->dim() != dim())
        throw Error("word vectors: " + std::to_string(subwords->dim())
            + "-dimensional subwords for a table of " + std::to_string(dim()));
    m_subwords = std::move(subwords);
}

bool WordVectors::vectorOf(std::string_view word, Eigen::Ref<Eigen::VectorXf> out) const
{
    if (out.size() != dim())
        throw Error("word vectors: a vector of " + std::to_string(out.size()) + " for "
            + std::to_string(dim()) + " dimensions");
    const int row = find(word);
    if (row >= 0) {
        out = m_vectors.row(row).transpose();
        return true;
    }
    if (m_subwords)
        return m_subwords->vector(word, out);
    out.setZero();
    return false;
}

WordVectors selectRows(const WordVectors &table, const std::vector<int> &rows)
{
    std::vector<std::string> words;
    words.reserve(rows.size());
    RowMatrixXf vectors(static_cast<Eigen::Index>(rows.size()), table.dim());
    std::vector<std::uint64_t> counts;
    if (!table.counts().empty())
        counts.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int r = rows[i];
        if (r < 0 || static_cast<std::size_t>(r) >= table.size())
            throw Error("word vectors: row " + std::to_string(r) + " of a table of "
                + std::to_string(table.size()));
        words.push_back(table.word(static_cast<std::size_t>(r)));
        vectors.row(static_cast<Eigen::Index>(i)) = table.vectors().row(r);
        if (!table.counts().empty())
            counts.push_back(table.counts()[static_cast<std::size_t>(r)]);
    }
    return WordVectors(std::move(words), std::move(vectors), std::move(counts));
}

} // namespace embedlab
