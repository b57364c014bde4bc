#include "core/wordvectors.h"

#include "core/error.h"

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
{
    buildIndex(); // the index holds views into this object's own strings
}

WordVectors &WordVectors::operator=(const WordVectors &other)
{
    if (this != &other) {
        m_words = other.m_words;
        m_vectors = other.m_vectors;
        m_counts = other.m_counts;
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

} // namespace embedlab
