#include "core/projection.h"

#include "core/corpus.h"
#include "core/customaxes.h"
#include "core/error.h"
#include "core/pca.h"
#include "core/tsne.h"
#include "core/umap.h"

#include <algorithm>

namespace embedlab {

namespace {

// A frame that starts from the one before runs this many iterations instead of 1000.
constexpr int TsneFromPreviousIterations = 100;

Projection projectPca(const WordVectors &table, const ProjectionRequest &request)
{
    PcaResult r = pca(table, request.components, request.rows);
    if (request.previous.rows() == r.coords.rows() && request.previous.cols() == r.coords.cols())
        alignProcrustes(r.coords, request.previous);
    return { std::move(r.coords), std::move(r.explainedVarianceRatio) };
}

// UMAP with its defaults; a previous frame of the same rows is the start of a shorter SGD
// (UmapOptions::initial), so the map of a training run moves a little instead of jumping.
Projection projectUmap(const WordVectors &table, const ProjectionRequest &request)
{
    if (request.components != 2 && request.components != 3)
        throw Error(
            "UMAP makes maps of 2 or 3 dimensions, not " + std::to_string(request.components));
    UmapOptions options;
    options.dims = request.components;
    const std::size_t rows
        = request.rows == 0 ? table.size() : std::min(request.rows, table.size());
    if (request.previous.rows() == static_cast<Eigen::Index>(rows)
        && request.previous.cols() == request.components) {
        options.initial = request.previous;
        options.initialEpochs = 50;
    }
    options.seed = request.seed;
    if (request.iterations > 0)
        options.epochs = request.iterations;
    if (request.progress)
        options.progress = request.progress;
    UmapResult r = umap(table, options, rows);
    if (r.cancelled)
        throw Cancelled("UMAP cancelled");
    return { std::move(r.coords), {} };
}

// t-SNE of the unit rows (cosine neighbourhoods). A previous frame is the start: no early
// exaggeration, and a shorter run, since the layout has settled.
Projection projectTsne(const WordVectors &table, const ProjectionRequest &request)
{
    const Eigen::Index n = request.rows == 0
        ? static_cast<Eigen::Index>(table.size())
        : std::min<Eigen::Index>(
            static_cast<Eigen::Index>(request.rows), static_cast<Eigen::Index>(table.size()));
    RowMatrixXf x = table.vectors().topRows(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const float norm = x.row(i).norm();
        if (norm > 0)
            x.row(i) /= norm;
    }
    TsneOptions o;
    o.dims = request.components;
    o.seed = request.seed;
    // sklearn's 30 needs 91 neighbours; a smaller table gets the largest its rows allow.
    o.perplexity = request.perplexity > 0
        ? request.perplexity
        : std::min(o.perplexity, std::max(1.0, (static_cast<double>(n) - 1) / 3));
    if (request.previous.rows() == n && request.previous.cols() == request.components) {
        o.initial = request.previous;
        o.iterations = TsneFromPreviousIterations;
    }
    if (request.iterations > 0)
        o.iterations = request.iterations;
    if (request.progress)
        o.progress = request.progress;
    TsneResult r = tsne(x, o);
    if (r.cancelled)
        throw Cancelled("t-SNE cancelled");
    return { std::move(r.coords), {} };
}

// The rows' dot products with directions named by words, one per component; nothing to align
// (the axes mean the same in every frame).
Projection projectCustom(const WordVectors &table, const ProjectionRequest &request)
{
    if (request.axes.empty())
        throw Error("custom axes need a direction in words for each axis, e.g. \"man - woman\"");
    std::vector<Eigen::VectorXf> directions;
    for (const std::string &axis : request.axes)
        directions.push_back(axisDirectionVector(table, parseAxisDirection(axis)));
    return { projectOntoDirections(table, directions, request.rows), {} };
}

} // namespace

const std::vector<ProjectionMethod> &projectionMethods()
{
    static const std::vector<ProjectionMethod> methods = {
        { "pca", "PCA", "PC", false, projectPca },
        { "tsne", "t-SNE", "t-SNE ", true, projectTsne },
        { "umap", "UMAP", "UMAP ", true, projectUmap },
        { "custom", "Custom axes", "", false, projectCustom },
    };
    return methods;
}

const ProjectionMethod &projectionMethod(std::string_view id)
{
    std::string known;
    for (const ProjectionMethod &m : projectionMethods()) {
        if (m.id == id)
            return m;
        known += (known.empty() ? "" : ", ") + m.id;
    }
    throw Error("unknown projection \"" + std::string(id) + "\" (known: " + known + ")");
}

} // namespace embedlab
