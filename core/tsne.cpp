#include "core/tsne.h"

#include "core/error.h"
#include "core/exactknn.h"
#include "core/parallel.h"
#include "core/random.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>
#include <type_traits>
#include <vector>

namespace embedlab {

namespace {

constexpr int ExplorationIterations = 250; // sklearn's _EXPLORATION_N_ITER
constexpr int CheckEvery = 50; // sklearn's _N_ITER_CHECK
constexpr int ProgressEvery = 10;
constexpr double MinGain = 0.01;
constexpr double PerplexityTolerance = 1e-5; // sklearn's _utils.pyx
constexpr int BinarySearchSteps = 100;
constexpr double MachineEpsilon = std::numeric_limits<double>::epsilon();
constexpr float Float32Tiny = std::numeric_limits<float>::min();
constexpr float DuplicateEpsilon = 1e-6f; // sklearn's _QuadTree: points this close are one

// fn(begin, end) over [0, n) on `threads` threads (0: the engine's pool).
void forChunks(std::size_t n, int threads, const std::function<void(std::size_t, std::size_t)> &fn)
{
    if (threads == 0) {
        parallelFor(n, 64, fn);
        return;
    }
    const std::size_t chunks = std::min<std::size_t>(static_cast<std::size_t>(threads), n);
    if (chunks <= 1) {
        fn(0, n);
        return;
    }
    const std::size_t step = (n + chunks - 1) / chunks;
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(chunks);
    for (std::size_t c = 0; c < chunks; ++c)
        workers.emplace_back([&, c] {
            try {
                const std::size_t b = c * step, e = std::min(n, b + step);
                if (b < e)
                    fn(b, e);
            } catch (...) {
                errors[c] = std::current_exception();
            }
        });
    for (auto &w : workers)
        w.join();
    for (auto &e : errors)
        if (e)
            std::rethrow_exception(e);
}

// The attraction's lanes: each row of P is padded to a multiple of AttractLanes entries.
constexpr int AttractLanes = 8;

// Sparse symmetric P in rows: row i holds (col[m], val[m]) for m in [start[i], start[i + 1]),
// every p_ij > 0 with j != i in increasing j, padded to a multiple of AttractLanes entries with
// (i, 0).
struct SparseP
{
    std::vector<std::size_t> start;
    std::vector<int> col;
    std::vector<float> val;
};

// The k nearest rows of each row by squared euclidean distance, itself excluded.
// x: (n, dim) -> index, sqdist: (n, k), each row by increasing distance. A margin of k + 8
// candidates by the float products (core/exactknn.h), then ranked by exact distances in double,
// so that rounding in the products does not decide which of two near-equal rows is kept.
void nearestRows(const Eigen::Ref<const RowMatrixXf> &x, int k, int threads,
    std::vector<int> &index, std::vector<double> &sqdist)
{
    const std::size_t rows = static_cast<std::size_t>(x.rows());
    index.assign(rows * static_cast<std::size_t>(k), 0);
    sqdist.assign(rows * static_cast<std::size_t>(k), 0);
    const std::size_t keep = std::min<std::size_t>(rows - 1, static_cast<std::size_t>(k) + 8);
    const std::vector<std::pair<float, int>> candidates
        = smallestByProduct(x, x.rowwise().squaredNorm(), -2.0f, keep, threads);
    forChunks(rows, threads, [&](std::size_t b, std::size_t e) {
        std::vector<std::pair<double, int>> exact(keep);
        for (std::size_t i = b; i < e; ++i) {
            for (std::size_t c = 0; c < keep; ++c) {
                const int j = candidates[i * keep + c].second;
                exact[c] = { (x.row(static_cast<Eigen::Index>(i)).cast<double>()
                                 - x.row(j).cast<double>())
                                 .squaredNorm(),
                    j };
            }
            std::sort(exact.begin(), exact.end());
            for (int c = 0; c < k; ++c) {
                index[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)]
                    = exact[static_cast<std::size_t>(c)].second;
                sqdist[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)]
                    = exact[static_cast<std::size_t>(c)].first;
            }
        }
    });
}

