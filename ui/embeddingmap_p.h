#pragma once
// What embeddingmap.cpp and embeddingmap_tools.cpp share of the map's insides.
#include "ui/embeddingmap.h"

namespace embedlab {

// A projection of a table as the map draws it.
struct EmbeddingMap::Frame
{
    std::shared_ptr<const WordVectors> table;
    RowMatrixXf coords; // (n, Components), the columns past k zero
    int k = 0; // the method's coordinates
    Eigen::VectorXf ratio; // (Components) share of the variance per axis, empty if none
    QStringList axisNames; // (k) "PC1", "t-SNE 1", "man - woman"
    std::string method;
    int dims = 2;
    QStringList axes; // custom axes asked for
    // Rows by frequency, most frequent first, and each row's place in that order: the table's
    // counts when it has them (a model's: its specials sit first whatever their counts), else
    // the file's order, which is by frequency in the usual formats.
    std::vector<int> order, rank;
    std::vector<int>
        fullRows; // the whole table's row of each row (isolated words); empty: the same
    QString error;
    bool cancelled = false; // stopped before its end: the positions so far
    std::size_t done = 0, total = 0; // iterations of an iterative method
};

} // namespace embedlab
