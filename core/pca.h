#pragma once
// Principal component analysis of a word-vector table, and orthogonal Procrustes alignment so
// that successive projections (the embedding during training) do not flip or spin.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>

namespace embedlab {

struct PcaResult
{
    Eigen::MatrixXf components; // (dim, k): unit principal axes, by decreasing variance
    Eigen::VectorXf explainedVariance; // (k): variance along each axis (divisor n - 1)
    Eigen::VectorXf explainedVarianceRatio; // (k): explainedVariance / total variance
    Eigen::VectorXf mean; // (dim)
    RowMatrixXf coords; // (n, k): (row - mean) . components, n = rows used
};

// The top k principal components of the first restrictTo rows (0 = all rows), as
// scikit-learn's PCA(n_components=k) computes them, and the projection of those rows.
// Signs follow scikit-learn's svd_flip: in each column of coords, the entry of largest magnitude
// (the first, on a tie) is positive. Needs 1 <= k <= dim and at least 2 rows; throws Error
// otherwise. The covariance is accumulated in double over row blocks split across threads.
PcaResult pca(const WordVectors &table, int k, std::size_t restrictTo = 0);

// Rotates or reflects coords (n, k) in place by the orthogonal k x k matrix R that minimises
// ||coords R - previous||_F (orthogonal Procrustes: R = U V^T for coords^T previous = U S V^T),
// and returns R. Rows of both must be the same points. No scaling or translation. Throws Error
// when the shapes differ.
Eigen::MatrixXf alignProcrustes(RowMatrixXf &coords, const RowMatrixXf &previous);

} // namespace embedlab
