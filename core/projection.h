#pragma once
// The methods that place a table's rows on the map, one row of projectionMethods() each: the map,
// the CLI and the timeline ask this table instead of calling a method by name.
#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wordvectors.h"

namespace embedlab {

struct ProjectionRequest
{
    int components = 2; // k, at most the table's dimension
    std::size_t rows = 0; // project the first `rows` rows (0 = all)
    // The frame shown before, (rows, components) of the same points, or empty. A method aligns
    // its result to it (PCA: Procrustes) or starts from it (iterative methods), so that
    // successive frames of a training run do not flip.
    RowMatrixXf previous;
    std::uint64_t seed = 0; // for methods that draw random numbers
    int iterations = 0; // iterative methods: how many (0 = the method's default)
    double perplexity = 0; // t-SNE (0 = 30)
    // Custom axes: one direction in words per component ("man - woman", core/customaxes.h).
    std::vector<std::string> axes;
    // Iterative methods call it as they go with their current positions (rows, components), valid
    // during the call; returning false stops them (they throw Cancelled).
    std::function<bool(std::size_t done, std::size_t total, const RowMatrixXf &positions)> progress;
};

struct Projection
{
    RowMatrixXf coords; // (rows, components)
    // (components) share of the table's variance along each axis, or empty when the method has
    // no such figure (nonlinear maps).
    Eigen::VectorXf axisShare;
};

struct ProjectionMethod
{
    std::string id; // stable, lower case: "pca"
    std::string name; // as menus show it: "PCA"
    std::string axisPrefix; // axis labels: "PC" gives PC1, PC2, ... (custom axes: their words)
    bool iterative = false; // optimises in steps: reports progress, can be cancelled
    std::function<Projection(const WordVectors &, const ProjectionRequest &)> project;
};

// Every method, in the order menus list them.
const std::vector<ProjectionMethod> &projectionMethods();
// The method with this id; throws Error naming the known ids when there is none.
const ProjectionMethod &projectionMethod(std::string_view id);

} // namespace embedlab
