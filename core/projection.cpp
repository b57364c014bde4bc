#include "core/projection.h"

#include "core/error.h"
#include "core/pca.h"
#include "core/umap.h"

namespace embedlab {

namespace {

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
    UmapResult r = umap(table, options, rows);
    return { std::move(r.coords), {} };
}

} // namespace

const std::vector<ProjectionMethod> &projectionMethods()
{
    static const std::vector<ProjectionMethod> methods = {
        { "pca", "PCA", "PC", projectPca },
        { "umap", "UMAP", "UMAP ", projectUmap },
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
