#include "core/umap.h"

#include "core/cpufeatures.h"
#include "core/error.h"
#include "core/exactknn.h"
#include "core/parallel.h"
#include "core/random.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>

namespace embedlab {

namespace {

constexpr double SmoothKTolerance = 1e-5; // umap_.py SMOOTH_K_TOLERANCE
constexpr double MinKDistScale = 1e-3; // umap_.py MIN_K_DIST_SCALE

using MatrixXdCol = Eigen::MatrixXd;

// One rule for splitting loops: at most `threads` chunks (core/parallel.h decides the rest).
void forChunks(std::size_t n, int threads, const std::function<void(std::size_t, std::size_t)> &fn)
{
    const std::size_t t = static_cast<std::size_t>(threads > 0 ? threads : threadCount());
    parallelFor(n, std::max<std::size_t>(1, (n + t - 1) / t), fn);
}

double gaussian(Rng &rng)
{
    double u = rng.uniform();
    while (u <= 0)
        u = rng.uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * rng.uniform());
}

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The graph as compressed rows: row i's neighbours are cols[start[i] .. start[i+1]).
struct Csr
{
    std::size_t n = 0;
    std::vector<std::size_t> start; // (n + 1)
    std::vector<int> cols;
    std::vector<double> weights;
};

Csr toCsr(const UmapGraph &g)
{
    Csr c;
    c.n = g.n;
    c.start.assign(g.n + 1, 0);
    for (int r : g.rows)
        ++c.start[static_cast<std::size_t>(r) + 1];
    for (std::size_t i = 0; i < g.n; ++i)
        c.start[i + 1] += c.start[i];
    c.cols = g.cols; // already sorted by row, then col
    c.weights.assign(g.weights.begin(), g.weights.end());
    return c;
}

// y = D^-1/2 W D^-1/2 x on one component. x, y: (m)
void normalizedProduct(const Csr &g, const std::vector<int> &local,
    const Eigen::VectorXd &invSqrtDeg, const std::vector<int> &members, const Eigen::VectorXd &x,
    Eigen::VectorXd &y)
{
    const Eigen::Index m = static_cast<Eigen::Index>(members.size());
    for (Eigen::Index a = 0; a < m; ++a) {
        const std::size_t i = static_cast<std::size_t>(members[static_cast<std::size_t>(a)]);
        double s = 0;
        for (std::size_t e = g.start[i]; e < g.start[i + 1]; ++e) {
            const int b = local[static_cast<std::size_t>(g.cols[e])];
            s += g.weights[e] * invSqrtDeg[b] * x[b];
        }
        y[a] = invSqrtDeg[a] * s;
    }
}

// The eigenvectors of the `dim` smallest nonzero eigenvalues of the normalised Laplacian
// L = I - D^-1/2 W D^-1/2 of one connected component, (m, dim), as umap-learn's spectral_layout
// asks eigsh for (which="SM", tol=1e-4). They are the largest eigenvectors of
// M = D^-1/2 W D^-1/2 orthogonal to its top one, sqrt(degree): Lanczos with full
// reorthogonalisation on M with that vector deflated, explicitly restarted from the sum of the
// wanted Ritz vectors. Small components are solved densely. Returns false when it does not
// converge (the caller then falls back to a random start, as umap-learn does on ArpackError).
bool spectralComponent(const Csr &g, const std::vector<int> &members, std::vector<int> &local,
    int dim, MatrixXdCol &out)
{
    const Eigen::Index m = static_cast<Eigen::Index>(members.size());
    for (Eigen::Index a = 0; a < m; ++a)
        local[static_cast<std::size_t>(members[static_cast<std::size_t>(a)])] = static_cast<int>(a);
    Eigen::VectorXd deg(m);
    for (Eigen::Index a = 0; a < m; ++a) {
        const std::size_t i = static_cast<std::size_t>(members[static_cast<std::size_t>(a)]);
        double s = 0;
        for (std::size_t e = g.start[i]; e < g.start[i + 1]; ++e)
            s += g.weights[e];
        deg[a] = s;
    }
    if ((deg.array() <= 0).any())
        return false;
    const Eigen::VectorXd invSqrtDeg = deg.array().rsqrt();
    Eigen::VectorXd top = deg.array().sqrt();
    top.normalize();

    if (m <= 400) {
        Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(m, m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const std::size_t i = static_cast<std::size_t>(members[static_cast<std::size_t>(a)]);
            for (std::size_t e = g.start[i]; e < g.start[i + 1]; ++e) {
                const int b = local[static_cast<std::size_t>(g.cols[e])];
                dense(a, b) = -g.weights[e] * invSqrtDeg[a] * invSqrtDeg[b];
            }
            dense(a, a) += 1.0;
        }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(dense);
        if (es.info() != Eigen::Success)
            return false;
        out = es.eigenvectors().middleCols(1, dim); // ascending eigenvalues, skip the 0
        return out.allFinite();
    }

    const int want = dim;
    const Eigen::Index steps = std::min<Eigen::Index>(m - 2,
        std::max<Eigen::Index>(
            { 2 * (dim + 1) + 1, static_cast<Eigen::Index>(std::sqrt(double(m))), 48 }));
    Eigen::VectorXd start = Eigen::VectorXd::Ones(m); // eigsh's v0 = ones
    MatrixXdCol q(m, steps + 1);
    Eigen::VectorXd w(m);
    for (int restart = 0; restart < 60; ++restart) {
        start -= top * top.dot(start);
        double norm = start.norm();
        if (!(norm > 1e-12)) {
            Rng rng(12345 + static_cast<std::uint64_t>(restart));
            for (Eigen::Index a = 0; a < m; ++a)
                start[a] = rng.uniform(-1, 1);
            start -= top * top.dot(start);
            norm = start.norm();
        }
        q.col(0) = start / norm;
        Eigen::VectorXd alpha(steps), beta(steps);
        Eigen::Index used = steps;
        bool invariant = false;
        for (Eigen::Index j = 0; j < steps; ++j) {
            normalizedProduct(g, local, invSqrtDeg, members, q.col(j), w);
            alpha[j] = q.col(j).dot(w);
            for (int pass = 0; pass < 2; ++pass) { // full reorthogonalisation, twice is enough
                w -= q.leftCols(j + 1) * (q.leftCols(j + 1).transpose() * w);
                w -= top * top.dot(w);
            }
            beta[j] = w.norm();
            if (!std::isfinite(beta[j]))
                return false;
            if (beta[j] < 1e-10) {
                used = j + 1;
                invariant = true;
                break;
            }
            q.col(j + 1) = w / beta[j];
        }
        if (used < want)
            return false;
        Eigen::MatrixXd t = Eigen::MatrixXd::Zero(used, used);
        for (Eigen::Index j = 0; j < used; ++j) {
            t(j, j) = alpha[j];
            if (j + 1 < used)
                t(j, j + 1) = t(j + 1, j) = beta[j];
        }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(t);
        if (es.info() != Eigen::Success)
            return false;
        // Ascending: the wanted ones are the last `want`, largest first.
        bool converged = true;
        for (int i = 0; i < want; ++i) {
            const Eigen::Index c = used - 1 - i;
            const double residual
                = invariant ? 0.0 : std::abs(beta[used - 1] * es.eigenvectors()(used - 1, c));
            if (residual > 1e-4)
                converged = false;
        }
        Eigen::MatrixXd ritz(m, want);
        for (int i = 0; i < want; ++i)
            ritz.col(i) = q.leftCols(used) * es.eigenvectors().col(used - 1 - i);
        if (!ritz.allFinite())
            return false;
        if (converged) {
            out = ritz;
            return true;
        }
        start = ritz.rowwise().sum();
    }
    return false;
}

// Connected components of the graph: label per vertex, returns the count.
int components(const Csr &g, std::vector<int> &label)
{
    label.assign(g.n, -1);
    int count = 0;
    std::vector<int> stack;
    for (std::size_t s = 0; s < g.n; ++s) {
        if (label[s] >= 0)
            continue;
        label[s] = count;
        stack.assign(1, static_cast<int>(s));
        while (!stack.empty()) {
            const std::size_t i = static_cast<std::size_t>(stack.back());
            stack.pop_back();
            for (std::size_t e = g.start[i]; e < g.start[i + 1]; ++e) {
                const int j = g.cols[e];
                if (label[static_cast<std::size_t>(j)] < 0) {
                    label[static_cast<std::size_t>(j)] = count;
                    stack.push_back(j);
                }
            }
        }
        ++count;
    }
    return count;
}

// umap-learn's spectral_layout, (n, dim); a graph of several components goes through
// multi_component_layout: each component's own spectral layout, scaled to half the distance to
// the nearest other component's place. The places are umap-learn's +-unit vectors for up to
// 2 dim components; for more, the first dim principal axes of the components' centroids in the
// data (umap-learn embeds the centroids spectrally instead). Returns false when an eigensolve
// fails.
bool spectralLayout(const Csr &g, const RowMatrixXf &x, int dim, Rng &rng, RowMatrixXf &out)
{
    std::vector<int> label;
    const int nc = components(g, label);
    std::vector<std::vector<int>> members(static_cast<std::size_t>(nc));
    for (std::size_t i = 0; i < g.n; ++i)
        members[static_cast<std::size_t>(label[i])].push_back(static_cast<int>(i));
    std::vector<int> local(g.n, -1);
    out.resize(static_cast<Eigen::Index>(g.n), dim);
    if (nc == 1) {
        MatrixXdCol v;
        if (!spectralComponent(g, members[0], local, dim, v))
            return false;
        out = v.cast<float>();
        return true;
    }

    Eigen::MatrixXd meta(nc, dim); // (components, dim)
    if (nc <= 2 * dim) {
        const int k = (nc + 1) / 2;
        meta.setZero();
        for (int c = 0; c < nc; ++c)
            meta(c, c % k) = c < k ? 1.0 : -1.0;
    } else {
        Eigen::MatrixXd centroids = Eigen::MatrixXd::Zero(nc, x.cols()); // (components, dim_x)
        for (int c = 0; c < nc; ++c) {
            for (int i : members[static_cast<std::size_t>(c)])
                centroids.row(c) += x.row(i).cast<double>();
            centroids.row(c) /= static_cast<double>(members[static_cast<std::size_t>(c)].size());
        }
        centroids.rowwise() -= centroids.colwise().mean();
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(centroids.transpose() * centroids);
        const Eigen::Index d = centroids.cols();
        meta.setZero();
        for (int j = 0; j < dim && j < d; ++j)
            meta.col(j) = centroids * es.eigenvectors().col(d - 1 - j);
        const double scale = meta.cwiseAbs().maxCoeff();
        if (scale > 0)
            meta /= scale;
        for (int c = 0; c < nc; ++c) // centroids that coincide on the axes still need a place
            meta(c, 0) += 1e-3 * c;
    }
    for (int c = 0; c < nc; ++c) {
        double range = std::numeric_limits<double>::infinity();
        for (int o = 0; o < nc; ++o) {
            const double d = (meta.row(c) - meta.row(o)).norm();
            if (d > 0)
                range = std::min(range, d);
        }
        range /= 2.0;
        const std::vector<int> &mem = members[static_cast<std::size_t>(c)];
        const Eigen::Index m = static_cast<Eigen::Index>(mem.size());
        MatrixXdCol v;
        if (m < 2 * dim || m <= dim + 1) {
            v.resize(m, dim);
            for (Eigen::Index a = 0; a < m; ++a)
                for (int d = 0; d < dim; ++d)
                    v(a, d) = rng.uniform(-range, range);
        } else {
            if (!spectralComponent(g, mem, local, dim, v))
                return false;
            const double maxAbs = v.cwiseAbs().maxCoeff();
            v *= maxAbs > 0 ? range / maxAbs : 0.0;
        }
        for (Eigen::Index a = 0; a < m; ++a)
            out.row(mem[static_cast<std::size_t>(a)]) = (v.row(a) + meta.row(c)).cast<float>();
    }
    return true;
}

// The SGD's moves, Lanes points at a time. Each point meets its ops in order (~k: an attraction to
// k; k: a negative sample of k), one dependent step after another, so one point alone leaves the
// CPU waiting; Lanes points go side by side instead, one op of each per round, in loops over the
// lanes that vectorise. A point's arithmetic is the same whatever the lanes hold, and the same at
// any vector width (no FMA contraction in ISO C++ mode).
constexpr int Lanes = 8;
using LaneF = float __attribute__((vector_size(Lanes * sizeof(float))));
using LaneI = std::int32_t __attribute__((vector_size(Lanes * sizeof(std::int32_t))));
using LaneD = double __attribute__((vector_size(Lanes * sizeof(double))));
using LaneL = std::int64_t __attribute__((vector_size(Lanes * sizeof(std::int64_t))));

struct UmapStep
{
    double a, b, gamma;
};

// x^b for x > 0 in float, from Cephes' logf and expf (relative error about 3e-7), lane-wise: the
// SGD's only transcendental.
inline __attribute__((always_inline)) void powLanes(const LaneF &x, float b, LaneF &out)
{
    // x = m 2^e with m in [sqrt(1/2), sqrt(2)).
    const LaneI bits = reinterpret_cast<const LaneI &>(x);
    LaneI e = ((bits >> 23) & 0xff) - 126;
    const LaneI mb = (bits & 0x007fffff) | 0x3f000000; // m / 2 in [0.5, 1)
    LaneF m = reinterpret_cast<const LaneF &>(mb);
    const LaneI low = m < 0.707106781186547524f;
    e = low ? e - 1 : e;
    const LaneF f = (low ? m + m : m) - 1.0f;
    const LaneF z = f * f;
    LaneF y = f * 7.0376836292e-2f - 1.1514610310e-1f;
    y = y * f + 1.1676998740e-1f;
    y = y * f - 1.2420140846e-1f;
    y = y * f + 1.4249322787e-1f;
    y = y * f - 1.6668057665e-1f;
    y = y * f + 2.0000714765e-1f;
    y = y * f - 2.4999993993e-1f;
    y = y * f + 3.3333331174e-1f;
    y = y * f * z;
    const LaneF fe = __builtin_convertvector(e, LaneF);
    y = y + fe * -2.12194440e-4f;
    y = y - z * 0.5f;
    const LaneF ln = (f + y) + fe * 0.693359375f;
    // e^(b ln x) = 2^n e^r, |r| <= ln 2 / 2.
    LaneF v = ln * b;
    v = v > -87.0f ? v : -87.0f;
    v = v < 88.0f ? v : 88.0f;
    const LaneF half = v >= 0.0f ? LaneF {} + 0.5f : LaneF {} - 0.5f;
    const LaneI n = __builtin_convertvector(v * 1.44269504088896341f + half, LaneI);
    const LaneF fx = __builtin_convertvector(n, LaneF);
    const LaneF r = (v - fx * 0.693359375f) - fx * -2.12194440e-4f;
    LaneF p = r * 1.9875691500e-4f + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const LaneI scaleBits = (n + 127) << 23;
    out = p * reinterpret_cast<const LaneF &>(scaleBits);
}

// One round: every lane's point takes one step of optimize_layout_euclidean, towards `other`
// where attract is set, else away from it. Both coefficients are computed and the step is
// chosen lane by lane, as which one applies differs from lane to lane.
template <int D>
inline __attribute__((always_inline)) void stepLanes(
    const UmapStep &s, double alpha, LaneD *cur, const LaneD *other, const LaneL &attract)
{
    LaneD diff[D];
    LaneD d2 = LaneD {};
    for (int d = 0; d < D; ++d) {
        diff[d] = cur[d] - other[d];
        d2 += diff[d] * diff[d];
    }
    LaneF d2f = __builtin_convertvector(d2, LaneF);
    const float tiny = std::numeric_limits<float>::min();
    d2f = d2f > tiny ? d2f : LaneF {} + tiny;
    LaneF pbf;
    powLanes(d2f, static_cast<float>(s.b), pbf);
    const LaneD pb = __builtin_convertvector(pbf, LaneD); // d2^b; d2^(b-1) = pb / d2
    const LaneL moved = d2 > 0.0;
    const LaneD safeD2 = moved ? d2 : LaneD {} + 1.0;
    const LaneD attraction = (pb / safeD2) * (-2.0 * s.a * s.b) / (pb * s.a + 1.0);
    const LaneD repulsion = (2.0 * s.gamma * s.b) / ((d2 + 0.001) * (pb * s.a + 1.0));
    const LaneL repelled = moved & (repulsion > 0.0);
    for (int d = 0; d < D; ++d) {
        LaneD toward = attraction * diff[d];
        toward = toward < 4.0 ? toward : LaneD {} + 4.0;
        toward = toward > -4.0 ? toward : LaneD {} - 4.0;
        LaneD away = repulsion * diff[d];
        away = away < 4.0 ? away : LaneD {} + 4.0;
        away = away > -4.0 ? away : LaneD {} - 4.0;
        toward = moved ? toward : LaneD {};
        away = repelled ? away : LaneD {} + 4.0;
        cur[d] += (attract ? toward : away) * alpha;
    }
}

// The moves of points members[0 .. count): point members[m] meets ops[start[m] .. start[m + 1])
// in order, and its new position replaces its old one in pos. An attraction (op ~k) is towards
// k's position in pos, a negative sample (op k) away from k's position in snap (the epoch's
// start). No two of the members share an edge, so while they move, the points they are attracted
// to stand still.
template <int D>
inline __attribute__((always_inline)) void moveBlockBody(const UmapStep &step, double alpha,
    float *pos, const float *snap, const std::int32_t *members, std::size_t count,
    const std::int32_t *ops, const std::size_t *start)
{
    LaneD cur[D], other[D];
    LaneL attract;
    const std::int32_t *at[Lanes], *end[Lanes];
    std::size_t who[Lanes];
    bool busy[Lanes];
    static const std::int32_t idle = ~0; // what an idle lane steps on; its result is dropped
    std::size_t taken = 0;
    int busyLanes = 0;
    for (int l = 0; l < Lanes; ++l) {
        busy[l] = false;
        at[l] = end[l] = &idle;
        who[l] = static_cast<std::size_t>(members[0]);
    }
    for (int d = 0; d < D; ++d)
        cur[d] = LaneD {};
    for (;;) {
        for (int l = 0; l < Lanes; ++l) {
            if (at[l] != end[l])
                continue;
            if (busy[l]) {
                for (int d = 0; d < D; ++d)
                    pos[who[l] * D + d] = static_cast<float>(cur[d][l]);
                busy[l] = false;
                --busyLanes;
            }
            while (taken < count && start[taken] == start[taken + 1])
                ++taken; // nothing to meet: the point stays
            if (taken < count) {
                who[l] = static_cast<std::size_t>(members[taken]);
                at[l] = ops + start[taken];
                end[l] = ops + start[taken + 1];
                for (int d = 0; d < D; ++d)
                    cur[d][l] = pos[who[l] * D + d];
                busy[l] = true;
                ++busyLanes;
                ++taken;
            } else {
                at[l] = &idle;
                end[l] = &idle + 1;
            }
        }
        if (busyLanes == 0)
            return;
        for (int l = 0; l < Lanes; ++l) {
            const std::int32_t op = *at[l];
            at[l] = busy[l] ? at[l] + 1 : at[l];
            attract[l] = op < 0 ? -1 : 0;
            const std::size_t o = busy[l] ? static_cast<std::size_t>(op < 0 ? ~op : op) : who[l];
            const float *from = op < 0 ? pos : snap;
            for (int d = 0; d < D; ++d)
                other[d][l] = from[o * D + d];
        }
        stepLanes<D>(step, alpha, cur, other, attract);
    }
}

template <int D>
void moveBlockPortable(const UmapStep &step, double alpha, float *pos, const float *snap,
    const std::int32_t *members, std::size_t count, const std::int32_t *ops,
    const std::size_t *start)
{
    moveBlockBody<D>(step, alpha, pos, snap, members, count, ops, start);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
template <int D>
__attribute__((target("avx2"))) void moveBlockAvx2(const UmapStep &step, double alpha, float *pos,
    const float *snap, const std::int32_t *members, std::size_t count, const std::int32_t *ops,
    const std::size_t *start)
{
    moveBlockBody<D>(step, alpha, pos, snap, members, count, ops, start);
}

// The same lanes in one 512-bit register each (eight doubles): half the instructions.
template <int D>
__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw"))) void moveBlockAvx512(
    const UmapStep &step, double alpha, float *pos, const float *snap, const std::int32_t *members,
    std::size_t count, const std::int32_t *ops, const std::size_t *start)
{
    moveBlockBody<D>(step, alpha, pos, snap, members, count, ops, start);
}
#endif

// The widest vectors the CPU has: AVX-512, else AVX2, else portable code. EMBEDLAB_NO_AVX512
// turns AVX-512 off and EMBEDLAB_NO_AVX2 both (to test the other paths); the moves are the same
// on every path.
enum class Isa { Portable, Avx2, Avx512 };

Isa moveIsa()
{
    return useAvx512() ? Isa::Avx512 : useAvx2() ? Isa::Avx2 : Isa::Portable;
}

template <int D>
void moveBlock(Isa isa, const UmapStep &step, double alpha, float *pos, const float *snap,
    const std::int32_t *members, std::size_t count, const std::int32_t *ops,
    const std::size_t *start)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (isa == Isa::Avx512) {
        moveBlockAvx512<D>(step, alpha, pos, snap, members, count, ops, start);
        return;
    }
    if (isa == Isa::Avx2) {
        moveBlockAvx2<D>(step, alpha, pos, snap, members, count, ops, start);
        return;
    }
#endif
    (void)isa;
    moveBlockPortable<D>(step, alpha, pos, snap, members, count, ops, start);
}