// sklearn's _binary_search_perplexity: for each row, the Gaussian precision beta whose
// conditional distribution over the row's neighbours has entropy log(perplexity).
// sqdist: (n, k) -> P: (n, k), rows summing to 1.
std::vector<double> conditionalP(
    const std::vector<double> &sqdist, std::size_t n, int k, double perplexity, int threads)
{
    std::vector<double> p(sqdist.size());
    const double desiredEntropy = std::log(perplexity);
    forChunks(n, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const double *d = &sqdist[i * static_cast<std::size_t>(k)];
            double *pi = &p[i * static_cast<std::size_t>(k)];
            double betaMin = -std::numeric_limits<double>::infinity();
            double betaMax = std::numeric_limits<double>::infinity();
            double beta = 1;
            for (int step = 0; step < BinarySearchSteps; ++step) {
                double sum = 0;
                for (int j = 0; j < k; ++j) {
                    pi[j] = std::exp(-d[j] * beta);
                    sum += pi[j];
                }
                if (sum == 0)
                    sum = 1e-8; // sklearn's EPSILON_DBL
                double sumDistP = 0;
                for (int j = 0; j < k; ++j) {
                    pi[j] /= sum;
                    sumDistP += d[j] * pi[j];
                }
                const double entropyDiff = std::log(sum) + beta * sumDistP - desiredEntropy;
                if (std::fabs(entropyDiff) <= PerplexityTolerance)
                    break;
                if (entropyDiff > 0) {
                    betaMin = beta;
                    beta = std::isinf(betaMax) ? beta * 2 : (beta + betaMax) / 2;
                } else {
                    betaMax = beta;
                    beta = std::isinf(betaMin) ? beta / 2 : (beta + betaMin) / 2;
                }
            }
        }
    });
    return p;
}

