#include "core/customaxes.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace embedlab {

namespace {

const char *const AxisExample = "an axis is words joined by + and - with spaces around each "
                                "sign, for example \"man - woman\"";

} // namespace

AxisDirection parseAxisDirection(std::string_view text)
{
    std::istringstream in { std::string(text) };
    AxisDirection d;
    std::string token;
    int sign = +1;
    bool pendingSign = false;
    while (in >> token) {
        if (token == "+" || token == "-") {
            if (pendingSign)
                throw Error("\"" + std::string(text) + "\" has two signs in a row; " + AxisExample);
            sign = token == "+" ? +1 : -1;
            pendingSign = true;
            continue;
        }
        (sign > 0 ? d.plus : d.minus).push_back(token);
        sign = +1;
        pendingSign = false;
    }
    if (pendingSign)
        throw Error("\"" + std::string(text) + "\" ends with a sign; " + AxisExample);
    if (d.plus.empty() && d.minus.empty())
        throw Error("an axis needs words: " + std::string(AxisExample));
    return d;
}

Eigen::VectorXf axisDirectionVector(const WordVectors &table, const AxisDirection &direction)
{
    Eigen::VectorXf v = Eigen::VectorXf::Zero(table.dim());
    const auto add = [&](const std::string &word, float sign) {
        const int row = table.find(word);
        if (row < 0) {
            std::string hint;
            if (word.find('-') != std::string::npos || word.find('+') != std::string::npos)
                hint = " (to subtract, put spaces around the sign: \"man - woman\")";
            throw Error("\"" + word + "\" is not in the vocabulary" + hint);
        }
        v += sign * table.vectors().row(row).transpose();
    };
    for (const std::string &w : direction.plus)
        add(w, +1);
    for (const std::string &w : direction.minus)
        add(w, -1);
    const float norm = v.norm();
    if (!(norm > 0) || !std::isfinite(norm))
        throw Error("the words of this axis cancel out: its direction is zero");
    return v / norm;
}

RowMatrixXf projectOntoDirections(
    const WordVectors &table, const std::vector<Eigen::VectorXf> &directions, std::size_t rows)
{
    const std::size_t n = rows == 0 ? table.size() : std::min(rows, table.size());
    Eigen::MatrixXf dirs(table.dim(), static_cast<Eigen::Index>(directions.size()));
    for (std::size_t a = 0; a < directions.size(); ++a) {
        if (directions[a].size() != table.dim())
            throw Error("an axis of dimension " + std::to_string(directions[a].size())
                + " for vectors of dimension " + std::to_string(table.dim()));
        dirs.col(static_cast<Eigen::Index>(a)) = directions[a];
    }
    return table.vectors().topRows(static_cast<Eigen::Index>(n)) * dirs;
}

} // namespace embedlab