void moveBlock(int dim, Isa isa, const UmapStep &step, double alpha, float *pos, const float *snap,
    const std::int32_t *members, std::size_t count, const std::int32_t *ops,
    const std::size_t *start)
{
    if (dim == 1)
        moveBlock<1>(isa, step, alpha, pos, snap, members, count, ops, start);
    else if (dim == 2)
        moveBlock<2>(isa, step, alpha, pos, snap, members, count, ops, start);
    else
        moveBlock<3>(isa, step, alpha, pos, snap, members, count, ops, start);
}

} // namespace

void findAbParams(float spread, float minDist, float &aOut, float &bOut)
{
    if (!(spread > 0) || !(minDist >= 0) || minDist > spread)
        throw Error("UMAP: min_dist must be in [0, spread] and spread positive");
    // xv = linspace(0, 3 spread, 300); yv = 1 below min_dist, exp(-(x - min_dist) / spread) above.
    const int n = 300;
    Eigen::VectorXd xv(n), yv(n);
    for (int i = 0; i < n; ++i) {
        xv[i] = 3.0 * spread * i / (n - 1);
        yv[i] = xv[i] < minDist ? 1.0 : std::exp(-(xv[i] - minDist) / spread);
    }
    auto residuals = [&](double a, double b, Eigen::VectorXd &r, Eigen::MatrixXd *jac) {
        for (int i = 0; i < n; ++i) {
            const double x = xv[i];
            const double p = x > 0 ? std::pow(x, 2 * b) : 0.0; // x^(2b)
            const double den = 1 + a * p;
            r[i] = 1 / den - yv[i];
            if (jac) {
                (*jac)(i, 0) = -p / (den * den);
                (*jac)(i, 1) = x > 0 ? -a * p * 2 * std::log(x) / (den * den) : 0.0;
            }
        }
    };
    // Levenberg-Marquardt from (1, 1), scipy's curve_fit start.
    double a = 1, b = 1, lambda = 1e-3;
    Eigen::VectorXd r(n), rTry(n);
    Eigen::MatrixXd jac(n, 2);
    residuals(a, b, r, &jac);
    double cost = r.squaredNorm();
    for (int it = 0; it < 500; ++it) {
        const Eigen::Matrix2d jtj = jac.transpose() * jac;
        const Eigen::Vector2d g = jac.transpose() * r;
        bool improved = false;
        for (int tries = 0; tries < 30 && !improved; ++tries) {
            Eigen::Matrix2d h = jtj;
            h.diagonal() *= 1 + lambda;
            const Eigen::Vector2d step = h.ldlt().solve(-g);
            const double aTry = a + step[0], bTry = b + step[1];
            residuals(aTry, bTry, rTry, nullptr);
            const double c = rTry.squaredNorm();
            if (std::isfinite(c) && c <= cost) {
                const double change = step.norm() / (1e-12 + std::hypot(a, b));
                a = aTry;
                b = bTry;
                const double drop = cost - c;
                cost = c;
                lambda = std::max(lambda / 10, 1e-12);
                improved = true;
                if (change < 1e-12 || drop < 1e-16 * std::max(cost, 1e-30)) {
                    aOut = static_cast<float>(a);
                    bOut = static_cast<float>(b);
                    return;
                }
            } else {
                lambda *= 10;
            }
        }
        if (!improved)
            break;
        residuals(a, b, r, &jac);
    }
    aOut = static_cast<float>(a);
    bOut = static_cast<float>(b);
}

