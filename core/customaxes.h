#pragma once
// Custom axes, as the Embedding Projector's custom tab draws them: each axis is a direction the
// user names by words ("man - woman" across, "king - queen" up), and a row's place along it is
// its dot product with that direction.
#include "core/wordvectors.h"

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab {

// Words joined by + and -, each sign a token of its own between spaces, so that words with a
// hyphen stay whole: "man - woman", "king - man + woman", "- bad". A leading word counts +.
struct AxisDirection
{
    std::vector<std::string> plus, minus;
};

// Throws Error saying what an axis looks like for an empty text, a sign with no word after it, or
// a text with no word.
AxisDirection parseAxisDirection(std::string_view text);

// The sum of the plus words' rows minus the sum of the minus words' rows, scaled to unit length.
// Throws Error naming a word that is not in the table, or when the direction is zero.
Eigen::VectorXf axisDirectionVector(const WordVectors &table, const AxisDirection &direction);

// (rows, directions) with coords(i, a) = row i . directions[a], for the first `rows` rows
// (0 = all). Throws Error when a direction's length is not the table's dimension.
RowMatrixXf projectOntoDirections(
    const WordVectors &table, const std::vector<Eigen::VectorXf> &directions, std::size_t rows = 0);

} // namespace embedlab
