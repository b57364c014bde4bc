#pragma once
// UMAP (McInnes, Healy and Melville 2018) of a word-vector table, with umap-learn 0.5.3's defaults
// and steps, on exact cosine neighbours.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace embedlab {

struct UmapOptions
{
    int nNeighbors = 15; // k, the point itself included (umap-learn's n_neighbors)
    float minDist = 0.1f;
    float spread = 1.0f;
    // SGD epochs; 0 = umap-learn's default: 500 for up to 10,000 rows, else 200.
    int epochs = 0;
    float learningRate = 1.0f;
    int negativeSampleRate = 5;
    float repulsionStrength = 1.0f; // gamma
    float setOpMixRatio = 1.0f; // 1 = fuzzy union, 0 = fuzzy intersection
    float localConnectivity = 1.0f;
    int dims = 2; // 2 or 3
    std::uint64_t seed = 1;
    int threads = 0; // <= 0: the engine's thread count (core/parallel.h)
    // (rows, dims) positions to start the SGD from instead of the spectral initialisation, e.g.
    // the previous frame of a training run: they are used as given (not rescaled), and the SGD
    // then runs initialEpochs epochs (0 = the full schedule) from learning rate
    // initialLearningRate, so that a barely changed table keeps its map.
    RowMatrixXf initial;
    int initialEpochs = 0;
    float initialLearningRate = 0.1f;
    // Called every progressEvery epochs and after the last with (epochs done, epochs) and the
    // current positions (rows, dims), valid during the call only; returning false stops the SGD
    // there (the result then holds those positions, with `cancelled` set).
    std::function<bool(std::size_t, std::size_t, const RowMatrixXf &)> progress;
    int progressEvery = 10;
};

struct UmapResult
{
    RowMatrixXf coords; // (rows, dims)
    float a = 0, b = 0; // the curve 1 / (1 + a d^(2b)) fitted from minDist and spread
    int epochs = 0; // epochs run
    bool spectralInit = false; // false: random (or `initial`) start
    bool cancelled = false; // the progress callback returned false
    // Wall-clock seconds by phase: the exact neighbours, the fuzzy graph, the start (spectral or
    // given), and the SGD (the epochs' schedules and moves).
    double neighboursSeconds = 0, graphSeconds = 0, startSeconds = 0, sgdSeconds = 0;
};

// UMAP of the first `rows` rows (0 = all) of the table with the cosine metric. Needs at least
// 2 rows; nNeighbors is capped at the rows used. Results depend on the seed only, not on the
// thread count: each epoch moves the points class by class of a colouring of the graph, no two
// points of a class sharing an edge (see umap.cpp). Throws Error for bad options and for rows
// with NaN or infinity.
UmapResult umap(const WordVectors &table, const UmapOptions &options, std::size_t rows = 0);

// The pieces, exposed for tests against umap-learn.

// umap-learn's find_ab_params: least-squares fit of 1 / (1 + a x^(2b)) to 1 for x < minDist
// and exp(-(x - minDist) / spread) beyond, on 300 points of [0, 3 spread].
void findAbParams(float spread, float minDist, float &a, float &b);

// Exact k nearest neighbours by cosine distance 1 - cos, the row itself first (distance 0).
// indices, distances: (n, k) row-major.
void exactCosineKnn(const Eigen::Ref<const RowMatrixXf> &x, int k, std::vector<int> &indices,
    std::vector<float> &distances);

// umap-learn's smooth_knn_dist (n_iter 64, bandwidth 1): distances (n, k) row-major give
// sigma (n) and rho (n).
void smoothKnnDist(const std::vector<float> &distances, std::size_t n, int k,
    float localConnectivity, std::vector<float> &sigmas, std::vector<float> &rhos);

// A sparse symmetric graph in coordinate form, (row, col) sorted by row then col.
struct UmapGraph
{
    std::size_t n = 0;
    std::vector<int> rows, cols;
    std::vector<float> weights;
};

// umap-learn's fuzzy_simplicial_set on given neighbours: compute_membership_strengths, then
// set_op_mix_ratio * (R + R^T - R o R^T) + (1 - set_op_mix_ratio) * R o R^T, zeros dropped.
UmapGraph fuzzySimplicialSet(const std::vector<int> &indices, const std::vector<float> &distances,
    std::size_t n, int k, float setOpMixRatio, float localConnectivity);

} // namespace embedlab
