#include "core/projectionquality.h"

#include "core/error.h"
#include "core/parallel.h"

#include <algorithm>
#include <string>
#include <vector>

namespace embedlab {

namespace {

void checkShapes(const Eigen::Ref<const RowMatrixXf> &x, const Eigen::Ref<const RowMatrixXf> &y)
{
    if (x.rows() != y.rows())
        throw Error("the map has " + std::to_string(y.rows()) + " points for "
            + std::to_string(x.rows()) + " rows");
}

// The k smallest of score (n), index `self` left out, ties by index: (k) indices, nearest first.
std::vector<int> smallest(const std::vector<double> &score, int self, int k)
{
    std::vector<int> order;
    order.reserve(score.size());
    for (int j = 0; j < static_cast<int>(score.size()); ++j)
        if (j != self)
            order.push_back(j);
    auto less = [&](int a, int b) {
        return score[static_cast<std::size_t>(a)] < score[static_cast<std::size_t>(b)]
            || (score[static_cast<std::size_t>(a)] == score[static_cast<std::size_t>(b)] && a < b);
    };
    std::partial_sort(order.begin(), order.begin() + k, order.end(), less);
    order.resize(static_cast<std::size_t>(k));
    return order;
}

// (n) squared euclidean distances from row i of m (n, d), in double.
void distancesFrom(const Eigen::Ref<const RowMatrixXf> &m, Eigen::Index i, std::vector<double> &out)
{
    const Eigen::RowVectorXd p = m.row(i).cast<double>();
    out.resize(static_cast<std::size_t>(m.rows()));
    for (Eigen::Index j = 0; j < m.rows(); ++j)
        out[static_cast<std::size_t>(j)] = (m.row(j).cast<double>() - p).squaredNorm();
}

} // namespace

double trustworthiness(
    const Eigen::Ref<const RowMatrixXf> &x, const Eigen::Ref<const RowMatrixXf> &y, int k)
{
    checkShapes(x, y);
    const Eigen::Index n = x.rows();
    if (k < 1 || static_cast<double>(k) >= static_cast<double>(n) / 2)
        throw Error("trustworthiness needs 1 <= k < n / 2, got k = " + std::to_string(k) + " for "
            + std::to_string(n) + " points");
    std::vector<double> penalty(static_cast<std::size_t>(n), 0);
    parallelFor(static_cast<std::size_t>(n), 16, [&](std::size_t b, std::size_t e) {
        std::vector<double> dx, dy;
        for (std::size_t ii = b; ii < e; ++ii) {
            const Eigen::Index i = static_cast<Eigen::Index>(ii);
            distancesFrom(y, i, dy);
            const std::vector<int> mapNear = smallest(dy, static_cast<int>(i), k);
            distancesFrom(x, i, dx);
            double sum = 0;
            for (int j : mapNear) {
                // rank of j among the other rows by distance in x, from 1, ties by row
                const double dj = dx[static_cast<std::size_t>(j)];
                long long rank = 1;
                for (Eigen::Index l = 0; l < n; ++l) {
                    if (l == i)
                        continue;
                    const double dl = dx[static_cast<std::size_t>(l)];
                    if (dl < dj || (dl == dj && l < j))
                        ++rank;
                }
                if (rank > k)
                    sum += static_cast<double>(rank - k);
            }
            penalty[ii] = sum;
        }
    });
    double t = 0;
    for (double p : penalty)
        t += p;
    const double nn = static_cast<double>(n), kk = k;
    return 1.0 - t * (2.0 / (nn * kk * (2.0 * nn - 3.0 * kk - 1.0)));
}

double neighborhoodPreservation(
    const Eigen::Ref<const RowMatrixXf> &x, const Eigen::Ref<const RowMatrixXf> &y, int k)
{
    std::vector<int> all(static_cast<std::size_t>(x.rows()));
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<int>(i);
    return neighborhoodPreservation(x, y, k, all);
}

double neighborhoodPreservation(const Eigen::Ref<const RowMatrixXf> &x,
    const Eigen::Ref<const RowMatrixXf> &y, int k, const std::vector<int> &queries)
{
    checkShapes(x, y);
    const Eigen::Index n = x.rows();
    if (k < 1 || k >= n)
        throw Error("neighbourhood preservation needs 1 <= k < n, got k = " + std::to_string(k)
            + " for " + std::to_string(n) + " points");
    for (int q : queries)
        if (q < 0 || q >= n)
            throw Error("neighbourhood preservation: row " + std::to_string(q) + " is not among "
                + std::to_string(n) + " points");
    if (queries.empty())
        return 0;
    // Cosines by blocks of queries, a matrix product each: (n, block) at a time.
    constexpr std::size_t Block = 8;
    const Eigen::VectorXf norms = x.rowwise().norm(); // (n)
    std::vector<double> share(queries.size(), 0);
    const std::size_t blocks = (queries.size() + Block - 1) / Block;
    parallelFor(blocks, 1, [&](std::size_t bb, std::size_t be) {
        std::vector<double> negCos(static_cast<std::size_t>(n)), dy;
        RowMatrixXf q;
        Eigen::MatrixXf dots;
        for (std::size_t blk = bb; blk < be; ++blk) {
            const std::size_t first = blk * Block;
            const std::size_t count = std::min(Block, queries.size() - first);
            q.resize(static_cast<Eigen::Index>(count), x.cols());
            for (std::size_t c = 0; c < count; ++c) {
                const Eigen::Index i = queries[first + c];
                q.row(static_cast<Eigen::Index>(c))
                    = norms(i) > 0 ? RowMatrixXf(x.row(i) / norms(i)) : RowMatrixXf(x.row(i));
            }
            dots.noalias() = x * q.transpose(); // (n, count)
            for (std::size_t c = 0; c < count; ++c) {
                const Eigen::Index i = queries[first + c];
                for (Eigen::Index j = 0; j < n; ++j)
                    negCos[static_cast<std::size_t>(j)] = norms(i) > 0 && norms(j) > 0
                        ? -static_cast<double>(dots(j, static_cast<Eigen::Index>(c))) / norms(j)
                        : 0.0;
                std::vector<int> spaceNear = smallest(negCos, static_cast<int>(i), k);
                distancesFrom(y, i, dy);
                std::vector<int> mapNear = smallest(dy, static_cast<int>(i), k);
                std::sort(spaceNear.begin(), spaceNear.end());
                std::sort(mapNear.begin(), mapNear.end());
                std::vector<int> both;
                std::set_intersection(spaceNear.begin(), spaceNear.end(), mapNear.begin(),
                    mapNear.end(), std::back_inserter(both));
                share[first + c] = static_cast<double>(both.size()) / k;
            }
        }
    });
    double sum = 0;
    for (double s : share)
        sum += s;
    return sum / static_cast<double>(queries.size());
}

} // namespace embedlab