void exactCosineKnn(const Eigen::Ref<const RowMatrixXf> &x, int k, std::vector<int> &indices,
    std::vector<float> &distances)
{
    const Eigen::Index n = x.rows();
    if (k < 1 || k > n)
        throw Error("UMAP: n_neighbors must be between 1 and the number of rows");
    // Unit rows; a zero row (or one with NaN) stays zero, at cosine distance 1 from everything.
    RowMatrixXf u = x;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double norm = u.row(i).cast<double>().norm();
        if (norm > 0 && std::isfinite(norm))
            u.row(i) /= static_cast<float>(norm);
        else
            u.row(i).setZero();
    }
    indices.assign(static_cast<std::size_t>(n * k), -1);
    distances.assign(static_cast<std::size_t>(n * k), 0.0f);
    // The k - 1 most similar other rows (larger similarity first, then smaller row): the smallest
    // (-similarity, row), from one product per pair of row blocks (core/exactknn.h).
    const std::size_t keep = static_cast<std::size_t>(k - 1);
    const std::vector<std::pair<float, int>> best
        = smallestByProduct(u, Eigen::VectorXf::Zero(n), -1.0f, keep, 0);
    forChunks(static_cast<std::size_t>(n), 0, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const auto first = best.begin() + static_cast<std::ptrdiff_t>(i * keep);
            const std::size_t o = i * static_cast<std::size_t>(k);
            indices[o] = static_cast<int>(i);
            distances[o] = 0.0f;
            for (std::size_t p = 0; p < keep; ++p) {
                indices[o + 1 + p] = first[static_cast<std::ptrdiff_t>(p)].second;
                distances[o + 1 + p]
                    = std::max(0.0f, 1.0f + first[static_cast<std::ptrdiff_t>(p)].first);
            }
        }
    });
}