// P = (C + C^T) / sum(C + C^T) for the conditional C (n, k) over `index`.
SparseP symmetrise(
    const std::vector<int> &index, const std::vector<double> &c, std::size_t n, int k)
{
    std::vector<std::vector<std::pair<int, double>>> rows(n);
    for (std::size_t i = 0; i < n; ++i)
        for (int m = 0; m < k; ++m) {
            const std::size_t at = i * static_cast<std::size_t>(k) + static_cast<std::size_t>(m);
            rows[i].push_back({ index[at], c[at] });
            rows[static_cast<std::size_t>(index[at])].push_back({ static_cast<int>(i), c[at] });
        }
    double total = 0;
    for (auto &r : rows) {
        std::sort(
            r.begin(), r.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        for (const auto &e : r)
            total += e.second;
    }
    total = std::max(total, MachineEpsilon);
    SparseP p;
    p.start.push_back(0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto &r = rows[i];
        // An entry is the sum of at most two values, c_ij and c_ji, the same in either order and
        // so the same in row i and in row j.
        for (std::size_t m = 0; m < r.size(); ++m) {
            if (m > 0 && r[m].first == r[m - 1].first)
                continue;
            double v = r[m].second;
            if (m + 1 < r.size() && r[m + 1].first == r[m].first)
                v += r[m + 1].second;
            p.col.push_back(r[m].first);
            p.val.push_back(static_cast<float>(v / total));
        }
        while ((p.col.size() - p.start.back()) % AttractLanes != 0) {
            p.col.push_back(static_cast<int>(i));
            p.val.push_back(0.f);
        }
        p.start.push_back(p.col.size());
    }
    return p;
}

// sklearn's init="pca": the top principal components of x, signs as svd_flip leaves them, scaled
// so that the first coordinate's standard deviation is 1e-4. x: (n, dim) -> (n, dims).
RowMatrixXf pcaStart(const Eigen::Ref<const RowMatrixXf> &x, int dims)
{
    const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
    const Eigen::MatrixXd centred = x.cast<double>().rowwise() - mean; // (n, dim)
    const Eigen::MatrixXd cov = centred.transpose() * centred; // (dim, dim)
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    const Eigen::Index dim = cov.rows();
    Eigen::MatrixXd axes(dim, dims); // (dim, dims), by decreasing variance
    for (int c = 0; c < dims; ++c)
        axes.col(c) = eig.eigenvectors().col(dim - 1 - std::min<Eigen::Index>(c, dim - 1));
    Eigen::MatrixXd coords = centred * axes; // (n, dims)
    for (int c = 0; c < dims; ++c) {
        Eigen::Index at = 0;
        coords.col(c).cwiseAbs().maxCoeff(&at);
        if (coords(at, c) < 0)
            coords.col(c) *= -1;
    }
    const double sd = std::sqrt((coords.col(0).array() - coords.col(0).mean()).square().mean());
    RowMatrixXf out = (coords * (sd > 0 ? 1e-4 / sd : 1.0)).cast<float>();
    return out;
}

// The 2^D-tree of sklearn's _QuadTree over the positions: a cell splits at its centre until it
// holds one point (or points within DuplicateEpsilon of each other, counted together).
template <int D> class SpaceTree
{
public:
    struct Node
    {
        float barycenter[D];
        float squaredMaxWidth; // max over axes of the cell's width, squared
        int size; // points in the cell
        int firstChild; // -1 for a leaf
        int children;
        int begin; // its points are order()[begin, begin + size)
    };

    // The most points of a group: the cells whose points share one walk of the tree.
    static constexpr int GroupSize = 128;

    // y: (n, D)
    void build(const RowMatrixXf &y)
    {
        const Eigen::Index n = y.rows();
        m_nodes.clear();
        m_nodes.reserve(2 * static_cast<std::size_t>(n));
        m_order.resize(static_cast<std::size_t>(n));
        m_scratch.resize(static_cast<std::size_t>(n));
        m_code.resize(static_cast<std::size_t>(n));
        std::iota(m_order.begin(), m_order.end(), 0);
        float lo[D], hi[D];
        for (int a = 0; a < D; ++a) {
            const float mn = y.col(a).minCoeff(), mx = y.col(a).maxCoeff();
            lo[a] = mn;
            // sklearn widens the upper bound so that no point sits on it.
            const float sign = mx > 0 ? 1.f : mx < 0 ? -1.f : 0.f;
            hi[a] = std::max(mx * (1 + 1e-3f * sign), mx + 1e-3f);
        }
        m_nodes.push_back({});
        buildNode(y, 0, 0, static_cast<int>(n), lo, hi, 0);
        m_groups.clear();
        collectGroups(0);
        m_rank.resize(static_cast<std::size_t>(n));
        for (std::size_t m = 0; m < m_order.size(); ++m)
            m_rank[static_cast<std::size_t>(m_order[m])] = static_cast<int>(m);
    }

    // The cells of at most GroupSize points that are not inside another such cell, in depth-first
    // order: their points are consecutive in order() and together are every point once.
    const std::vector<int> &groups() const { return m_groups; }
    const Node &node(int at) const { return m_nodes[static_cast<std::size_t>(at)]; }

    // The cells that summarise the tree for every point of `group`: sklearn's _QuadTree criterion
    // (a cell of max width w at squared distance d2 from its barycenter is summarised when
    // w^2 / d2 < theta^2), tested with the distance from the barycenter to the group's bounding
    // box, which no point of the group is nearer than. Each point so gets a summary at least as
    // fine as its own walk would give. far: summarised inner cells; leaves: the leaves reached.
    void interactions(const float *lo, const float *hi, float squaredTheta, std::vector<int> &far,
        std::vector<int> &leaves) const
    {
        far.clear();
        leaves.clear();
        int stack[64 * (1 << D)];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const int at = stack[--top];
            const Node &c = m_nodes[static_cast<std::size_t>(at)];
            if (c.firstChild < 0) {
                leaves.push_back(at);
                continue;
            }
            float dist2 = 0;
            for (int a = 0; a < D; ++a) {
                const float out
                    = std::max({ 0.f, lo[a] - c.barycenter[a], c.barycenter[a] - hi[a] });
                dist2 += out * out;
            }
            if (c.squaredMaxWidth < squaredTheta * dist2) {
                far.push_back(at);
            } else {
                for (int k = c.children - 1; k >= 0; --k)
                    stack[top++] = c.firstChild + k;
            }
        }
    }

    // The points, cell by cell (depth first): a permutation of 0..n-1.
    const std::vector<int> &order() const { return m_order; }
    // Each point's position in order().
    const std::vector<int> &rank() const { return m_rank; }

private:
    void buildNode(const RowMatrixXf &y, int node, int begin, int end, const float *lo,
        const float *hi, int depth)
    {
        Node c {};
        c.size = end - begin;
        c.firstChild = -1;
        c.children = 0;
        c.begin = begin;
        float width2 = 0;
        for (int a = 0; a < D; ++a)
            width2 = std::max(width2, (hi[a] - lo[a]) * (hi[a] - lo[a]));
        c.squaredMaxWidth = width2;
        double sum[D] = {};
        for (int m = begin; m < end; ++m)
            for (int a = 0; a < D; ++a)
                sum[a] += y(m_order[static_cast<std::size_t>(m)], a);
        for (int a = 0; a < D; ++a)
            c.barycenter[a] = static_cast<float>(sum[a] / c.size);
        bool allSame = true;
        const int first = m_order[static_cast<std::size_t>(begin)];
        for (int m = begin + 1; m < end && allSame; ++m)
            for (int a = 0; a < D; ++a)
                if (std::fabs(y(m_order[static_cast<std::size_t>(m)], a) - y(first, a))
                    > DuplicateEpsilon)
                    allSame = false;
        if (allSame || depth > 60) {
            m_nodes[static_cast<std::size_t>(node)] = c;
            return;
        }
        float mid[D];
        for (int a = 0; a < D; ++a)
            mid[a] = (lo[a] + hi[a]) / 2;
        // Partition into the 2^D octants, child k holding bit a set when coordinate a >= mid.
        int bounds[(1 << D) + 1] = {};
        {
            // A counting sort by octant through m_scratch: no allocation per cell.
            for (int m = begin; m < end; ++m) {
                const int r = m_order[static_cast<std::size_t>(m)];
                int k = 0;
                for (int a = 0; a < D; ++a)
                    if (y(r, a) >= mid[a])
                        k |= 1 << a;
                m_code[static_cast<std::size_t>(m)] = static_cast<unsigned char>(k);
                ++bounds[k + 1];
            }
            bounds[0] = begin;
            for (int k = 0; k < (1 << D); ++k)
                bounds[k + 1] += bounds[k];
            int at[1 << D];
            for (int k = 0; k < (1 << D); ++k)
                at[k] = bounds[k];
            for (int m = begin; m < end; ++m)
                m_scratch[static_cast<std::size_t>(at[m_code[static_cast<std::size_t>(m)]]++)]
                    = m_order[static_cast<std::size_t>(m)];
            std::copy(m_scratch.begin() + begin, m_scratch.begin() + end, m_order.begin() + begin);
        }
        int used[1 << D];
        int count = 0;
        for (int k = 0; k < (1 << D); ++k)
            if (bounds[k + 1] > bounds[k])
                used[count++] = k;
        c.firstChild = static_cast<int>(m_nodes.size());
        c.children = count;
        m_nodes[static_cast<std::size_t>(node)] = c;
        m_nodes.resize(m_nodes.size() + static_cast<std::size_t>(count));
        for (int u = 0; u < count; ++u) {
            const int k = used[u];
            float clo[D], chi[D];
            for (int a = 0; a < D; ++a) {
                const bool upper = (k >> a) & 1;
                clo[a] = upper ? mid[a] : lo[a];
                chi[a] = upper ? hi[a] : mid[a];
            }
            buildNode(y, c.firstChild + u, bounds[k], bounds[k + 1], clo, chi, depth + 1);
        }
    }

    void collectGroups(int at)
    {
        const Node &c = m_nodes[static_cast<std::size_t>(at)];
        if (c.size <= GroupSize || c.firstChild < 0) {
            m_groups.push_back(at);
            return;
        }
        for (int k = 0; k < c.children; ++k)
            collectGroups(c.firstChild + k);
    }

    std::vector<Node> m_nodes;
    std::vector<int> m_groups;
    std::vector<int> m_order;
    std::vector<int> m_rank;
    std::vector<int> m_scratch; // (n) for the partition of a cell
    std::vector<unsigned char> m_code; // (n) each point's octant in the cell being split
};

