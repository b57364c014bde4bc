#include "core/projection.h"

#include "core/error.h"
#include "core/pca.h"

namespace embedlab {

namespace {

Projection projectPca(const WordVectors &table, const ProjectionRequest &request)
{
    PcaResult r = pca(table, request.components, request.rows);
    if (request.previous.rows() == r.coords.rows() && request.previous.cols() == r.coords.cols())
        alignProcrustes(r.coords, request.previous);
    return { std::move(r.coords), std::move(r.explainedVarianceRatio) };
}

} // namespace

const std::vector<ProjectionMethod> &projectionMethods()
{
    static const std::vector<ProjectionMethod> methods = {
        { "pca", "PCA", "PC", projectPca },
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
