#include "core/exactknn.h"

#include "core/parallel.h"

#include <algorithm>
#include <limits>
#include <mutex>

namespace embedlab {

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
    const std::size_t chunks = static_cast<std::size_t>(threads > 0 ? threads : threadCount());
    parallelFor(pairs.size(), std::max<std::size_t>(1, (pairs.size() + chunks - 1) / chunks),
        [&](std::size_t p0, std::size_t p1) {
            RowMatrixXf dots; // (block a, block b)
            for (std::size_t pi = p0; pi < p1; ++pi) {
                const auto [a, b] = pairs[pi];
                const Eigen::Index ra = static_cast<Eigen::Index>(a) * Block;
                const Eigen::Index rb = static_cast<Eigen::Index>(b) * Block;
                const Eigen::Index na = std::min(Block, n - ra), nb = std::min(Block, n - rb);
                dots.noalias() = x.middleRows(ra, na) * x.middleRows(rb, nb).transpose();
                {
                    std::lock_guard<std::mutex> hold(locks[a]);
                    for (Eigen::Index r = 0; r < na; ++r) {
                        const float *d = dots.row(r).data();
                        const std::size_t i = static_cast<std::size_t>(ra + r);
                        for (Eigen::Index c = 0; c < nb; ++c)
                            if (rb + c != ra + r)
                                offer(i, offset(rb + c) + scale * d[c], static_cast<int>(rb + c));
                    }
                }
                if (a == b)
                    continue;
                std::lock_guard<std::mutex> hold(locks[b]);
                for (Eigen::Index c = 0; c < nb; ++c) {
                    const std::size_t j = static_cast<std::size_t>(rb + c);
                    for (Eigen::Index r = 0; r < na; ++r)
                        offer(j, offset(ra + r) + scale * dots(r, c), static_cast<int>(ra + r));
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