// The repulsion on `count` points of a group (pos: D x GroupSize) from the cells `far` (summarised)
// and the leaves `leaves`: q = (dof / (dof + d^2))^((dof + 1) / 2); each cell adds size * q to the
// sum of q and size * q^2 * (p - cell) to the force. A leaf exerts no force on the points it holds
// (a point and its duplicates). Every point has its own sums, in the cells' order: the loops over
// the points vectorise, and the result is the same at any vector width.
template <int D>
inline __attribute__((always_inline)) void repelGroupBody(const SpaceTree<D> &tree, const int *far,
    std::size_t farCount, const int *leaves, std::size_t leafCount, float dof, int count,
    const float (*pos)[SpaceTree<D>::GroupSize], float (*force)[SpaceTree<D>::GroupSize], float *q)
{
    for (std::size_t k = 0; k < farCount; ++k) {
        const auto &c = tree.node(far[k]);
        const float size = static_cast<float>(c.size);
        for (int g = 0; g < count; ++g) {
            float delta[D], dist2 = 0;
            for (int a = 0; a < D; ++a) {
                delta[a] = pos[a][g] - c.barycenter[a];
                dist2 += delta[a] * delta[a];
            }
            float qg = dof / (dof + dist2);
            if (D == 3) // dof = 2: exponent 1.5
                qg = qg * std::sqrt(qg);
            q[g] += size * qg;
            const float mult = size * qg * qg;
            for (int a = 0; a < D; ++a)
                force[a][g] += mult * delta[a];
        }
    }
    for (std::size_t k = 0; k < leafCount; ++k) {
        const auto &c = tree.node(leaves[k]);
        const float size = static_cast<float>(c.size);
        for (int g = 0; g < count; ++g) {
            float delta[D], dist2 = 0;
            bool duplicate = true;
            for (int a = 0; a < D; ++a) {
                delta[a] = pos[a][g] - c.barycenter[a];
                dist2 += delta[a] * delta[a];
                duplicate = duplicate & (std::fabs(delta[a]) <= DuplicateEpsilon);
            }
            float qg = dof / (dof + dist2);
            if (D == 3)
                qg = qg * std::sqrt(qg);
            const float s = duplicate ? 0.f : size;
            q[g] += s * qg;
            const float mult = s * qg * qg;
            for (int a = 0; a < D; ++a)
                force[a][g] += mult * delta[a];
        }
    }
}

