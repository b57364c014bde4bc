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

} // namespace embedlab
