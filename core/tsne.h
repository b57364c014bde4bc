#pragma once
// Barnes-Hut t-SNE (van der Maaten 2014) with scikit-learn 1.2's TSNE defaults and semantics: the
// embedding of a table's rows in 2 or 3 dimensions that keeps near rows near.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace embedlab {

struct TsneOptions
{
    int dims = 2; // 2 or 3 (a quadtree or an octree)
    double perplexity = 30; // effective number of neighbours; 3 * perplexity + 1 are searched
    int iterations = 1000; // sklearn's n_iter, the early exaggeration's 250 included
    double earlyExaggeration = 12; // P is multiplied by this for the first 250 iterations
    double learningRate = 0; // 0 = sklearn's "auto": max(n / earlyExaggeration / 4, 50)
    double angle = 0.5; // Barnes-Hut theta: a cell of width w at distance d is summarised when
                        // w / d < angle
    int iterationsWithoutProgress = 300; // stop when the error (checked every 50) stalls this long
    double minGradNorm = 1e-7; // stop when the gradient's norm falls to this
    // Start from these positions, (n, dims), instead of the PCA of the rows: the frame shown
    // before, so that successive frames of a training run stay put. Such a start skips early
    // exaggeration (which would tear the settled layout apart) and runs every iteration at the
    // final momentum 0.8, with fresh gains.
    RowMatrixXf initial;
    bool randomInit = false; // without `initial`: N(0, 1e-4) positions from `seed` instead of PCA
    std::uint64_t seed = 0;
    int threads = 0; // 0 = the engine's thread count (core/parallel.h); results do not depend on it
    // Called every 10 iterations and after the last with the positions (n, dims); returning false
    // stops the optimisation there (TsneResult::cancelled).
    std::function<bool(std::size_t done, std::size_t total, const RowMatrixXf &positions)> progress;
};

struct TsneResult
{
    RowMatrixXf coords; // (n, dims)
    double klDivergence = 0; // KL(P || Q) at the last iteration (Barnes-Hut estimate)
    int iterations = 0; // iterations run
    bool cancelled = false;
    // Wall-clock seconds by phase: the exact neighbours, P (the perplexity search and the
    // symmetrisation), the start, and the gradient descent.
    double neighboursSeconds = 0, affinitySeconds = 0, startSeconds = 0, descentSeconds = 0;
};

// The t-SNE of the rows of x (n, dim) under euclidean distance (unit-normalise word vectors first
// for cosine neighbourhoods). The input similarities are sklearn's: squared distances to the
// 3 * perplexity + 1 nearest rows (exact, by matrix products), each row's Gaussian found by
// sklearn's binary search on the entropy, P = (P + P^T) / sum. The optimisation is sklearn's
// gradient descent with momentum and gains (min_gain 0.01), Student-t with max(dims - 1, 1)
// degrees of freedom, the repulsion from a 2^dims-tree summarised as sklearn's _QuadTree does,
// with one walk of the tree for each cell of up to 64 points: a summary is accepted when it holds
// for the point of the cell nearest to it, so every point's summary is at least as fine as its
// own walk would give (the whole cell then meets it in one vectorised loop).
// The result is the same for every thread count: each point's forces are summed in a fixed order.
// Throws Error for fewer than 2 rows, dims outside 2..3, a perplexity not below n, rows that are
// not finite, or `initial` of the wrong shape.
TsneResult tsne(const Eigen::Ref<const RowMatrixXf> &x, const TsneOptions &options = {});

} // namespace embedlab
