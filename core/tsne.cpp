#include "core/tsne.h"

#include "core/error.h"
#include "core/parallel.h"
#include "core/random.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>
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

// Sparse symmetric P in rows: row i holds (col[k], val[k]) for k in [start[i], start[i + 1]).
struct SparseP
{
    std::vector<std::size_t> start;
    std::vector<int> col;
    std::vector<float> val;
};

// The k nearest rows of each row by squared euclidean distance, itself excluded.
// x: (n, dim) -> index, sqdist: (n, k), each row by increasing distance.
void nearestRows(const Eigen::Ref<const RowMatrixXf> &x, int k, int threads,
    std::vector<int> &index, std::vector<double> &sqdist)
{
    const Eigen::Index n = x.rows();
    index.assign(static_cast<std::size_t>(n * k), 0);
    sqdist.assign(static_cast<std::size_t>(n * k), 0);
    const Eigen::VectorXf norms = x.rowwise().squaredNorm(); // (n)
    constexpr Eigen::Index Block = 256;
    const std::size_t blocks = static_cast<std::size_t>((n + Block - 1) / Block);
    forChunks(blocks, threads, [&](std::size_t b0, std::size_t b1) {
        Eigen::MatrixXf dots; // (block, n)
        std::vector<std::pair<float, int>> cand(static_cast<std::size_t>(n));
        for (std::size_t b = b0; b < b1; ++b) {
            const Eigen::Index r0 = static_cast<Eigen::Index>(b) * Block;
            const Eigen::Index rows = std::min(Block, n - r0);
            dots.noalias() = x.middleRows(r0, rows) * x.transpose();
            for (Eigen::Index r = 0; r < rows; ++r) {
                const Eigen::Index i = r0 + r;
                std::size_t m = 0;
                for (Eigen::Index j = 0; j < n; ++j)
                    if (j != i)
                        cand[m++] = { norms(i) + norms(j) - 2 * dots(r, j), static_cast<int>(j) };
                // A margin of candidates, then exact distances in double, so that rounding in the
                // product does not decide which of two near-equal rows is kept.
                const std::size_t keep = std::min<std::size_t>(m, static_cast<std::size_t>(k) + 8);
                std::nth_element(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                    cand.begin() + static_cast<std::ptrdiff_t>(m));
                std::vector<std::pair<double, int>> exact(keep);
                for (std::size_t c = 0; c < keep; ++c) {
                    const int j = cand[c].second;
                    exact[c]
                        = { (x.row(i).cast<double>() - x.row(j).cast<double>()).squaredNorm(), j };
                }
                std::sort(exact.begin(), exact.end());
                for (int c = 0; c < k; ++c) {
                    index[static_cast<std::size_t>(i * k + c)]
                        = exact[static_cast<std::size_t>(c)].second;
                    sqdist[static_cast<std::size_t>(i * k + c)]
                        = exact[static_cast<std::size_t>(c)].first;
                }
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
    SparseP p;
    p.start.push_back(0);
    double total = 0;
    std::vector<double> vals;
    for (auto &r : rows) {
        std::sort(
            r.begin(), r.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        for (std::size_t m = 0; m < r.size(); ++m) {
            if (m > 0 && r[m].first == r[m - 1].first) {
                vals.back() += r[m].second;
            } else {
                p.col.push_back(r[m].first);
                vals.push_back(r[m].second);
            }
            total += r[m].second;
        }
        p.start.push_back(p.col.size());
    }
    total = std::max(total, MachineEpsilon);
    p.val.resize(vals.size());
    for (std::size_t m = 0; m < vals.size(); ++m)
        p.val[m] = static_cast<float>(vals[m] / total);
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
    };

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
    }

    // Repulsion on point p: sum over summarised cells of size * q and size * q^2 * (p - cell)
    // with q = (dof / (dof + d^2))^((dof + 1) / 2), as sklearn's compute_gradient_negative.
    double repulsion(const float *p, float squaredTheta, float dof, double *force) const
    {
        double sumQ = 0;
        double f[D] = {};
        int stack[64 * (1 << D)];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Node &c = m_nodes[static_cast<std::size_t>(stack[--top])];
            float delta[D];
            float dist2 = 0;
            bool duplicate = true;
            for (int a = 0; a < D; ++a) {
                delta[a] = p[a] - c.barycenter[a];
                dist2 += delta[a] * delta[a];
                duplicate = duplicate && std::fabs(delta[a]) <= DuplicateEpsilon;
            }
            const bool leaf = c.firstChild < 0;
            if (leaf && duplicate)
                continue; // no force on a point from itself
            if (leaf || c.squaredMaxWidth / dist2 < squaredTheta) {
                float q = dof / (dof + dist2);
                if (D == 3) // dof = 2: exponent 1.5
                    q = q * std::sqrt(q);
                sumQ += static_cast<double>(c.size) * q;
                const double mult = static_cast<double>(c.size) * q * q;
                for (int a = 0; a < D; ++a)
                    f[a] += mult * delta[a];
            } else {
                for (int k = c.children - 1; k >= 0; --k)
                    stack[top++] = c.firstChild + k;
            }
        }
        for (int a = 0; a < D; ++a)
            force[a] = f[a];
        return sumQ;
    }

    // The points, cell by cell (depth first): a permutation of 0..n-1.
    const std::vector<int> &order() const { return m_order; }

private:
    void buildNode(const RowMatrixXf &y, int node, int begin, int end, const float *lo,
        const float *hi, int depth)
    {
        Node c {};
        c.size = end - begin;
        c.firstChild = -1;
        c.children = 0;
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

    std::vector<Node> m_nodes;
    std::vector<int> m_order;
    std::vector<int> m_scratch; // (n) for the partition of a cell
    std::vector<unsigned char> m_code; // (n) each point's octant in the cell being split
};

// The Barnes-Hut gradient of KL(P || Q) (sklearn's _barnes_hut_tsne.gradient times
// 2 (dof + 1) / dof), and the error when asked for.
// y: (n, D), grad: (n, D)
template <int D>
double gradient(const SparseP &p, const RowMatrixXf &y, float exaggeration, float angle,
    bool computeError, int threads, SpaceTree<D> &tree, std::vector<double> &sumQ,
    std::vector<double> &errorParts, RowMatrixXf &grad)
{
    const std::size_t n = static_cast<std::size_t>(y.rows());
    const float dof = std::max(D - 1, 1);
    tree.build(y);
    sumQ.resize(n);
    errorParts.assign(n, 0);
    // Points in the tree's order: consecutive queries walk the same cells, which stay in cache.
    const std::vector<int> &order = tree.order();
    forChunks(n, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t m = b; m < e; ++m) {
            const std::size_t i = static_cast<std::size_t>(order[m]);
            double f[D];
            sumQ[i] = tree.repulsion(&y(static_cast<Eigen::Index>(i), 0), angle * angle, dof, f);
            for (int a = 0; a < D; ++a)
                grad(static_cast<Eigen::Index>(i), a) = static_cast<float>(f[a]);
        }
    });
    double totalQ = 0; // in row order: the same sum for every thread count
    for (double q : sumQ)
        totalQ += q;
    const double scale = 2.0 * (dof + 1) / dof;
    forChunks(n, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const Eigen::Index ii = static_cast<Eigen::Index>(i);
            double attract[D] = {};
            double err = 0;
            for (std::size_t m = p.start[i]; m < p.start[i + 1]; ++m) {
                const Eigen::Index j = p.col[m];
                float delta[D];
                float dist2 = 0;
                for (int a = 0; a < D; ++a) {
                    delta[a] = y(ii, a) - y(j, a);
                    dist2 += delta[a] * delta[a];
                }
                float q = dof / (dof + dist2);
                if (D == 3)
                    q = q * std::sqrt(q);
                const float pij = p.val[m] * exaggeration;
                const double w = static_cast<double>(pij) * q;
                for (int a = 0; a < D; ++a)
                    attract[a] += w * delta[a];
                if (computeError) {
                    const double qn = q / totalQ;
                    err += pij
                        * std::log(std::max(static_cast<double>(pij), double(Float32Tiny))
                            / std::max(qn, double(Float32Tiny)));
                }
            }
            for (int a = 0; a < D; ++a)
                grad(ii, a) = static_cast<float>(
                    scale * (attract[a] - static_cast<double>(grad(ii, a)) / totalQ));
            errorParts[i] = err;
        }
    });
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
                errorParts, grad);
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
    std::vector<int> index;
    std::vector<double> sqdist;
    nearestRows(x, k, options.threads, index, sqdist);
    const std::vector<double> c
        = conditionalP(sqdist, static_cast<std::size_t>(n), k, options.perplexity, options.threads);
    const SparseP p = symmetrise(index, c, static_cast<std::size_t>(n), k);

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
    return options.dims == 2 ? optimise<2>(p, std::move(start), options, fromInitial)
                             : optimise<3>(p, std::move(start), options, fromInitial);
}

} // namespace embedlab
