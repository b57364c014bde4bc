#include "core/neighbors.h"

#include "core/cpufeatures.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/wordlookup.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>

// The build stays portable (no -march); on x86-64 CPUs with AVX2 the int8 scan switches at run
// time to a version written with intrinsics inside a target("avx2") function.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EMBEDLAB_X86_DISPATCH 1
#include <immintrin.h>
#endif

namespace embedlab {

namespace {

constexpr int BlockRows = 8; // rows per code block (one AVX2 register of int32 sums)
constexpr int GroupDims = 4; // dims per group (one int32 lane of int8 codes)
constexpr int MaxQueries = 3; // query vectors per scan (3CosMul needs a, b and c)
constexpr std::size_t ScanBlocks = 64; // blocks per batch of integer dot products (512 rows)
constexpr double CosMulEpsilon = 1e-6; // gensim's most_similar_cosmul

// Scalar reference of the int8 scan.
// codes: (blocks, groups, 8, 4); queries: (nq, groups * 4); out: (blocks, nq, 8)
void int8DotsScalar(const std::int8_t *codes, std::size_t blocks, int groups,
    const std::int8_t *queries, int nq, std::int32_t *out)
{
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::int8_t *block = codes + b * static_cast<std::size_t>(groups) * 32;
        for (int j = 0; j < nq; ++j) {
            const std::int8_t *q = queries + static_cast<std::size_t>(j) * groups * GroupDims;
            std::int32_t *o = out + (b * nq + j) * BlockRows;
            for (int r = 0; r < BlockRows; ++r) {
                std::int32_t sum = 0;
                for (int g = 0; g < groups; ++g)
                    for (int d = 0; d < GroupDims; ++d)
                        sum += block[g * 32 + r * GroupDims + d] * q[g * GroupDims + d];
                o[r] = sum;
            }
        }
    }
}

#ifdef EMBEDLAB_X86_DISPATCH
// Per group: vpsignb moves the query's signs onto the codes, vpmaddubsw multiplies by |query|
// (|q|, |code| <= 127, so a pair sum <= 32258 fits int16), vpmaddwd sums to the 8 rows' int32.
template <int NQ>
__attribute__((target("avx2"))) void int8DotsAvx2(const std::int8_t *codes, std::size_t blocks,
    int groups, const std::int8_t *queries, std::int32_t *out)
{
    const __m256i ones = _mm256_set1_epi16(1);
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::int8_t *block = codes + b * static_cast<std::size_t>(groups) * 32;
        __m256i acc[NQ];
        for (int j = 0; j < NQ; ++j)
            acc[j] = _mm256_setzero_si256();
        for (int g = 0; g < groups; ++g) {
            const __m256i data
                = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(block + g * 32));
            for (int j = 0; j < NQ; ++j) {
                std::int32_t word;
                std::memcpy(&word, queries + (static_cast<std::size_t>(j) * groups + g) * 4, 4);
                const __m256i q = _mm256_set1_epi32(word);
                const __m256i prod16
                    = _mm256_maddubs_epi16(_mm256_abs_epi8(q), _mm256_sign_epi8(data, q));
                acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(prod16, ones));
            }
        }
        for (int j = 0; j < NQ; ++j)
            _mm256_storeu_si256(
                reinterpret_cast<__m256i *>(out + (b * NQ + j) * BlockRows), acc[j]);
    }
}

#endif

void int8Dots(bool avx2, const std::int8_t *codes, std::size_t blocks, int groups,
    const std::int8_t *queries, int nq, std::int32_t *out)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (avx2) {
        if (nq == 1)
            return int8DotsAvx2<1>(codes, blocks, groups, queries, out);
        if (nq == 3)
            return int8DotsAvx2<3>(codes, blocks, groups, queries, out);
    }
#else
    (void)avx2;
#endif
    int8DotsScalar(codes, blocks, groups, queries, nq, out);
}

// Float upper bounds of a batch of rows, to skip most rows without the exact double bounds.
// Kind: 0 cosine, 1 Euclidean, 2 3CosMul (the order of NeighborIndex::Query::Kind). A row is kept
// unless upper + 1e-5 |upper| + margin < threshold: far more than float rounding, so a row the
// double bounds would keep is never dropped.
struct QuickBound
{
    int kind = 0;
    float t[MaxQueries] = {}, errRow[MaxQueries] = {}, errQuery[MaxQueries] = {};
    float margin = 1e-5f;
};