template <int D>
void repelGroupPortable(const SpaceTree<D> &tree, const int *far, std::size_t farCount,
    const int *leaves, std::size_t leafCount, float dof, int count,
    const float (*pos)[SpaceTree<D>::GroupSize], float (*force)[SpaceTree<D>::GroupSize], float *q)
{
    repelGroupBody<D>(tree, far, farCount, leaves, leafCount, dof, count, pos, force, q);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The same loops compiled 8-wide for CPUs with AVX2 (no FMA contraction in ISO C++ mode, so the
// sums are those of the portable version).
template <int D>
__attribute__((target("avx2"))) void repelGroupAvx2(const SpaceTree<D> &tree, const int *far,
    std::size_t farCount, const int *leaves, std::size_t leafCount, float dof, int count,
    const float (*pos)[SpaceTree<D>::GroupSize], float (*force)[SpaceTree<D>::GroupSize], float *q)
{
    repelGroupBody<D>(tree, far, farCount, leaves, leafCount, dof, count, pos, force, q);
}
const bool g_avx2 = __builtin_cpu_supports("avx2");
#endif

template <int D>
void repelGroup(const SpaceTree<D> &tree, const int *far, std::size_t farCount, const int *leaves,
    std::size_t leafCount, float dof, int count, const float (*pos)[SpaceTree<D>::GroupSize],
    float (*force)[SpaceTree<D>::GroupSize], float *q)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (g_avx2) {
        repelGroupAvx2<D>(tree, far, farCount, leaves, leafCount, dof, count, pos, force, q);
        return;
    }
#endif
    repelGroupPortable<D>(tree, far, farCount, leaves, leafCount, dof, count, pos, force, q);
}

// The attraction sum over j of p_ij q_ij (y_i - y_j) of rows [i0, i1) into pull (n, D): lane l of
// a row takes its entries l, l + AttractLanes, ..., and the lanes are added in order at the end.
// y: (n, D)
template <int D>
inline __attribute__((always_inline)) void attractRowsBody(
    const SparseP &p, const float *y, float dof, std::size_t i0, std::size_t i1, float *pull)
{
    using LaneF = float __attribute__((vector_size(AttractLanes * sizeof(float))));
    for (std::size_t i = i0; i < i1; ++i) {
        LaneF own[D];
        float yi[D];
        for (int a = 0; a < D; ++a) {
            own[a] = LaneF {};
            yi[a] = y[i * D + static_cast<std::size_t>(a)];
        }
        for (std::size_t m = p.start[i]; m < p.start[i + 1]; m += AttractLanes) {
            LaneF delta[D], pv;
            LaneF dist2 = LaneF {};
            std::memcpy(&pv, p.val.data() + m, sizeof pv);
            for (int a = 0; a < D; ++a) {
                LaneF yj;
                for (int l = 0; l < AttractLanes; ++l)
                    yj[l] = y[static_cast<std::size_t>(p.col[m + static_cast<std::size_t>(l)]) * D
                        + static_cast<std::size_t>(a)];
                delta[a] = yi[a] - yj;
                dist2 += delta[a] * delta[a];
            }
            LaneF q = dof / (dof + dist2);
            if (D == 3)
                for (int l = 0; l < AttractLanes; ++l)
                    q[l] = q[l] * std::sqrt(q[l]);
            const LaneF w = pv * q;
            for (int a = 0; a < D; ++a)
                own[a] += w * delta[a];
        }
        for (int a = 0; a < D; ++a) {
            float sum = 0;
            for (int l = 0; l < AttractLanes; ++l)
                sum += own[a][l];
            pull[i * D + static_cast<std::size_t>(a)] = sum;
        }
    }
}

template <int D>
void attractRowsPortable(
    const SparseP &p, const float *y, float dof, std::size_t i0, std::size_t i1, float *pull)
{
    attractRowsBody<D>(p, y, dof, i0, i1, pull);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
template <int D>
__attribute__((target("avx2"))) void attractRowsAvx2(
    const SparseP &p, const float *y, float dof, std::size_t i0, std::size_t i1, float *pull)
{
    attractRowsBody<D>(p, y, dof, i0, i1, pull);
}
#endif

template <int D>
void attractRows(
    const SparseP &p, const float *y, float dof, std::size_t i0, std::size_t i1, float *pull)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (g_avx2) {
        attractRowsAvx2<D>(p, y, dof, i0, i1, pull);
        return;
    }
#endif
    attractRowsPortable<D>(p, y, dof, i0, i1, pull);
}

// The Barnes-Hut gradient of KL(P || Q) (sklearn's _barnes_hut_tsne.gradient times
// 2 (dof + 1) / dof), and the error when asked for.
// y: (n, D), grad: (n, D)
template <int D>
double gradient(const SparseP &p, const RowMatrixXf &y, float exaggeration, float angle,
    bool computeError, int threads, SpaceTree<D> &tree, std::vector<double> &sumQ,
    std::vector<float> &push, std::vector<float> &pull, std::vector<double> &errorParts,
    RowMatrixXf &grad)
{
    const std::size_t n = static_cast<std::size_t>(y.rows());
    const float dof = std::max(D - 1, 1);
    tree.build(y);
    sumQ.resize(n);
    push.resize(n * D);
    // Group by group: one walk of the tree for up to GroupSize points, then every point of the
    // group against every cell of the walk's list, a loop over the points that vectorises.
    const std::vector<int> &groups = tree.groups();
    const std::vector<int> &order = tree.order();
    const float squaredTheta = angle * angle;
    forChunks(groups.size(), threads, [&](std::size_t b, std::size_t e) {
        constexpr int G = SpaceTree<D>::GroupSize;
        std::vector<int> far, leaves;
        float pos[D][G], force[D][G], q[G];
        for (std::size_t gi = b; gi < e; ++gi) {
            const auto &group = tree.node(groups[gi]);
            float lo[D], hi[D];
            for (int a = 0; a < D; ++a) {
                lo[a] = std::numeric_limits<float>::max();
                hi[a] = std::numeric_limits<float>::lowest();
            }
            for (int m = group.begin; m < group.begin + group.size; ++m)
                for (int a = 0; a < D; ++a) {
                    const float v = y(order[static_cast<std::size_t>(m)], a);
                    lo[a] = std::min(lo[a], v);
                    hi[a] = std::max(hi[a], v);
                }
            tree.interactions(lo, hi, squaredTheta, far, leaves);
            // A leaf of duplicates can hold more than G points: G at a time.
            for (int first = group.begin; first < group.begin + group.size; first += G) {
                const int count = std::min(G, group.begin + group.size - first);
                for (int g = 0; g < count; ++g) {
                    for (int a = 0; a < D; ++a) {
                        pos[a][g] = y(order[static_cast<std::size_t>(first + g)], a);
                        force[a][g] = 0;
                    }
                    q[g] = 0;
                }
                repelGroup<D>(tree, far.data(), far.size(), leaves.data(), leaves.size(), dof,
                    count, pos, force, q);
                // Stored by position in the tree's order, so that each thread writes its own
                // stretch of memory (rows of neighbouring cells are scattered over the table).
                for (int g = 0; g < count; ++g) {
                    const std::size_t at = static_cast<std::size_t>(first + g);
                    sumQ[at] = q[g];
                    for (int a = 0; a < D; ++a)
                        push[at * D + static_cast<std::size_t>(a)] = force[a][g];
                }
            }
        }
    });
    double totalQ = 0; // in the tree's order: the same sum for every thread count
    for (double q : sumQ)
        totalQ += q;
    const double scale = 2.0 * (dof + 1) / dof;
    // The attraction of row i: exaggeration * sum over j of p_ij * q_ij * (y_i - y_j), each row
    // from its own entries (AttractLanes at a time, in a fixed order), so that rows are
    // independent and the sums never depend on the thread count. KL's terms p_ij log(p_ij / q_ij)
    // when asked for, a sum for each row, added in order.
    pull.resize(n * D);
    const std::vector<int> &rank = tree.rank();
    if (computeError)
        errorParts.assign(n, 0);
    forChunks(n, threads, [&](std::size_t b, std::size_t e) {
        attractRows<D>(p, y.data(), dof, b, e, pull.data());
        if (!computeError)
            return;
        for (std::size_t i = b; i < e; ++i) {
            const float *yi = &y(static_cast<Eigen::Index>(i), 0);
            double err = 0;
            for (std::size_t m = p.start[i]; m < p.start[i + 1]; ++m) {
                if (p.val[m] == 0.f)
                    continue;
                const float *yj = &y(p.col[m], 0);
                float dist2 = 0;
                for (int a = 0; a < D; ++a)
                    dist2 += (yi[a] - yj[a]) * (yi[a] - yj[a]);
                float q = dof / (dof + dist2);
                if (D == 3)
                    q = q * std::sqrt(q);
                const double pij = static_cast<double>(p.val[m]) * exaggeration;
                const double qn = q / totalQ;
                err += pij
                    * std::log(
                        std::max(pij, double(Float32Tiny)) / std::max(qn, double(Float32Tiny)));
            }
            errorParts[i] = err;
        }
    });
    forChunks(n, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            for (int a = 0; a < D; ++a) {
                const std::size_t at = i * D + static_cast<std::size_t>(a);
                const float repulsion
                    = push[static_cast<std::size_t>(rank[i]) * D + static_cast<std::size_t>(a)];
                grad(static_cast<Eigen::Index>(i), a) = static_cast<float>(scale
                    * (static_cast<double>(exaggeration) * pull[at]
                        - static_cast<double>(repulsion) / totalQ));
            }
    });
    if (!computeError)
        return 0;
    double error = 0;
    for (double v : errorParts)
        error += v;
    return error;
}