void smoothKnnDist(const std::vector<float> &distances, std::size_t n, int k,
    float localConnectivity, std::vector<float> &sigmas, std::vector<float> &rhos)
{
    const double target = std::log2(static_cast<double>(k)); // bandwidth 1
    sigmas.assign(n, 0.0f);
    rhos.assign(n, 0.0f);
    double meanAll = 0;
    for (float d : distances)
        meanAll += d;
    meanAll /= std::max<std::size_t>(1, distances.size());
    std::vector<float> nonZero;
    for (std::size_t i = 0; i < n; ++i) {
        const float *row = distances.data() + i * static_cast<std::size_t>(k);
        nonZero.clear();
        for (int j = 0; j < k; ++j)
            if (row[j] > 0)
                nonZero.push_back(row[j]);
        double rho = 0;
        if (static_cast<double>(nonZero.size()) >= localConnectivity) {
            const int index = static_cast<int>(std::floor(localConnectivity));
            const double interpolation = localConnectivity - index;
            if (index > 0) {
                rho = nonZero[static_cast<std::size_t>(index - 1)];
                if (interpolation > SmoothKTolerance)
                    rho += interpolation
                        * (nonZero[static_cast<std::size_t>(index)]
                            - nonZero[static_cast<std::size_t>(index - 1)]);
            } else {
                rho = interpolation * nonZero[0];
            }
        } else if (!nonZero.empty()) {
            rho = *std::max_element(nonZero.begin(), nonZero.end());
        }
        rhos[i] = static_cast<float>(rho);
        const double rhoF = rhos[i]; // umap-learn keeps rho as float32
        double lo = 0, hi = std::numeric_limits<double>::infinity(), mid = 1;
        for (int it = 0; it < 64; ++it) {
            double psum = 0;
            for (int j = 1; j < k; ++j) {
                const double d = row[j] - rhoF;
                psum += d > 0 ? std::exp(-(d / mid)) : 1.0;
            }
            if (std::fabs(psum - target) < SmoothKTolerance)
                break;
            if (psum > target) {
                hi = mid;
                mid = (lo + hi) / 2;
            } else {
                lo = mid;
                mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }
        double sigma = mid;
        if (rho > 0) {
            double meanRow = 0;
            for (int j = 0; j < k; ++j)
                meanRow += row[j];
            meanRow /= k;
            sigma = std::max(sigma, MinKDistScale * meanRow);
        } else {
            sigma = std::max(sigma, MinKDistScale * meanAll);
        }
        sigmas[i] = static_cast<float>(sigma);
    }
}

UmapGraph fuzzySimplicialSet(const std::vector<int> &indices, const std::vector<float> &distances,
    std::size_t n, int k, float setOpMixRatio, float localConnectivity)
{
    std::vector<float> sigmas, rhos;
    smoothKnnDist(distances, n, k, localConnectivity, sigmas, rhos);
    // R: (n, n), row i holds its k memberships, sorted by column for lookups.
    struct Entry
    {
        int col;
        float val;
    };
    std::vector<std::vector<Entry>> r(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (int j = 0; j < k; ++j) {
            const std::size_t o = i * static_cast<std::size_t>(k) + static_cast<std::size_t>(j);
            const int c = indices[o];
            if (c < 0 || static_cast<std::size_t>(c) == i)
                continue; // -1: no neighbour; the point itself has membership 0
            const double d = static_cast<double>(distances[o]) - rhos[i];
            const float val = (d <= 0 || sigmas[i] == 0)
                ? 1.0f
                : static_cast<float>(std::exp(-(d / static_cast<double>(sigmas[i]))));
            if (val != 0)
                r[i].push_back({ c, val });
        }
        std::sort(
            r[i].begin(), r[i].end(), [](const Entry &a, const Entry &b) { return a.col < b.col; });
    }
    auto lookup = [&](std::size_t i, int c) -> float {
        auto it = std::lower_bound(
            r[i].begin(), r[i].end(), c, [](const Entry &e, int col) { return e.col < col; });
        return it != r[i].end() && it->col == c ? it->val : 0.0f;
    };
    struct Triple
    {
        int row, col;
        float val;
    };
    std::vector<Triple> out;
    auto combine = [&](float a, float b) {
        const float prod = a * b;
        return setOpMixRatio * (a + b - prod) + (1.0f - setOpMixRatio) * prod;
    };
    for (std::size_t i = 0; i < n; ++i) {
        for (const Entry &e : r[i]) {
            const float t = lookup(static_cast<std::size_t>(e.col), static_cast<int>(i));
            const float v = combine(e.val, t);
            if (v == 0)
                continue;
            out.push_back({ static_cast<int>(i), e.col, v });
            if (t == 0) // (col, i) is not in R: the transpose holds it alone
                out.push_back({ e.col, static_cast<int>(i), combine(t, e.val) });
        }
    }
    std::sort(out.begin(), out.end(), [](const Triple &a, const Triple &b) {
        return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    UmapGraph g;
    g.n = n;
    for (const Triple &t : out) {
        if (t.val == 0)
            continue;
        g.rows.push_back(t.row);
        g.cols.push_back(t.col);
        g.weights.push_back(t.val);
    }
    return g;
}

UmapResult umap(const WordVectors &table, const UmapOptions &o, std::size_t rows)
{
    const std::size_t n = rows == 0 ? table.size() : std::min(rows, table.size());
    if (n < 2)
        throw Error("UMAP needs at least 2 rows");
    if (o.dims < 1 || o.dims > 3)
        throw Error("UMAP: dims must be 2 or 3 (or 1)");
    if (o.nNeighbors < 2)
        throw Error("UMAP: n_neighbors must be at least 2");
    if (o.negativeSampleRate < 0 || !(o.learningRate > 0) || o.epochs < 0)
        throw Error("UMAP: bad learning rate, epochs or negative sample rate");
    if (!table.vectors().topRows(static_cast<Eigen::Index>(n)).allFinite())
        throw Error("UMAP: the rows hold NaN or infinity");
    const int dim = o.dims;
    const bool fromInitial = o.initial.rows() > 0;
    if (fromInitial
        && (o.initial.rows() != static_cast<Eigen::Index>(n) || o.initial.cols() != dim))
        throw Error("UMAP: initial positions must be (rows, dims) = (" + std::to_string(n) + ", "
            + std::to_string(dim) + ")");

    UmapResult result;
    findAbParams(o.spread, o.minDist, result.a, result.b);
    const double a = result.a, b = result.b;

    // Neighbours and the fuzzy graph.
    const int k = std::min<int>(o.nNeighbors, static_cast<int>(n));
    using Clock = std::chrono::steady_clock;
    const auto since = [](Clock::time_point t) {
        return std::chrono::duration<double>(Clock::now() - t).count();
    };
    auto t0 = Clock::now();
    std::vector<int> knnIdx;
    std::vector<float> knnDist;
    exactCosineKnn(table.vectors().topRows(static_cast<Eigen::Index>(n)), k, knnIdx, knnDist);
    result.neighboursSeconds = since(t0);
    t0 = Clock::now();
    UmapGraph graph
        = fuzzySimplicialSet(knnIdx, knnDist, n, k, o.setOpMixRatio, o.localConnectivity);

    const int defaultEpochs = n <= 10000 ? 500 : 200;
    const int nEpochs = fromInitial && o.initialEpochs > 0
        ? o.initialEpochs
        : (o.epochs > 0 ? o.epochs : defaultEpochs);
    {
        // Drop the edges too weak to be sampled once in the run.
        float maxW = 0;
        for (float w : graph.weights)
            maxW = std::max(maxW, w);
        const float cut = maxW / static_cast<float>(nEpochs > 10 ? nEpochs : defaultEpochs);
        UmapGraph kept;
        kept.n = n;
        for (std::size_t e = 0; e < graph.weights.size(); ++e) {
            if (graph.weights[e] < cut)
                continue;
            kept.rows.push_back(graph.rows[e]);
            kept.cols.push_back(graph.cols[e]);
            kept.weights.push_back(graph.weights[e]);
        }
        graph = std::move(kept);
    }
    const Csr csr = toCsr(graph);
    result.graphSeconds = since(t0);
    t0 = Clock::now();

    Rng rng(o.seed);
    RowMatrixXf emb; // (n, dim)
    if (fromInitial) {
        emb = o.initial;
    } else {
        result.spectralInit = spectralLayout(
            csr, table.vectors().topRows(static_cast<Eigen::Index>(n)), dim, rng, emb);
        if (!result.spectralInit) {
            emb.resize(static_cast<Eigen::Index>(n), dim);
            for (Eigen::Index i = 0; i < emb.size(); ++i)
                emb.data()[i] = static_cast<float>(rng.uniform(-10, 10));
        }
        const float maxAbs = emb.cwiseAbs().maxCoeff();
        emb *= maxAbs > 0 ? 10.0f / maxAbs : 1.0f;
        for (Eigen::Index i = 0; i < emb.size(); ++i)
            emb.data()[i] += static_cast<float>(1e-4 * gaussian(rng));
        // Every column to [0, 10].
        for (int d = 0; d < dim; ++d) {
            const float lo = emb.col(d).minCoeff(), hi = emb.col(d).maxCoeff();
            emb.col(d) = (emb.col(d).array() - lo) * (hi > lo ? 10.0f / (hi - lo) : 0.0f);
        }
    }

    result.startSeconds = since(t0);
    t0 = Clock::now();

    // The SGD of optimize_layout_euclidean, one epoch at a time. umap-learn moves both ends of an
    // edge in place, one edge after another (Hogwild across threads), so that an attraction pulls
    // towards where the other end is now. Here every point moves itself, and the points go in
    // classes of a colouring of the graph, one class after another: no two points of a class share
    // an edge, so a class's points move side by side (on any number of threads) towards their
    // neighbours' current positions, those of the classes before them already moved this epoch.
    // Moving every point from the positions at the epoch's start instead loses about 0.01 of
    // trustworthiness@10 on GloVe 20k. The negative samples repel from the positions at the
    // epoch's start. As the graph is symmetric, edge (j, k) and its twin (k, j) fire in the same
    // epochs; j takes the attractive step of each (as head of one and as the moved tail of the
    // other), then the negative samples of its own edge. A point's negative samples come from
    // its own stream, seeded by (seed, epoch, point). So a map depends on the seed only.
    const double initialAlpha
        = fromInitial && o.initialEpochs > 0 ? o.initialLearningRate : o.learningRate;
    double alpha = initialAlpha;
    std::vector<std::int32_t> byClass; // the points, class by class, each class in index order
    std::vector<std::size_t> classStart; // class c is byClass[classStart[c] .. classStart[c + 1])
    {
        // Greedy colouring in index order: each point takes the first colour none of its earlier
        // neighbours has.
        std::vector<int> colour(n, 0);
        std::vector<std::size_t> seenBy; // seenBy[c] == i + 1: colour c is taken near point i
        int colours = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t e = csr.start[i]; e < csr.start[i + 1]; ++e) {
                const std::size_t j = static_cast<std::size_t>(csr.cols[e]);
                if (j < i)
                    seenBy[static_cast<std::size_t>(colour[j])] = i + 1;
            }
            int c = 0;
            while (c < colours && seenBy[static_cast<std::size_t>(c)] == i + 1)
                ++c;
            if (c == colours) {
                ++colours;
                seenBy.push_back(0);
            }
            colour[i] = c;
        }
        classStart.assign(static_cast<std::size_t>(colours) + 1, 0);
        for (std::size_t i = 0; i < n; ++i)
            ++classStart[static_cast<std::size_t>(colour[i]) + 1];
        for (std::size_t c = 0; c < static_cast<std::size_t>(colours); ++c)
            classStart[c + 1] += classStart[c];
        byClass.resize(n);
        std::vector<std::size_t> fill(classStart.begin(), classStart.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            byClass[fill[static_cast<std::size_t>(colour[i])]++] = static_cast<std::int32_t>(i);
    }
    // make_epochs_per_sample, and each edge's schedule (layouts.py), the edges stored in the order
    // the points move: point byClass[m]'s are [edgeStart[m], edgeStart[m + 1]).
    const std::size_t edges = csr.cols.size();
    double maxW = 0;
    for (double w : csr.weights)
        maxW = std::max(maxW, w);
    std::vector<std::size_t> edgeStart(n + 1, 0);
    std::vector<int> edgeCol;
    std::vector<double> epochsPerSample, nextSample, perNegative, nextNegative;
    edgeCol.reserve(edges);
    epochsPerSample.reserve(edges);
    perNegative.reserve(edges);
    for (std::size_t m = 0; m < n; ++m) {
        const std::size_t j = static_cast<std::size_t>(byClass[m]);
        for (std::size_t e = csr.start[j]; e < csr.start[j + 1]; ++e) {
            const double samples = nEpochs * (csr.weights[e] / maxW);
            const double perSample = samples > 0 ? nEpochs / samples : -1.0;
            edgeCol.push_back(csr.cols[e]);
            epochsPerSample.push_back(perSample);
            perNegative.push_back(perSample / o.negativeSampleRate);
        }
        edgeStart[m + 1] = edgeCol.size();
    }
    nextSample = epochsPerSample;
    nextNegative = perNegative;
    RowMatrixXf snap = emb; // (n, dim): the positions at the epoch's start
    const std::uint64_t streamBase = mix(o.seed ^ 0x5bd1e995ULL);
    const UmapStep step { a, b, o.repulsionStrength };
    const Isa isa = moveIsa();
    const std::size_t threadsUsed
        = static_cast<std::size_t>(o.threads > 0 ? o.threads : threadCount());
    // What points byClass[first .. last) meet in epoch `epoch`, in order: each sampled edge twice
    // (once as the head of (j, k), once as the tail of (k, j)), then that edge's negative samples.
    // It does not depend on the positions. Point m's ops are ops[opStart[m - first] ..
    // opStart[m - first + 1]).
    const std::uint64_t points = static_cast<std::uint64_t>(n);
    const auto schedule = [&](std::size_t first, std::size_t last, int epoch,
                              std::vector<std::int32_t> &ops, std::vector<std::size_t> &opStart) {
        const double ep = epoch;
        opStart.clear();
        std::size_t used = 0;
        Rng stream; // point j's stream, seeded by (seed, epoch, j) when it first draws
        for (std::size_t m = first; m < last; ++m) {
            const std::size_t j = static_cast<std::size_t>(byClass[m]);
            opStart.push_back(used);
            bool seeded = false;
            for (std::size_t e = edgeStart[m]; e < edgeStart[m + 1]; ++e) {
                if (nextSample[e] > ep)
                    continue;
                const int negatives = static_cast<int>((ep - nextNegative[e]) / perNegative[e]);
                const std::size_t most
                    = used + 2 + static_cast<std::size_t>(std::max(negatives, 0));
                if (ops.size() < most)
                    ops.resize(2 * most);
                std::int32_t *out = ops.data() + used;
                out[0] = out[1] = ~edgeCol[e];
                out += 2;
                nextSample[e] += epochsPerSample[e];
                if (negatives > 0 && !seeded) {
                    stream.reseed(mix(streamBase
                        + mix(static_cast<std::uint64_t>(epoch) * 0x100000001b3ULL + j)));
                    seeded = true;
                }
                for (int q = 0; q < negatives; ++q) {
                    const std::size_t s
                        = static_cast<std::size_t>(((stream.next() >> 32) * points) >> 32);
                    if (s != j)
                        *out++ = static_cast<std::int32_t>(s);
                }
                used = static_cast<std::size_t>(out - ops.data());
                nextNegative[e] += negatives * perNegative[e];
            }
        }
        opStart.push_back(used);
    };
    int epoch = 0;
    for (; epoch < nEpochs; ++epoch) {
        snap = emb;
        for (std::size_t c = 0; c + 1 < classStart.size(); ++c) {
            const std::size_t size = classStart[c + 1] - classStart[c];
            // A block of points at a time: what each meets this epoch, then the moves, several
            // points interleaved. At least one block per chunk: a small class stays on this
            // thread.
            constexpr std::size_t Block = 256;
            parallelFor(size, std::max<std::size_t>(Block, (size + threadsUsed - 1) / threadsUsed),
                [&](std::size_t i0, std::size_t i1) {
                    std::vector<std::int32_t> ops;
                    std::vector<std::size_t> opStart;
                    for (std::size_t b0 = classStart[c] + i0; b0 < classStart[c] + i1;
                         b0 += Block) {
                        const std::size_t b1 = std::min(classStart[c] + i1, b0 + Block);
                        schedule(b0, b1, epoch, ops, opStart);
                        moveBlock(dim, isa, step, alpha, emb.data(), snap.data(),
                            byClass.data() + b0, b1 - b0, ops.data(), opStart.data());
                    }
                });
        }
        alpha = initialAlpha * (1.0 - static_cast<double>(epoch) / nEpochs);
        const bool last = epoch + 1 == nEpochs;
        if (o.progress && (last || (o.progressEvery > 0 && (epoch + 1) % o.progressEvery == 0))) {
            if (!o.progress(
                    static_cast<std::size_t>(epoch + 1), static_cast<std::size_t>(nEpochs), emb)) {
                result.cancelled = !last;
                ++epoch;
                break;
            }
        }
    }
    result.epochs = epoch;
    result.sgdSeconds = since(t0);
    result.coords = std::move(emb);
    return result;
}

} // namespace embedlab
