#pragma once
// How well a map keeps the neighbourhoods of the space it was made from.
#include "core/wordvectors.h"

#include <Eigen/Core>

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

} // namespace embedlab