template <int D>
TsneResult optimise(const SparseP &p, RowMatrixXf y, const TsneOptions &o, bool fromInitial)
{
    const std::size_t n = static_cast<std::size_t>(y.rows());
    const double learningRate = o.learningRate > 0
        ? o.learningRate
        : std::max(static_cast<double>(n) / o.earlyExaggeration / 4, 50.0);
    const int total = o.iterations;
    RowMatrixXf update(y.rows(), D); // (n, D)
    RowMatrixXf gains(y.rows(), D); // (n, D)
    RowMatrixXf grad(y.rows(), D);
    SpaceTree<D> tree;
    std::vector<double> sumQ, errorParts;
    std::vector<float> push, pull;
    TsneResult result;

    // sklearn's two calls of _gradient_descent: the exploration with P exaggerated at momentum
    // 0.5, then the rest at 0.8; each keeps its own best error. A start from `initial` runs only
    // the second.
    struct Phase
    {
        int begin, end;
        double momentum, exaggeration;
        int withoutProgress;
    };
    std::vector<Phase> phases;
    const int explore = fromInitial ? 0 : std::min(ExplorationIterations, total);
    if (explore > 0)
        phases.push_back({ 0, explore, 0.5, o.earlyExaggeration, ExplorationIterations });
    if (total > explore)
        phases.push_back({ explore, total, 0.8, 1.0, o.iterationsWithoutProgress });

    int done = 0;
    for (const Phase &phase : phases) {
        // Each of sklearn's _gradient_descent calls starts with no velocity and unit gains.
        update.setZero();
        gains.setOnes();
        double bestError = std::numeric_limits<double>::max();
        int bestIter = phase.begin;
        bool stop = false;
        for (int it = phase.begin; it < phase.end && !stop; ++it) {
            const bool check = (it + 1) % CheckEvery == 0;
            const double error = gradient<D>(p, y, static_cast<float>(phase.exaggeration),
                static_cast<float>(o.angle), check || it == phase.end - 1, o.threads, tree, sumQ,
                push, pull, errorParts, grad);
            // gains, update, positions: (n, D), elementwise
            double gradNorm2 = 0;
            for (Eigen::Index i = 0; i < y.rows(); ++i)
                for (int a = 0; a < D; ++a) {
                    float &g = gains(i, a);
                    float &u = update(i, a);
                    if (u * grad(i, a) < 0)
                        g += 0.2f;
                    else
                        g *= 0.8f;
                    g = std::max(g, static_cast<float>(MinGain));
                    const float gr = grad(i, a) * g;
                    gradNorm2 += static_cast<double>(gr) * gr;
                    u = static_cast<float>(phase.momentum * u - learningRate * gr);
                    y(i, a) += u;
                }
            done = it + 1;
            result.klDivergence = error;
            if (check) {
                if (error < bestError) {
                    bestError = error;
                    bestIter = it;
                } else if (it - bestIter > phase.withoutProgress) {
                    stop = true;
                }
                if (std::sqrt(gradNorm2) <= o.minGradNorm)
                    stop = true;
            }
            if (o.progress && done % ProgressEvery == 0 && done < total
                && !o.progress(
                    static_cast<std::size_t>(done), static_cast<std::size_t>(total), y)) {
                result.cancelled = true;
                break;
            }
        }
        if (result.cancelled)
            break;
    }
    result.iterations = done;
    if (o.progress && !result.cancelled)
        o.progress(static_cast<std::size_t>(total), static_cast<std::size_t>(total), y);
    result.coords = std::move(y);
    return result;
}

} // namespace