// dots: (blocks, nq, 8); scale, resid, norm: (blocks * 8); masks: (blocks), bit r = row 8b + r.
void quickMaskScalar(const QuickBound &q, int nq, const std::int32_t *dots, std::size_t blocks,
    const float *scale, const float *resid, const float *norm, float threshold, std::uint8_t *masks)
{
    for (std::size_t b = 0; b < blocks; ++b) {
        unsigned mask = 0;
        for (int r = 0; r < BlockRows; ++r) {
            const std::size_t i = b * BlockRows + static_cast<std::size_t>(r);
            const std::int32_t *d = dots + b * static_cast<std::size_t>(nq) * BlockRows + r;
            const auto cosine = [&](int j, float sign) {
                return scale[i] * q.t[j] * static_cast<float>(d[j * BlockRows])
                    + sign * (q.errRow[j] * resid[i] + q.errQuery[j]);
            };
            float upper;
            if (q.kind == 0) {
                upper = cosine(0, 1);
            } else if (q.kind == 1) {
                upper = 2 * norm[i] * cosine(0, 1) - norm[i] * norm[i];
            } else {
                const float hiB = (1 + std::min(cosine(1, 1), 1.0f)) * 0.5f;
                const float hiC = (1 + std::min(cosine(2, 1), 1.0f)) * 0.5f;
                const float loA = (1 + std::max(cosine(0, -1), -1.0f)) * 0.5f;
                upper = hiB * hiC / (loA + static_cast<float>(CosMulEpsilon));
            }
            if (!(upper + 1e-5f * std::abs(upper) + q.margin < threshold))
                mask |= 1u << r;
        }
        masks[b] = static_cast<std::uint8_t>(mask);
    }
}

#ifdef EMBEDLAB_X86_DISPATCH
template <int Kind>
__attribute__((target("avx2,fma"))) void quickMaskAvx2(const QuickBound &q,
    const std::int32_t *dots, std::size_t blocks, const float *scale, const float *resid,
    const float *norm, float threshold, std::uint8_t *masks)
{
    constexpr int NQ = Kind == 2 ? 3 : 1;
    const __m256 thr = _mm256_set1_ps(threshold), margin = _mm256_set1_ps(q.margin);
    const __m256 tiny = _mm256_set1_ps(1e-5f), one = _mm256_set1_ps(1.0f);
    const __m256 half = _mm256_set1_ps(0.5f),
                 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    for (std::size_t b = 0; b < blocks; ++b) {
        const __m256 s = _mm256_loadu_ps(scale + b * BlockRows);
        const __m256 res = _mm256_loadu_ps(resid + b * BlockRows);
        __m256 estimate[NQ], err[NQ];
        for (int j = 0; j < NQ; ++j) {
            const __m256i d = _mm256_loadu_si256(
                reinterpret_cast<const __m256i *>(dots + (b * NQ + j) * BlockRows));
            estimate[j]
                = _mm256_mul_ps(_mm256_mul_ps(s, _mm256_set1_ps(q.t[j])), _mm256_cvtepi32_ps(d));
            err[j]
                = _mm256_fmadd_ps(_mm256_set1_ps(q.errRow[j]), res, _mm256_set1_ps(q.errQuery[j]));
        }
        __m256 upper;
        if constexpr (Kind == 0) {
            upper = _mm256_add_ps(estimate[0], err[0]);
        } else if constexpr (Kind == 1) {
            const __m256 nv = _mm256_loadu_ps(norm + b * BlockRows);
            const __m256 c = _mm256_add_ps(estimate[0], err[0]);
            upper = _mm256_sub_ps(_mm256_mul_ps(_mm256_add_ps(nv, nv), c), _mm256_mul_ps(nv, nv));
        } else {
            const __m256 hiB = _mm256_mul_ps(
                _mm256_add_ps(one, _mm256_min_ps(_mm256_add_ps(estimate[1], err[1]), one)), half);
            const __m256 hiC = _mm256_mul_ps(
                _mm256_add_ps(one, _mm256_min_ps(_mm256_add_ps(estimate[2], err[2]), one)), half);
            const __m256 loA = _mm256_mul_ps(
                _mm256_add_ps(
                    one, _mm256_max_ps(_mm256_sub_ps(estimate[0], err[0]), _mm256_set1_ps(-1.0f))),
                half);
            upper = _mm256_div_ps(_mm256_mul_ps(hiB, hiC),
                _mm256_add_ps(loA, _mm256_set1_ps(static_cast<float>(CosMulEpsilon))));
        }
        const __m256 padded
            = _mm256_add_ps(_mm256_fmadd_ps(tiny, _mm256_and_ps(upper, absMask), upper), margin);
        // keep = !(padded < threshold), so NaN is kept
        masks[b] = static_cast<std::uint8_t>(
            _mm256_movemask_ps(_mm256_cmp_ps(padded, thr, _CMP_NLT_UQ)));
    }
}

#endif

