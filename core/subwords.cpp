#include "core/subwords.h"

#include "core/error.h"

#include <string>

namespace embedlab {

std::uint32_t fastTextHash(std::string_view bytes)
{
    std::uint32_t h = 2166136261u;
    for (char c : bytes) {
        // fastText XORs the sign-extended char: bytes >= 0x80 flip the upper 24 bits too.
        h ^= static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<signed char>(c)));
        h *= 16777619u;
    }
    return h;
}

SubwordModel::SubwordModel(int minn, int maxn, RowMatrixXf buckets)
    : m_minn(minn)
    , m_maxn(maxn)
    , m_buckets(std::move(buckets))
{
    if (m_buckets.rows() == 0)
        throw Error("subword model: no n-gram buckets");
}

std::vector<std::uint32_t> SubwordModel::ngramBuckets(std::string_view word) const
{
    std::vector<std::uint32_t> out;
    std::string padded;
    padded.reserve(word.size() + 2);
    padded += '<';
    padded += word;
    padded += '>';
    const std::size_t size = padded.size();
    const auto continuation
        = [&](std::size_t i) { return (static_cast<unsigned char>(padded[i]) & 0xC0) == 0x80; };
    const auto bucket = static_cast<std::uint32_t>(m_buckets.rows());
    for (std::size_t i = 0; i < size; ++i) {
        if (continuation(i))
            continue;
        std::size_t j = i;
        for (int n = 1; j < size && n <= m_maxn; ++n) {
            ++j;
            while (j < size && continuation(j))
                ++j;
            if (n >= m_minn && !(n == 1 && (i == 0 || j == size)))
                out.push_back(fastTextHash(std::string_view(padded).substr(i, j - i)) % bucket);
        }
    }
    return out;
}

bool SubwordModel::vector(std::string_view word, Eigen::Ref<Eigen::VectorXf> out) const
{
    if (out.size() != dim())
        throw Error("subword model: a vector of " + std::to_string(out.size()) + " for "
            + std::to_string(dim()) + " dimensions");
    out.setZero();
    const std::vector<std::uint32_t> ngrams = ngramBuckets(word);
    if (ngrams.empty())
        return false;
    // float32 throughout, in gensim's order, so the sums round as gensim's do.
    for (std::uint32_t b : ngrams)
        out += m_buckets.row(b).transpose();
    out /= static_cast<float>(ngrams.size());
    return true;
}

void SubwordModel::composeWordVector(std::string_view word,
    const Eigen::Ref<const Eigen::VectorXf> &row, Eigen::Ref<Eigen::VectorXf> out) const
{
    const std::vector<std::uint32_t> ngrams = ngramBuckets(word);
    out = row;
    for (std::uint32_t b : ngrams)
        out += m_buckets.row(b).transpose();
    out /= static_cast<float>(ngrams.size() + 1);
}

} // namespace embedlab