TsneResult tsne(const Eigen::Ref<const RowMatrixXf> &x, const TsneOptions &options)
{
    const Eigen::Index n = x.rows();
    if (n < 2)
        throw Error("t-SNE needs at least 2 rows, got " + std::to_string(n));
    if (options.dims != 2 && options.dims != 3)
        throw Error("t-SNE makes 2 or 3 dimensions, not " + std::to_string(options.dims));
    if (!(options.perplexity > 0) || options.perplexity >= static_cast<double>(n))
        throw Error("t-SNE perplexity must be positive and less than the " + std::to_string(n)
            + " rows, got " + std::to_string(options.perplexity));
    if (options.iterations < 1)
        throw Error("t-SNE needs at least 1 iteration");
    if (!x.allFinite())
        throw Error("t-SNE: the rows hold NaN or infinity");
    const bool fromInitial = options.initial.size() > 0;
    if (fromInitial
        && (options.initial.rows() != n || options.initial.cols() != options.dims
            || !options.initial.allFinite()))
        throw Error("t-SNE: the initial positions must be finite, (" + std::to_string(n) + ", "
            + std::to_string(options.dims) + "), got (" + std::to_string(options.initial.rows())
            + ", " + std::to_string(options.initial.cols()) + ")");

    const int k = static_cast<int>(
        std::min<double>(static_cast<double>(n - 1), std::floor(3 * options.perplexity + 1)));
    using Clock = std::chrono::steady_clock;
    const auto since = [](Clock::time_point t) {
        return std::chrono::duration<double>(Clock::now() - t).count();
    };
    auto t0 = Clock::now();
    std::vector<int> index;
    std::vector<double> sqdist;
    nearestRows(x, k, options.threads, index, sqdist);
    const double neighbours = since(t0);
    t0 = Clock::now();
    const std::vector<double> c
        = conditionalP(sqdist, static_cast<std::size_t>(n), k, options.perplexity, options.threads);
    const SparseP p = symmetrise(index, c, static_cast<std::size_t>(n), k);
    const double affinity = since(t0);
    t0 = Clock::now();

    RowMatrixXf start;
    if (fromInitial) {
        start = options.initial;
    } else if (options.randomInit) {
        Rng rng(options.seed);
        start.resize(n, options.dims);
        for (Eigen::Index i = 0; i < start.size(); ++i) {
            // Box-Muller from two uniforms in (0, 1]
            const double u1 = (static_cast<double>(rng.next() >> 11) + 1) * 0x1.0p-53;
            const double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
            start.data()[i] = static_cast<float>(
                1e-4 * std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2));
        }
    } else {
        start = pcaStart(x, options.dims);
    }
    const double started = since(t0);
    t0 = Clock::now();
    TsneResult r = options.dims == 2 ? optimise<2>(p, std::move(start), options, fromInitial)
                                     : optimise<3>(p, std::move(start), options, fromInitial);
    r.neighboursSeconds = neighbours;
    r.affinitySeconds = affinity;
    r.startSeconds = started;
    r.descentSeconds = since(t0);
    return r;
}

} // namespace embedlab