void quickMask(bool avx2, const QuickBound &q, int nq, const std::int32_t *dots, std::size_t blocks,
    const float *scale, const float *resid, const float *norm, float threshold, std::uint8_t *masks)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (avx2) {
        if (q.kind == 0)
            return quickMaskAvx2<0>(q, dots, blocks, scale, resid, norm, threshold, masks);
        if (q.kind == 1)
            return quickMaskAvx2<1>(q, dots, blocks, scale, resid, norm, threshold, masks);
        return quickMaskAvx2<2>(q, dots, blocks, scale, resid, norm, threshold, masks);
    }
#else
    (void)avx2;
#endif
    quickMaskScalar(q, nq, dots, blocks, scale, resid, norm, threshold, masks);
}

// Upper bound of a non-negative double as a float.
float floatAbove(double x)
{
    float f = static_cast<float>(x);
    if (static_cast<double>(f) < x)
        f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

double dotRow(const float *row, const Eigen::VectorXd &x)
{
    double sum = 0;
    for (Eigen::Index j = 0; j < x.size(); ++j)
        sum += static_cast<double>(row[j]) * x[j];
    return sum;
}

// Candidate of the exact pass: row and the upper bound of its goodness.
struct Candidate
{
    int row;
    double upper;
};

struct Scored
{
    int row;
    double goodness; // larger is better
    double score; // what is reported
};

} // namespace

// A scan's query: the vectors it compares rows with (double) and their int8 codes, with the
// constants that bound the int8 estimate's error.
struct NeighborIndex::Query
{
    enum class Kind { Cosine, Euclidean, Mul };
    Kind kind = Kind::Cosine;
    std::vector<Eigen::VectorXd> vectors; // Cosine: unit query; Euclidean: query; Mul: a^, b^, c^
    double normSquared = 0; // Euclidean: ||query||^2
    // For row i with unit row u_i ~ s_i code_i, the estimate e = s_i t dot(code_i, p) of u_i.x
    // satisfies |u_i.x - e| <= errRow r_i + errQuery, with x = t p + f (p the int8 codes):
    // u.x = s t code.p + t (u - s code).p + u.f.
    std::vector<std::int8_t> codes; // (vectors, groups * 4)
    double t[MaxQueries] = {};
    double errRow[MaxQueries] = {}; // t ||p||
    double errQuery[MaxQueries] = {}; // ||f||

    void quantize(int groups)
    {
        const std::size_t padded = static_cast<std::size_t>(groups) * GroupDims;
        codes.assign(vectors.size() * padded, 0);
        for (std::size_t j = 0; j < vectors.size(); ++j) {
            const Eigen::VectorXd &x = vectors[j];
            const double maxAbs = x.size() ? x.cwiseAbs().maxCoeff() : 0.0;
            t[j] = maxAbs > 0 ? maxAbs / 127.0 : 0.0;
            double pNorm2 = 0, fNorm2 = 0;
            for (Eigen::Index d = 0; d < x.size(); ++d) {
                double p = t[j] > 0 ? std::nearbyint(x[d] / t[j]) : 0.0;
                p = std::clamp(p, -127.0, 127.0);
                codes[j * padded + static_cast<std::size_t>(d)] = static_cast<std::int8_t>(p);
                pNorm2 += p * p;
                const double f = x[d] - t[j] * p;
                fNorm2 += f * f;
            }
            // 1e-9 relative slack covers the rounding of these double computations.
            errRow[j] = t[j] * std::sqrt(pNorm2) * (1 + 1e-9);
            errQuery[j] = std::sqrt(fNorm2) * (1 + 1e-9) + 1e-12 * (maxAbs + 1);
        }
    }
};

NeighborIndex::NeighborIndex(const WordVectors &table)
    : m_table(&table)
    , m_avx2(useAvx2(true))
{
    const std::size_t n = table.size();
    const int dim = table.dim();
    m_groups = (dim + GroupDims - 1) / GroupDims;
    const std::size_t blocks = (n + BlockRows - 1) / BlockRows;
    const std::size_t blockBytes = static_cast<std::size_t>(m_groups) * 32;
    m_norms.assign(n, 0.0);
    m_codes.assign(blocks * blockBytes, 0);
    m_scale.assign(blocks * BlockRows, 0.0f);
    m_residual.assign(blocks * BlockRows, 0.0f);
    m_normF.assign(blocks * BlockRows, 0.0f);
    const RowMatrixXf &v = table.vectors();

    parallelFor(blocks, 256, [&](std::size_t b0, std::size_t b1) {
        std::vector<double> unit(static_cast<std::size_t>(dim));
        for (std::size_t b = b0; b < b1; ++b) {
            for (int r = 0; r < BlockRows; ++r) {
                const std::size_t i = b * BlockRows + static_cast<std::size_t>(r);
                if (i >= n)
                    break;
                const float *row = v.data() + i * static_cast<std::size_t>(dim);
                double norm2 = 0;
                for (int d = 0; d < dim; ++d)
                    norm2 += static_cast<double>(row[d]) * row[d];
                const double norm = std::sqrt(norm2);
                if (!(norm > 0) || !std::isfinite(norm))
                    continue; // zero (or broken) rows: cosine 0, codes 0
                m_norms[i] = norm;
                double maxAbs = 0;
                for (int d = 0; d < dim; ++d) {
                    unit[static_cast<std::size_t>(d)] = row[d] / norm;
                    maxAbs = std::max(maxAbs, std::abs(unit[static_cast<std::size_t>(d)]));
                }
                const float scale = static_cast<float>(maxAbs / 127.0);
                double resid2 = 0;
                std::int8_t *codes = m_codes.data() + b * blockBytes;
                for (int d = 0; d < dim; ++d) {
                    const double u = unit[static_cast<std::size_t>(d)];
                    const double q = std::clamp(std::nearbyint(u / scale), -127.0, 127.0);
                    codes[(d / GroupDims) * 32 + r * GroupDims + d % GroupDims]
                        = static_cast<std::int8_t>(q);
                    const double e = u - static_cast<double>(scale) * q;
                    resid2 += e * e;
                }
                m_scale[i] = scale;
                m_residual[i] = floatAbove(std::sqrt(resid2) * (1 + 1e-9));
                m_normF[i] = static_cast<float>(norm);
            }
        }
    });
    for (double norm : m_norms)
        m_maxNorm = std::max(m_maxNorm, norm);
}

