// UMAP benchmark: the map of a GloVe table (unit rows, cosine), its time, and its coordinates as
// TSV for tests/bench/umap_learn.py to score against umap-learn's.
//
//   bench_umap [--vectors /work/shared/data/vectors/glove.6B.100d.top20k.txt] [--rows N]
//              [--threads N] [--seed S] [--dims 2] [--epochs 0] [--out /tmp/umap_ours.tsv]
//
// Prints one JSON object: rows, seconds (the whole of umap(): neighbours, graph, spectral
// start, SGD) and each phase's, the fitted a and b, and whether the spectral start succeeded.
#include "core/error.h"
#include "core/parallel.h"
#include "core/umap.h"
#include "core/vectors/vectors.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace embedlab;

int main(int argc, char **argv)
{
    std::string path = "/work/shared/data/vectors/glove.6B.100d.top20k.txt";
    std::string out = "/tmp/umap_ours.tsv";
    std::size_t rows = 0;
    UmapOptions options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--vectors")
            path = value;
        else if (key == "--out")
            out = value;
        else if (key == "--rows")
            rows = std::stoul(value);
        else if (key == "--threads")
            options.threads = std::stoi(value);
        else if (key == "--seed")
            options.seed = std::stoull(value);
        else if (key == "--dims")
            options.dims = std::stoi(value);
        else if (key == "--epochs")
            options.epochs = std::stoi(value);
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            return 2;
        }
    }
    try {
        if (options.threads > 0)
            setThreadCount(options.threads);
        WordVectors table = readVectors(path);
        table.vectors().rowwise().normalize();
        const auto t0 = std::chrono::steady_clock::now();
        const UmapResult r = umap(table, options, rows);
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::ofstream f(out);
        for (Eigen::Index i = 0; i < r.coords.rows(); ++i) {
            for (Eigen::Index d = 0; d < r.coords.cols(); ++d)
                f << (d ? "\t" : "") << r.coords(i, d);
            f << '\n';
        }
        std::printf(
            "{\"rows\": %lld, \"dims\": %d, \"threads\": %d, \"seconds\": %.3f, \"a\": %.6f, "
            "\"b\": %.6f, \"epochs\": %d, \"spectral_init\": %s, \"neighbours_seconds\": %.3f, "
            "\"graph_seconds\": %.3f, \"start_seconds\": %.3f, \"sgd_seconds\": %.3f, "
            "\"out\": \"%s\"}\n",
            static_cast<long long>(r.coords.rows()), options.dims, threadCount(), seconds, r.a, r.b,
            r.epochs, r.spectralInit ? "true" : "false", r.neighboursSeconds, r.graphSeconds,
            r.startSeconds, r.sgdSeconds, out.c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_umap: %s\n", e.what());
        return 1;
    }
    return 0;
}
