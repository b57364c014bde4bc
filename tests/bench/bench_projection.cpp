// t-SNE benchmark: the map of the first N words of a GloVe table (unit-normalised rows), its
// time and its trustworthiness@10, to compare with scikit-learn's TSNE on the same rows:
//
//   bench_projection [--vectors /work/shared/data/vectors/glove.6B.100d.top20k.txt] [--rows N]
//                    [--dims 2] [--threads N] [--seed S] [--out coords.tsv]
//   /usr/bin/python3 tests/bench/sklearn_tsne.py --vectors FILE --rows N [--ours coords.tsv]
//
// Trustworthiness is O(n^2) in sklearn (an n x n rank table), so both sides compute it on the
// same fixed subset: every (N / 5000)-th row, rounded up, of the map and of the rows. Prints
// one JSON object.
#include "core/error.h"
#include "core/fileio.h"
#include "core/parallel.h"
#include "core/projectionquality.h"
#include "core/tsne.h"
#include "core/vectors/vectors.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace embedlab;

int main(int argc, char **argv)
{
    std::string vectors = "/work/shared/data/vectors/glove.6B.100d.top20k.txt";
    std::string out;
    long rows = 20000;
    int dims = 2, threads = 0;
    unsigned long long seed = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--vectors")
            vectors = v;
        else if (a == "--rows")
            rows = std::stol(v);
        else if (a == "--dims")
            dims = std::stoi(v);
        else if (a == "--threads")
            threads = std::stoi(v);
        else if (a == "--seed")
            seed = std::stoull(v);
        else if (a == "--out")
            out = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    try {
        setThreadCount(threads);
        ImportOptions io;
        io.limit = static_cast<std::uint64_t>(rows);
        const WordVectors table = readVectors(vectors, io);
        RowMatrixXf x = table.vectors();
        x.rowwise().normalize();
        TsneOptions o;
        o.dims = dims;
        o.seed = seed;
        const auto t0 = std::chrono::steady_clock::now();
        const TsneResult r = tsne(x, o);
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Eigen::Index n = x.rows();
        const Eigen::Index stride = (n + 4999) / 5000;
        const Eigen::Index m = (n + stride - 1) / stride;
        RowMatrixXf xs(m, x.cols()), ys(m, dims);
        for (Eigen::Index i = 0; i < m; ++i) {
            xs.row(i) = x.row(i * stride);
            ys.row(i) = r.coords.row(i * stride);
        }
        const double trust = trustworthiness(xs, ys, 10);
        const double kept = neighborhoodPreservation(xs, ys, 10);
        if (!out.empty())
            writeFileAtomically(out, [&](std::FILE *f) {
                for (Eigen::Index i = 0; i < n; ++i) {
                    std::fputs(table.word(static_cast<std::size_t>(i)).c_str(), f);
                    for (int c = 0; c < dims; ++c)
                        std::fprintf(f, "\t%.9g", static_cast<double>(r.coords(i, c)));
                    std::fputc('\n', f);
                }
            });
        std::printf(
            "{\"rows\": %ld, \"dims\": %d, \"threads\": %d, \"seconds\": %.3f, "
            "\"iterations\": %d, \"kl\": %.6f, \"trustworthiness_at_10\": %.6f, "
            "\"subset\": %ld, \"neighbors_kept_at_10\": %.6f, \"neighbours_seconds\": %.3f, "
            "\"affinity_seconds\": %.3f, \"start_seconds\": %.3f, "
            "\"descent_seconds\": %.3f}\n",
            static_cast<long>(n), dims, threadCount(), seconds, r.iterations, r.klDivergence, trust,
            static_cast<long>(m), kept, r.neighboursSeconds, r.affinitySeconds, r.startSeconds,
            r.descentSeconds);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_projection: %s\n", e.what());
        return 1;
    }
    return 0;
}