void NeighborIndex::checkRow(int row) const
{
    if (row < 0 || static_cast<std::size_t>(row) >= size())
        throw Error("word vectors: row " + std::to_string(row) + " out of range (table has "
            + std::to_string(size()) + " rows)");
}

Eigen::VectorXd NeighborIndex::unitRow(int row) const
{
    const double norm = m_norms[static_cast<std::size_t>(row)];
    Eigen::VectorXd u = m_table->vectors().row(row).transpose().cast<double>();
    if (norm > 0)
        u /= norm;
    else
        u.setZero();
    return u;
}

double NeighborIndex::similarity(int row1, int row2) const
{
    checkRow(row1);
    checkRow(row2);
    return unitRow(row1).dot(unitRow(row2));
}

std::vector<Neighbor> NeighborIndex::nearest(const Eigen::Ref<const Eigen::VectorXf> &query, int k,
    Metric metric, const std::vector<int> &exclude, std::size_t restrictTo) const
{
    if (query.size() != dim())
        throw Error("nearest neighbours: query has " + std::to_string(query.size())
            + " numbers, the table has " + std::to_string(dim()) + " dimensions");
    if (!query.allFinite())
        throw Error("nearest neighbours: query has non-finite numbers");
    Query q;
    Eigen::VectorXd x = query.cast<double>();
    if (metric == Metric::Cosine) {
        q.kind = Query::Kind::Cosine;
        const double norm = x.norm();
        if (norm > 0)
            x /= norm;
    } else {
        q.kind = Query::Kind::Euclidean;
        q.normSquared = x.squaredNorm();
    }
    q.vectors.push_back(std::move(x));
    return search(q, k, exclude, restrictTo);
}

std::vector<Neighbor> NeighborIndex::nearestToWord(
    const std::string &word, int k, Metric metric, std::size_t restrictTo) const
{
    if (m_table->find(word) < 0 && m_table->subwords()) {
        // A word outside a fastText vocabulary: its n-gram vector, as gensim's most_similar
        // takes it from FastTextKeyedVectors.get_vector (nothing to exclude).
        Eigen::VectorXf v(m_table->dim());
        if (!m_table->vectorOf(word, v))
            throw Error("word \"" + word
                + "\" is not in the vocabulary and has no character n-grams to build a vector "
                  "from");
        return nearest(v, k, metric, {}, restrictTo);
    }
    return nearestToRow(requireWord(*m_table, word), k, metric, restrictTo);
}

std::vector<Neighbor> NeighborIndex::nearestToRow(
    int row, int k, Metric metric, std::size_t restrictTo) const
{
    checkRow(row);
    if (metric == Metric::Cosine) {
        Query q;
        q.vectors.push_back(unitRow(row));
        return search(q, k, { row }, restrictTo);
    }
    return nearest(m_table->vectors().row(row).transpose(), k, metric, { row }, restrictTo);
}

std::vector<Neighbor> NeighborIndex::analogy(const std::string &a, const std::string &b,
    const std::string &c, int k, AnalogyMethod method, std::size_t restrictTo) const
{
    if (needsNgrams({ a, b, c }))
        return mostSimilar(std::vector<std::string> { b, c }, std::vector<std::string> { a }, k,
            method, restrictTo);
    int rows[3];
    const std::string *words[3] = { &a, &b, &c };
    for (int i = 0; i < 3; ++i)
        rows[i] = requireWord(*m_table, *words[i]);
    return analogy(rows[0], rows[1], rows[2], k, method, restrictTo);
}

