#pragma once
// Exact nearest rows of a table among its own rows, by one matrix product per pair of row blocks.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>
#include <utility>
#include <vector>

namespace embedlab {

// For every row i of x (n, dim): the `keep` smallest (score, j) over the rows j != i, where
// score = offset(j) + scale * x_i.x_j, ties by the smaller j (keep <= n - 1). Euclidean neighbours
// are offset = |x_j|^2, scale = -2; cosine ones on unit rows are offset = 0, scale = -1.
// Returns (n, keep) candidates, row i's in [i * keep, (i + 1) * keep), smallest first.
//
// The products come in blocks of rows against blocks of rows, each pair of blocks once (the
// product is symmetric), and each product offers j to row i and i to row j. Which candidates a
// row keeps does not depend on the order of the offers, so neither on the threads: `threads`
// chunks at most (0 = the engine's thread count, core/parallel.h).
std::vector<std::pair<float, int>> smallestByProduct(const Eigen::Ref<const RowMatrixXf> &x,
    const Eigen::VectorXf &offset, float scale, std::size_t keep, int threads);

} // namespace embedlab
