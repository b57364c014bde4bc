#include "core/pca.h"

#include "core/error.h"
#include "core/parallel.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

namespace embedlab {

namespace {

// Rows per block: a centred float copy of one block (BlockRows, dim) stays in L2 for its product.
constexpr std::size_t BlockRows = 1024;

// out = x.middleRows(start, rows) - shift, as plain loops over contiguous rows (vectorised).
// x: (n, dim); shift: (dim); out: (>= rows, dim)
void centredBlock(const RowMatrixXf &x, std::size_t start, std::size_t rows,
    const Eigen::RowVectorXf &shift, RowMatrixXf &out)
{
    const std::size_t dim = static_cast<std::size_t>(x.cols());
    const float *s = shift.data();
    for (std::size_t r = 0; r < rows; ++r) {
        const float *in = x.data() + (start + r) * dim;
        float *o = out.data() + r * dim;
        for (std::size_t d = 0; d < dim; ++d)
            o[d] = in[d] - s[d];
    }
}

} // namespace

PcaResult pca(const WordVectors &table, int k, std::size_t restrictTo)
{
    const std::size_t n = restrictTo == 0 ? table.size() : std::min(restrictTo, table.size());
    const int dim = table.dim();
    if (k < 1 || k > dim)
        throw Error("PCA: " + std::to_string(k) + " components asked of a table with "
            + std::to_string(dim) + " dimensions");
    if (n < 2)
        throw Error("PCA: needs at least 2 rows, the table has " + std::to_string(n));
    const RowMatrixXf &x = table.vectors(); // (n, dim)

    // Covariance. The blocks are centred on the mean of the first rows (shift) before their float
    // product, so little cancels; the exact mean is shift + delta, with delta folded in after:
    // C = (G - n delta^T delta) / (n - 1), G = sum over rows of (x - shift)^T (x - shift).
    const Eigen::Index sampleRows = static_cast<Eigen::Index>(std::min<std::size_t>(n, 4096));
    const Eigen::RowVectorXd shift
        = x.topRows(sampleRows).cast<double>().colwise().sum() / static_cast<double>(sampleRows);
    const Eigen::RowVectorXf shiftF = shift.cast<float>();
    // Each range's partial sums, added up in the order of the rows, not in the order the threads
    // finish: the same table always gives the same bits, so the same picture.
    struct Partial
    {
        std::size_t first;
        Eigen::MatrixXd gram;
        Eigen::RowVectorXd sum;
    };
    std::vector<Partial> partials;
    std::mutex mutex;
    parallelFor(n, 4 * BlockRows, [&](std::size_t r0, std::size_t r1) {
        Eigen::MatrixXd g = Eigen::MatrixXd::Zero(dim, dim);
        Eigen::RowVectorXd s = Eigen::RowVectorXd::Zero(dim);
        RowMatrixXf buffer(static_cast<Eigen::Index>(BlockRows), dim); // (rows, dim)
        Eigen::MatrixXf blockGram(dim, dim);
        Eigen::RowVectorXf blockSum(dim);
        for (std::size_t start = r0; start < r1; start += BlockRows) {
            const std::size_t rows = std::min(BlockRows, r1 - start);
            centredBlock(x, start, rows, shiftF, buffer);
            const auto b = buffer.topRows(static_cast<Eigen::Index>(rows));
            blockGram.setZero();
            blockGram.selfadjointView<Eigen::Lower>().rankUpdate(b.transpose()); // syrk
            g.triangularView<Eigen::Lower>() += blockGram.cast<double>();
            blockSum.setZero();
            for (std::size_t r = 0; r < rows; ++r) // rows are contiguous: vectorised
                blockSum += buffer.row(static_cast<Eigen::Index>(r));
            s += blockSum.cast<double>();
        }
        std::lock_guard<std::mutex> lock(mutex);
        partials.push_back({ r0, std::move(g), std::move(s) });
    });
    std::sort(partials.begin(), partials.end(),
        [](const Partial &a, const Partial &b) { return a.first < b.first; });
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(dim, dim); // lower triangle
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(dim);
    for (const Partial &p : partials) {
        gram.triangularView<Eigen::Lower>() += p.gram;
        sum += p.sum;
    }
    const double count = static_cast<double>(n);
    const Eigen::RowVectorXd delta = sum / count;
    Eigen::MatrixXd cov = gram.selfadjointView<Eigen::Lower>();
    cov = (cov - count * delta.transpose() * delta) / (count - 1);

    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
    if (solver.info() != Eigen::Success)
        throw Error("PCA: the eigen-decomposition of the covariance did not converge");
    // Eigenvalues come in increasing order.
    Eigen::MatrixXd axes = solver.eigenvectors().rightCols(k).rowwise().reverse(); // (dim, k)
    const Eigen::VectorXd variance = solver.eigenvalues().tail(k).reverse().cwiseMax(0.0);
    const double totalVariance = cov.trace();

    PcaResult result;
    const Eigen::RowVectorXd mean = shift + delta;
    result.mean = mean.transpose().cast<float>();
    result.explainedVariance = variance.cast<float>();
    result.explainedVarianceRatio = (totalVariance > 0 ? Eigen::VectorXd(variance / totalVariance)
                                                       : Eigen::VectorXd(Eigen::VectorXd::Zero(k)))
                                        .cast<float>();

    // Projection: coords = (x - mean) axes, by blocks as above.
    const Eigen::MatrixXf axesF = axes.cast<float>();
    const Eigen::RowVectorXf meanF = mean.cast<float>();
    result.coords.resize(static_cast<Eigen::Index>(n), k);
    parallelFor(n, 4 * BlockRows, [&](std::size_t r0, std::size_t r1) {
        RowMatrixXf buffer(static_cast<Eigen::Index>(BlockRows), dim);
        for (std::size_t start = r0; start < r1; start += BlockRows) {
            const std::size_t rows = std::min(BlockRows, r1 - start);
            centredBlock(x, start, rows, meanF, buffer);
            const auto rowsI = static_cast<Eigen::Index>(rows);
            result.coords.middleRows(static_cast<Eigen::Index>(start), rowsI).noalias()
                = buffer.topRows(rowsI) * axesF;
        }
    });

    // scikit-learn's svd_flip (u-based): the largest |coordinate| of each component is positive.
    for (int j = 0; j < k; ++j) {
        Eigen::Index best = 0;
        float bestAbs = -1;
        for (Eigen::Index i = 0; i < result.coords.rows(); ++i) {
            const float a = std::abs(result.coords(i, j));
            if (a > bestAbs) {
                bestAbs = a;
                best = i;
            }
        }
        if (result.coords(best, j) < 0) {
            result.coords.col(j) *= -1;
            axes.col(j) *= -1;
        }
    }
    result.components = axes.cast<float>();
    return result;
}

Eigen::MatrixXf alignProcrustes(RowMatrixXf &coords, const RowMatrixXf &previous)
{
    if (coords.rows() != previous.rows() || coords.cols() != previous.cols())
        throw Error("Procrustes alignment: coordinates are " + std::to_string(coords.rows()) + " x "
            + std::to_string(coords.cols()) + ", the previous ones "
            + std::to_string(previous.rows()) + " x " + std::to_string(previous.cols()));
    const Eigen::Index k = coords.cols();
    // m = coords^T previous: (k, k), accumulated in double.
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(k, k);
    for (Eigen::Index i = 0; i < coords.rows(); ++i)
        m.noalias() += coords.row(i).transpose().cast<double>() * previous.row(i).cast<double>();
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::MatrixXf r = (svd.matrixU() * svd.matrixV().transpose()).cast<float>();
    coords = coords * r;
    return r;
}

} // namespace embedlab