std::vector<Neighbor> NeighborIndex::analogy(
    int a, int b, int c, int k, AnalogyMethod method, std::size_t restrictTo) const
{
    checkRow(a);
    checkRow(b);
    checkRow(c);
    Query q;
    if (method == AnalogyMethod::Add) {
        // gensim: mean of b^, c^ and -a^, normalised (the 1/3 cancels out).
        Eigen::VectorXd x = unitRow(b) + unitRow(c) - unitRow(a);
        const double norm = x.norm();
        if (norm > 0)
            x /= norm;
        q.vectors.push_back(std::move(x));
    } else {
        q.kind = Query::Kind::Mul;
        q.vectors = { unitRow(a), unitRow(b), unitRow(c) };
    }
    return search(q, k, { a, b, c }, restrictTo);
}

std::vector<Neighbor> NeighborIndex::mostSimilar(const std::vector<int> &positive,
    const std::vector<int> &negative, int k, AnalogyMethod method, std::size_t restrictTo) const
{
    for (int row : positive)
        checkRow(row);
    for (int row : negative)
        checkRow(row);
    if (method == AnalogyMethod::Mul && positive.empty())
        throw Error("3CosMul needs at least one positive word");
    if (positive.empty() && negative.empty())
        throw Error("most similar: no words given");
    std::vector<int> exclude = positive;
    exclude.insert(exclude.end(), negative.begin(), negative.end());
    if (method == AnalogyMethod::Mul) {
        if (positive.size() == 2 && negative.size() == 1)
            return analogy(negative[0], positive[0], positive[1], k, method, restrictTo);
        return cosMulScan(positive, negative, k, restrictTo);
    }
    // gensim: the weighted mean of the unit rows (weights +1, -1), normalised; the division by
    // the total weight cancels out.
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dim());
    for (int row : positive)
        x += unitRow(row);
    for (int row : negative)
        x -= unitRow(row);
    const double norm = x.norm();
    if (norm > 0)
        x /= norm;
    Query q;
    q.vectors.push_back(std::move(x));
    return search(q, k, exclude, restrictTo);
}

std::vector<Neighbor> NeighborIndex::mostSimilar(const std::vector<std::string> &positive,
    const std::vector<std::string> &negative, int k, AnalogyMethod method,
    std::size_t restrictTo) const
{
    std::vector<std::string> all = positive;
    all.insert(all.end(), negative.begin(), negative.end());
    if (!needsNgrams(all)) {
        std::vector<int> p, n;
        for (const std::string &w : positive)
            p.push_back(requireWord(*m_table, w));
        for (const std::string &w : negative)
            n.push_back(requireWord(*m_table, w));
        return mostSimilar(p, n, k, method, restrictTo);
    }
    // A fastText model and a word outside its vocabulary: the words' unit vectors, as gensim
    // takes them from get_vector(word, norm=True); only the words with a row are excluded.
    if (method == AnalogyMethod::Mul && positive.empty())
        throw Error("3CosMul needs at least one positive word");
    std::vector<Eigen::VectorXd> p, n;
    std::vector<int> exclude;
    for (const auto *list : { &positive, &negative })
        for (const std::string &w : *list) {
            int row = -1;
            (list == &positive ? p : n).push_back(unitVectorOf(w, &row));
            if (row >= 0)
                exclude.push_back(row);
        }
    if (method == AnalogyMethod::Mul)
        return cosMulScan(p, n, std::move(exclude), k, restrictTo);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dim());
    for (const auto &u : p)
        x += u;
    for (const auto &u : n)
        x -= u;
    const double norm = x.norm();
    if (norm > 0)
        x /= norm;
    Query q;
    q.vectors.push_back(std::move(x));
    return search(q, k, exclude, restrictTo);
}

Eigen::VectorXd NeighborIndex::unitVectorOf(const std::string &word, int *row) const
{
    *row = m_table->find(word);
    if (*row >= 0 || !m_table->subwords())
        return unitRow(*row >= 0 ? *row : requireWord(*m_table, word));
    Eigen::VectorXf v(dim());
    if (!m_table->vectorOf(word, v))
        requireWord(*m_table, word); // throws, with "did you mean"
    Eigen::VectorXd u = v.cast<double>();
    const double norm = u.norm();
    if (norm > 0)
        u /= norm;
    return u;
}

bool NeighborIndex::needsNgrams(const std::vector<std::string> &words) const
{
    if (!m_table->subwords())
        return false;
    return std::any_of(
        words.begin(), words.end(), [this](const std::string &w) { return m_table->find(w) < 0; });
}

