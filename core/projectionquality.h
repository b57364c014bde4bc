#pragma once
// How well a map keeps the neighbourhoods of the space it was made from.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <vector>

namespace embedlab {

// sklearn.manifold.trustworthiness(x, y, n_neighbors=k) with metric "euclidean" in x: 1 minus
// the normalised penalty sum over each point's k nearest on the map of (rank in x - k) when that
// rank exceeds k, ranks counted from 1 with the point itself excluded (ties in x by row).
// x: (n, dim), y: (n, d). O(n^2) time, O(n) memory per thread. Throws Error when the row counts
// differ or k >= n / 2 (as sklearn does).
double trustworthiness(
    const Eigen::Ref<const RowMatrixXf> &x, const Eigen::Ref<const RowMatrixXf> &y, int k);

// The mean over points of the share of a point's k nearest rows in x by cosine similarity that
// are also among its k nearest on the map (euclidean in y). Ties by row. Throws Error when the
// row counts differ or k is not in 1..n-1.
double neighborhoodPreservation(
    const Eigen::Ref<const RowMatrixXf> &x, const Eigen::Ref<const RowMatrixXf> &y, int k);
// The same mean over the `queries` rows only, their neighbours still sought among all n rows: an
// estimate for tables too large to ask every row (O(queries * n) time). Throws Error as above and
// for a query row outside 0..n-1; 0 for no queries.
double neighborhoodPreservation(const Eigen::Ref<const RowMatrixXf> &x,
    const Eigen::Ref<const RowMatrixXf> &y, int k, const std::vector<int> &queries);

} // namespace embedlab
