#include "core/exactknn.h"

#include "core/cpufeatures.h"
#include "core/parallel.h"

#include <algorithm>
#include <limits>
#include <mutex>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EMBEDLAB_EXACTKNN_AVX2 1
#endif

namespace embedlab {

namespace {

// The columns c < count whose score offset[c] + scale * d[c] (rowOffset: offset is one value
// for all) is at most floor[c] (rowFloor: one floor for all), into hits; returns how many. Only
// these can enter a row's heap; the scores are computed exactly as the heaps' offers compute
// them, a multiply and an add, so the filter passes every offer that could be taken.
template <bool RowOffset, bool RowFloor>
int belowFloorPortable(const float *d, const float *offset, float scale, const float *floor,
    int count, int skip, int *hits)
{
    int n = 0;
    for (int c = 0; c < count; ++c) {
        const float score = (RowOffset ? offset[0] : offset[c]) + scale * d[c];
        if (score <= (RowFloor ? floor[0] : floor[c]) && c != skip)
            hits[n++] = c;
    }
    return n;
}

#ifdef EMBEDLAB_EXACTKNN_AVX2
template <bool RowOffset, bool RowFloor>
__attribute__((target("avx2"))) int belowFloorAvx2(const float *d, const float *offset, float scale,
    const float *floor, int count, int skip, int *hits)
{
    int n = 0;
    int c = 0;
    const __m256 s = _mm256_set1_ps(scale);
    const __m256 o1 = _mm256_set1_ps(offset[0]);
    const __m256 f1 = _mm256_set1_ps(floor[0]);
    for (; c + 8 <= count; c += 8) {
        const __m256 o = RowOffset ? o1 : _mm256_loadu_ps(offset + c);
        const __m256 f = RowFloor ? f1 : _mm256_loadu_ps(floor + c);
        const __m256 score = _mm256_add_ps(o, _mm256_mul_ps(s, _mm256_loadu_ps(d + c)));
        unsigned mask
            = static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(score, f, _CMP_LE_OQ)));
        while (mask != 0) {
            const int l = __builtin_ctz(mask);
            mask &= mask - 1;
            if (c + l != skip)
                hits[n++] = c + l;
        }
    }
    for (; c < count; ++c) {
        const float score = (RowOffset ? offset[0] : offset[c]) + scale * d[c];
        if (score <= (RowFloor ? floor[0] : floor[c]) && c != skip)
            hits[n++] = c;
    }
    return n;
}
#endif

template <bool RowOffset, bool RowFloor>
int belowFloor(bool avx2, const float *d, const float *offset, float scale, const float *floor,
    int count, int skip, int *hits)
{
#ifdef EMBEDLAB_EXACTKNN_AVX2
    if (avx2)
        return belowFloorAvx2<RowOffset, RowFloor>(d, offset, scale, floor, count, skip, hits);
#endif
    (void)avx2;
    return belowFloorPortable<RowOffset, RowFloor>(d, offset, scale, floor, count, skip, hits);
}

} // namespace

std::vector<std::pair<float, int>> smallestByProduct(const Eigen::Ref<const RowMatrixXf> &x,
    const Eigen::VectorXf &offset, float scale, std::size_t keep, int threads)
{
    using Candidate = std::pair<float, int>;
    const Eigen::Index n = x.rows();
    const std::size_t rows = static_cast<std::size_t>(n);
    std::vector<Candidate> heaps(rows * keep); // (n, keep): row i's max-heap
    if (keep == 0)
        return heaps;
    std::vector<std::size_t> filled(rows, 0);
    std::vector<float> floors(rows, std::numeric_limits<float>::infinity());
    const auto offer = [&](std::size_t i, float score, int j) {
        if (score > floors[i])
            return;
        Candidate *h = heaps.data() + i * keep;
        std::size_t &size = filled[i];
        const Candidate item(score, j);
        if (size < keep) {
            h[size++] = item;
            std::push_heap(h, h + size);
        } else if (item < h[0]) {
            std::pop_heap(h, h + keep);
            h[keep - 1] = item;
            std::push_heap(h, h + keep);
        } else {
            return;
        }
        if (size == keep)
            floors[i] = h[0].first;
    };

    constexpr Eigen::Index Block = 512;
    const std::size_t blocks = static_cast<std::size_t>((n + Block - 1) / Block);
    std::vector<std::pair<std::size_t, std::size_t>> pairs; // (a, b), a <= b
    for (std::size_t a = 0; a < blocks; ++a)
        for (std::size_t b = a; b < blocks; ++b)
            pairs.push_back({ a, b });
    std::vector<std::mutex> locks(blocks); // a block's rows are offered to under its lock
    const bool avx2 = useAvx2();
    const std::size_t chunks = static_cast<std::size_t>(threads > 0 ? threads : threadCount());
    parallelFor(pairs.size(), std::max<std::size_t>(1, (pairs.size() + chunks - 1) / chunks),
        [&](std::size_t p0, std::size_t p1) {
            RowMatrixXf dots; // (block a, block b)
            std::vector<int> hits(static_cast<std::size_t>(Block));
            for (std::size_t pi = p0; pi < p1; ++pi) {
                const auto [a, b] = pairs[pi];
                const Eigen::Index ra = static_cast<Eigen::Index>(a) * Block;
                const Eigen::Index rb = static_cast<Eigen::Index>(b) * Block;
                const Eigen::Index na = std::min(Block, n - ra), nb = std::min(Block, n - rb);
                dots.noalias() = x.middleRows(ra, na) * x.middleRows(rb, nb).transpose();
                // Only the products that beat a row's current floor reach its heap: the rows of
                // block a against block b's columns, then block b's rows, one product row at a
                // time against their floors side by side.
                {
                    std::lock_guard<std::mutex> hold(locks[a]);
                    for (Eigen::Index r = 0; r < na; ++r) {
                        const float *d = dots.row(r).data();
                        const std::size_t i = static_cast<std::size_t>(ra + r);
                        const int hitCount = belowFloor<false, true>(avx2, d, offset.data() + rb,
                            scale, floors.data() + i, static_cast<int>(nb),
                            a == b ? static_cast<int>(r) : -1, hits.data());
                        for (int h = 0; h < hitCount; ++h) {
                            const Eigen::Index c = hits[static_cast<std::size_t>(h)];
                            offer(i, offset(rb + c) + scale * d[c], static_cast<int>(rb + c));
                        }
                    }
                }
                if (a == b)
                    continue;
                std::lock_guard<std::mutex> hold(locks[b]);
                for (Eigen::Index r = 0; r < na; ++r) {
                    const float *d = dots.row(r).data();
                    const int hitCount = belowFloor<true, false>(avx2, d, offset.data() + ra + r,
                        scale, floors.data() + rb, static_cast<int>(nb), -1, hits.data());
                    for (int h = 0; h < hitCount; ++h) {
                        const Eigen::Index c = hits[static_cast<std::size_t>(h)];
                        offer(static_cast<std::size_t>(rb + c), offset(ra + r) + scale * d[c],
                            static_cast<int>(ra + r));
                    }
                }
            }
        });
    parallelFor(rows, std::max<std::size_t>(1, (rows + chunks - 1) / chunks),
        [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i)
                std::sort_heap(heaps.begin() + static_cast<std::ptrdiff_t>(i * keep),
                    heaps.begin() + static_cast<std::ptrdiff_t>((i + 1) * keep));
        });
    return heaps;
}

} // namespace embedlab