std::vector<Neighbor> NeighborIndex::cosMulScan(const std::vector<int> &positive,
    const std::vector<int> &negative, int k, std::size_t restrictTo) const
{
    std::vector<Eigen::VectorXd> pos, neg; // (dim) unit rows
    for (int row : positive)
        pos.push_back(unitRow(row));
    for (int row : negative)
        neg.push_back(unitRow(row));
    std::vector<int> exclude = positive;
    exclude.insert(exclude.end(), negative.begin(), negative.end());
    return cosMulScan(pos, neg, std::move(exclude), k, restrictTo);
}

std::vector<Neighbor> NeighborIndex::cosMulScan(const std::vector<Eigen::VectorXd> &pos,
    const std::vector<Eigen::VectorXd> &neg, std::vector<int> exclude, int k,
    std::size_t restrictTo) const
{
    const std::size_t n = restrictTo == 0 ? size() : std::min(restrictTo, size());
    if (k <= 0 || n == 0)
        return {};
    std::sort(exclude.begin(), exclude.end());
    const RowMatrixXf &v = m_table->vectors();
    const std::size_t dimension = static_cast<std::size_t>(dim());
    std::vector<Scored> scored(n);
    parallelFor(n, 2048, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i) {
            const float *data = v.data() + i * dimension;
            const double norm = m_norms[i];
            const auto shifted = [&](const Eigen::VectorXd &u) {
                return (1 + (norm > 0 ? dotRow(data, u) / norm : 0.0)) / 2;
            };
            double num = 1, den = 1;
            for (const auto &u : pos)
                num *= shifted(u);
            for (const auto &u : neg)
                den *= shifted(u);
            const double value = num / (den + CosMulEpsilon);
            scored[i] = { static_cast<int>(i), value, value };
        }
    });
    scored.erase(std::remove_if(scored.begin(), scored.end(),
                     [&](const Scored &s) {
                         return std::binary_search(exclude.begin(), exclude.end(), s.row);
                     }),
        scored.end());
    const auto better = [](const Scored &x, const Scored &y) {
        return x.goodness > y.goodness || (x.goodness == y.goodness && x.row < y.row);
    };
    const std::size_t take = std::min(static_cast<std::size_t>(k), scored.size());
    std::partial_sort(
        scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(take), scored.end(), better);
    std::vector<Neighbor> result;
    for (std::size_t i = 0; i < take; ++i)
        result.push_back({ scored[i].row, m_table->word(static_cast<std::size_t>(scored[i].row)),
            static_cast<float>(scored[i].score) });
    return result;
}

double NeighborIndex::similarity(const std::string &word1, const std::string &word2) const
{
    if (!needsNgrams({ word1, word2 }))
        return similarity(requireWord(*m_table, word1), requireWord(*m_table, word2));
    int row1 = -1, row2 = -1;
    return unitVectorOf(word1, &row1).dot(unitVectorOf(word2, &row2));
}

NeighborIndex::OddOneOut NeighborIndex::doesntMatch(const std::vector<std::string> &words) const
{
    OddOneOut result;
    std::vector<int> rows;
    std::vector<Eigen::VectorXd> units; // (dim) each used word's unit vector
    std::vector<const std::string *> used;
    Eigen::VectorXf ngrams(m_table->subwords() ? dim() : 0);
    for (const std::string &w : words) {
        const int row = m_table->find(w);
        if (row >= 0) {
            rows.push_back(row);
            units.push_back(unitRow(row));
            used.push_back(&w);
        } else if (ngrams.size() > 0 && m_table->vectorOf(w, ngrams)) {
            // gensim's FastTextKeyedVectors: every word with n-grams is "in" the model.
            Eigen::VectorXd u = ngrams.cast<double>();
            if (u.norm() > 0)
                u /= u.norm();
            rows.push_back(-1);
            units.push_back(std::move(u));
            used.push_back(&w);
        } else if (std::find(result.ignored.begin(), result.ignored.end(), w)
            == result.ignored.end()) {
            result.ignored.push_back(w);
        }
    }
    if (rows.empty())
        throw Error("doesn't match: none of the words is in the vocabulary");
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(dim()); // of the unit vectors, normalised
    for (const auto &u : units)
        mean += u;
    const double norm = mean.norm();
    if (norm > 0)
        mean /= norm;
    // Python's sorted(zip(dists, words), reverse=True): by score, then by word, both descending.
    std::vector<double> exact(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        exact[i] = units[i].dot(mean);
        result.ranked.push_back({ rows[i], *used[i], static_cast<float>(exact[i]) });
    }
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (exact[a] != exact[b])
            return exact[a] > exact[b];
        return result.ranked[a].word > result.ranked[b].word;
    });
    std::vector<Neighbor> ranked;
    for (std::size_t i : order)
        ranked.push_back(result.ranked[i]);
    result.ranked = std::move(ranked);
    result.word = result.ranked.back().word;
    return result;
}

std::vector<Neighbor> NeighborIndex::search(
    const Query &queryIn, int k, const std::vector<int> &excludeIn, std::size_t restrictTo) const
{
    const std::size_t n = restrictTo == 0 ? size() : std::min(restrictTo, size());
    if (k <= 0 || n == 0)
        return {};
    Query query = queryIn;
    query.quantize(m_groups);
    std::vector<int> exclude = excludeIn;
    std::sort(exclude.begin(), exclude.end());
    const auto excluded
        = [&](int row) { return std::binary_search(exclude.begin(), exclude.end(), row); };
    const std::size_t kk = static_cast<std::size_t>(k);
    const int nq = static_cast<int>(query.vectors.size());
    const Query::Kind kind = query.kind;
    constexpr double MinusInf = -std::numeric_limits<double>::infinity();

    // Lower and upper bounds of each row's goodness (larger is better) from the int8 estimate:
    // Cosine: cos; Euclidean: 2 |v| cos(v, x) |x| - |v|^2 = |x|^2 - |v - x|^2;
    // Mul: the 3CosMul objective, monotone in each cosine.
    const auto bounds = [&](std::size_t i, const std::int32_t *dots, double &lower, double &upper) {
        const double s = m_scale[i], r = m_residual[i];
        if (kind == Query::Kind::Cosine) {
            const double e = s * query.t[0] * dots[0];
            const double err = query.errRow[0] * r + query.errQuery[0] + 1e-12;
            lower = e - err;
            upper = e + err;
        } else if (kind == Query::Kind::Euclidean) {
            const double norm = m_norms[i];
            const double e = s * query.t[0] * dots[0];
            const double err = query.errRow[0] * r + query.errQuery[0];
            const double slack
                = 1e-9 * (norm * norm + 2 * norm * std::abs(e) + 2 * norm * err) + 1e-12;
            lower = 2 * norm * (e - err) - norm * norm - slack;
            upper = 2 * norm * (e + err) - norm * norm + slack;
        } else {
            double lo[3], hi[3]; // bounds of (1 + cos) / 2 for a, b, c
            for (int j = 0; j < 3; ++j) {
                const double e = s * query.t[j] * dots[j * BlockRows];
                const double err = query.errRow[j] * r + query.errQuery[j] + 1e-12;
                lo[j] = (1 + std::clamp(e - err, -1.0, 1.0)) / 2;
                hi[j] = (1 + std::clamp(e + err, -1.0, 1.0)) / 2;
            }
            lower = lo[1] * lo[2] / (hi[0] + CosMulEpsilon) * (1 - 1e-9) - 1e-12;
            upper = hi[1] * hi[2] / (lo[0] + CosMulEpsilon) * (1 + 1e-9) + 1e-12;
        }
    };

    // The same upper bounds in float, for a quick test of a whole batch (quickMask).
    QuickBound quickBound;
    quickBound.kind = static_cast<int>(kind);
    for (int j = 0; j < nq; ++j) {
        quickBound.t[j] = static_cast<float>(query.t[j]);
        quickBound.errRow[j] = static_cast<float>(query.errRow[j]);
        quickBound.errQuery[j] = static_cast<float>(query.errQuery[j]);
    }
    if (kind == Query::Kind::Euclidean)
        quickBound.margin = static_cast<float>(
            1e-5 * (m_maxNorm * m_maxNorm + 2 * m_maxNorm * (std::sqrt(query.normSquared) + 1)));

    // Pass 1: every thread keeps the k largest lower bounds it has seen (a min-heap) and the rows
    // whose upper bound reaches the smallest of them.
    struct Partial
    {
        std::vector<double> lowers;
        std::vector<Candidate> candidates;
    };
    std::vector<Partial> partials;
    std::mutex partialsMutex;
    const std::size_t blocks = (n + BlockRows - 1) / BlockRows;
    const std::size_t blockBytes = static_cast<std::size_t>(m_groups) * 32;
    // Batches of ScanBlocks blocks are handed out one at a time, so a thread that loses its core
    // to another process for a while does not hold the query up by half of the table.
    const std::size_t batches = (blocks + ScanBlocks - 1) / ScanBlocks;
    const std::size_t workers = std::min<std::size_t>(
        static_cast<std::size_t>(threadCount()), (blocks + 511) / 512); // >= 4096 rows each
    std::atomic<std::size_t> nextBatch { 0 };
    parallelFor(workers, 1, [&](std::size_t, std::size_t) {
        Partial part;
        auto &heap = part.lowers;
        heap.reserve(kk + 1);
        double threshold = MinusInf;
        std::size_t compactAt = 4 * kk + 4096;
        std::int32_t dots[ScanBlocks * MaxQueries * BlockRows];
        std::uint8_t masks[ScanBlocks];
        for (std::size_t batch = nextBatch++; batch < batches; batch = nextBatch++) {
            const std::size_t start = batch * ScanBlocks;
            const std::size_t count = std::min(ScanBlocks, blocks - start);
            int8Dots(m_avx2, m_codes.data() + start * blockBytes, count, m_groups,
                query.codes.data(), nq, dots);
            const std::size_t first = start * BlockRows;
            quickMask(m_avx2, quickBound, nq, dots, count, m_scale.data() + first,
                m_residual.data() + first, m_normF.data() + first, static_cast<float>(threshold),
                masks);
            for (std::size_t b = 0; b < count; ++b) {
                if (masks[b] == 0)
                    continue;
                for (int r = 0; r < BlockRows; ++r) {
                    const std::size_t i = first + b * BlockRows + static_cast<std::size_t>(r);
                    if ((masks[b] >> r & 1) == 0 || i >= n)
                        continue;
                    double lower, upper;
                    bounds(
                        i, dots + b * static_cast<std::size_t>(nq) * BlockRows + r, lower, upper);
                    if (upper < threshold || excluded(static_cast<int>(i)))
                        continue;
                    part.candidates.push_back({ static_cast<int>(i), upper });
                    if (heap.size() < kk) {
                        heap.push_back(lower);
                        std::push_heap(heap.begin(), heap.end(), std::greater<>());
                    } else if (lower > heap.front()) {
                        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
                        heap.back() = lower;
                        std::push_heap(heap.begin(), heap.end(), std::greater<>());
                    }
                    if (heap.size() == kk)
                        threshold = heap.front();
                    if (part.candidates.size() > compactAt) { // drop those the threshold passed
                        auto &c = part.candidates;
                        c.erase(std::remove_if(c.begin(), c.end(),
                                    [&](const Candidate &x) { return x.upper < threshold; }),
                            c.end());
                        compactAt = std::max(compactAt, 2 * c.size());
                    }
                }
            }
        }
        std::lock_guard<std::mutex> lock(partialsMutex);
        partials.push_back(std::move(part));
    });

    // The k-th largest lower bound over all threads: no row below it can be in the top k.
    std::vector<double> lowers;
    for (const Partial &p : partials)
        lowers.insert(lowers.end(), p.lowers.begin(), p.lowers.end());
    double threshold = MinusInf;
    if (lowers.size() >= kk) {
        std::nth_element(lowers.begin(), lowers.begin() + static_cast<std::ptrdiff_t>(kk - 1),
            lowers.end(), std::greater<>());
        threshold = lowers[kk - 1];
    }
    std::vector<int> rows;
    for (const Partial &p : partials)
        for (const Candidate &c : p.candidates)
            if (c.upper >= threshold)
                rows.push_back(c.row);

    // Pass 2: exact scores of the candidates, in double.
    const RowMatrixXf &v = m_table->vectors();
    const std::size_t dimension = static_cast<std::size_t>(dim());
    const auto exact = [&](int row) -> Scored {
        const float *data = v.data() + static_cast<std::size_t>(row) * dimension;
        const double norm = m_norms[static_cast<std::size_t>(row)];
        if (kind == Query::Kind::Euclidean) {
            const Eigen::VectorXd &x = query.vectors[0];
            double d2 = query.normSquared; // zero rows (and rows with NaN or inf count as zero)
            if (norm > 0) {
                d2 = 0;
                for (std::size_t j = 0; j < dimension; ++j) {
                    const double diff = data[j] - x[static_cast<Eigen::Index>(j)];
                    d2 += diff * diff;
                }
            }
            return { row, -d2, std::sqrt(d2) };
        }
        double cosines[3];
        for (int j = 0; j < nq; ++j)
            cosines[j]
                = norm > 0 ? dotRow(data, query.vectors[static_cast<std::size_t>(j)]) / norm : 0.0;
        if (kind == Query::Kind::Cosine)
            return { row, cosines[0], cosines[0] };
        const double value = ((1 + cosines[1]) / 2) * ((1 + cosines[2]) / 2)
            / ((1 + cosines[0]) / 2 + CosMulEpsilon);
        return { row, value, value };
    };
    std::vector<Scored> scored(rows.size());
    parallelFor(rows.size(), 2048, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            scored[i] = exact(rows[i]);
    });
    const auto better = [](const Scored &x, const Scored &y) {
        return x.goodness > y.goodness || (x.goodness == y.goodness && x.row < y.row);
    };
    const std::size_t take = std::min(kk, scored.size());
    std::partial_sort(
        scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(take), scored.end(), better);

    std::vector<Neighbor> result;
    result.reserve(take);
    for (std::size_t i = 0; i < take; ++i)
        result.push_back({ scored[i].row, m_table->word(static_cast<std::size_t>(scored[i].row)),
            static_cast<float>(scored[i].score) });
    return result;
}

} // namespace embedlab
