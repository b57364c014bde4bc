// The matrix-product limit of the reference training configuration: every matrix product one
// training window of the language model makes (V = 10000, E = H = 200, 2 layers, B = 20, T = 35,
// LSTM, full softmax), timed on its own at its shape, split over the threads the way the engine
// splits it (core/model.cpp, core/lstm.cpp: each thread a share of the columns or rows, with
// a single-threaded OpenBLAS). The sum of their times is the time a window cannot go below
// while its products run at these rates; tokens/s at that time is the limit that
// bench_training's throughput is compared with.
//
//   bench_sgemm [--threads N] [--vocab V] [--dim D] [--layers L] [--batch B] [--bptt T]
//
// Prints one JSON object: each product's shape, the products per call (the T recurrent steps of
// a layer are one call, each thread taking its hidden units through all of them, as the engine
// does),
// the calls per window, seconds per call and GFLOP/s, then
// the window's FLOPs, its time at those rates, and the limit in tokens/s.
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/cell.h"
#include "core/parallel.h"
#include "core/random.h"
#include "reference_shape.h"

using namespace embedlab;
using Mat = Eigen::MatrixXf;

namespace {

Mat randomMatrix(Eigen::Index rows, Eigen::Index cols, Rng &rng)
{
    Mat m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.uniform(-0.1, 0.1));
    return m;
}

// Seconds per call of fn: the best of 5 runs of enough calls to take at least 0.1 s each.
double secondsPerCall(const std::function<void()> &fn)
{
    using Clock = std::chrono::steady_clock;
    fn(); // warm-up: packing buffers, thread pool
    int calls = 1;
    for (;;) {
        const auto t0 = Clock::now();
        for (int i = 0; i < calls; ++i)
            fn();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        if (s >= 0.1)
            break;
        calls *= 2;
    }
    double best = 1e30;
    for (int run = 0; run < 5; ++run) {
        const auto t0 = Clock::now();
        for (int i = 0; i < calls; ++i)
            fn();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count() / calls);
    }
    return best;
}

struct Product
{
    std::string name;
    Eigen::Index m, k, n; // (m, k) x (k, n)
    int steps; // products per call of run
    int perWindow; // calls per window
    std::function<void()> run;
    double seconds = 0;
};

} // namespace

int main(int argc, char **argv)
{
    ReferenceShape shape;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!shape.take(argv[i], argv[i + 1])) {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    const int threads = shape.threads, layers = shape.layers, bptt = shape.bptt;
    if (threads > 0)
        setThreadCount(threads);
    const Eigen::Index V = shape.vocab, H = shape.dim, G = 4 * H, B = shape.batch, N = B * bptt;
    Rng rng(7);
    const Mat decoder = randomMatrix(H, V, rng); // (H, V), as the model stores it
    const Mat x = randomMatrix(H, N, rng); // a layer's input or output for the window
    Mat dLogits = randomMatrix(V, N, rng);
    Mat logits(V, N), dX(H, N), dXParts(H, 2 * N), gDecoder = Mat::Zero(H, V);
    const Mat wIh = randomMatrix(H, G, rng), wHh = randomMatrix(H, G, rng); // (in, 4H), (H, 4H)
    const Mat dG = randomMatrix(G, N, rng);
    Mat gates(G, N), gW = Mat::Zero(H, G), dh(H, B);
    const Mat hB = randomMatrix(H, B, rng), dGB = randomMatrix(G, B, rng);

    // The same splits as the engine: parallelFor over the rows of words, the columns of tokens,
    // or the gate rows, with the same smallest chunks; fn(first, count) per chunk.
    const auto split = [](Eigen::Index size, std::size_t smallest, const auto &fn) {
        parallelFor(static_cast<std::size_t>(size), smallest, [&](std::size_t b, std::size_t e) {
            fn(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(e - b));
        });
    };
    std::vector<Product> products;
    products.push_back({ "decoder forward: logits = W^T x", V, H, N, 1, 1, [&] {
                            split(V, 256, [&](Eigen::Index v0, Eigen::Index len) {
                                logits.middleRows(v0, len).noalias()
                                    = decoder.middleCols(v0, len).transpose() * x;
                            });
                        } });
    products.push_back({ "decoder backward: dx = W dlogits", H, V, N, 1, 1, [&] {
                            // two halves of the words, summed afterwards
                            const Eigen::Index half = V / 2;
                            split(2, 1, [&](Eigen::Index k0, Eigen::Index count) {
                                for (Eigen::Index k = k0; k < k0 + count; ++k) {
                                    const Eigen::Index v0 = k == 0 ? 0 : half,
                                                       len = k == 0 ? half : V - half;
                                    dXParts.middleCols(k * N, N).noalias()
                                        = decoder.middleCols(v0, len) * dLogits.middleRows(v0, len);
                                }
                            });
                        } });
    products.push_back({ "decoder backward: dW += x dlogits^T", H, N, V, 1, 1, [&] {
                            split(V, 256, [&](Eigen::Index v0, Eigen::Index len) {
                                gDecoder.middleCols(v0, len).noalias()
                                    += x * dLogits.middleRows(v0, len).transpose();
                            });
                        } });
    products.push_back({ "LSTM forward: input projections W_ih^T x", G, H, N, 1, layers, [&] {
                            split(N, 64, [&](Eigen::Index c0, Eigen::Index len) {
                                gates.middleCols(c0, len).noalias()
                                    = wIh.transpose() * x.middleCols(c0, len);
                            });
                        } });
    // The recurrence as the engine runs it: each thread takes its hidden units' rows of every
    // gate (its rows of W_hh^T packed once per window) through all T steps for all the streams,
    // the threads meeting after each step.
    products.push_back({ "LSTM forward: recurrent steps W_hh^T h", G, H, B, bptt, layers, [&] {
                            parallelTeam(recurrenceTeam(H, B),
                                [&](std::size_t m, std::size_t members, const TeamSync &sync) {
                                    const StepSlice u = stepSlice(H, B, m, members);
                                    const Mat part = packGateRows(wHh, 4, u);
                                    Mat rec(4 * u.hm, u.nb);
                                    for (int t = 0; t < bptt; ++t) {
                                        rec.noalias()
                                            = part.transpose() * hB.middleCols(u.s0, u.nb);
                                        if (u.meets)
                                            sync();
                                    }
                                });
                        } });
    products.push_back({ "LSTM backward: recurrent steps W_hh dG", H, G, B, bptt, layers, [&] {
                            parallelTeam(recurrenceTeam(H, B),
                                [&](std::size_t m, std::size_t members, const TeamSync &sync) {
                                    const StepSlice u = stepSlice(H, B, m, members);
                                    for (int t = 0; t < bptt; ++t) {
                                        if (u.meets)
                                            sync();
                                        dh.block(u.u0, u.s0, u.hm, u.nb).noalias()
                                            = wHh.middleRows(u.u0, u.hm)
                                            * dGB.middleCols(u.s0, u.nb);
                                    }
                                });
                        } });
    products.push_back({ "LSTM backward: dW_ih, dW_hh += x dG^T", H, N, G, 1, 2 * layers, [&] {
                            split(G, 16, [&](Eigen::Index j0, Eigen::Index len) {
                                gW.middleCols(j0, len).noalias()
                                    += x * dG.middleRows(j0, len).transpose();
                            });
                        } });
    products.push_back({ "LSTM backward: dx = W_ih dG", H, G, N, 1, layers, [&] {
                            split(N, 64, [&](Eigen::Index c0, Eigen::Index len) {
                                dX.middleCols(c0, len).noalias() = wIh * dG.middleCols(c0, len);
                            });
                        } });

    double flops = 0, seconds = 0;
    std::printf("{\"threads\": %d, \"products\": [", threadCount());
    for (std::size_t i = 0; i < products.size(); ++i) {
        Product &p = products[i];
        p.seconds = secondsPerCall(p.run);
        const double f = 2.0 * static_cast<double>(p.m) * static_cast<double>(p.k)
            * static_cast<double>(p.n) * p.steps;
        flops += f * p.perWindow;
        seconds += p.seconds * p.perWindow;
        std::printf("%s\n  {\"product\": \"%s\", \"m\": %lld, \"k\": %lld, \"n\": %lld, "
                    "\"steps\": %d, \"per_window\": %d, \"seconds\": %.6g, \"gflops\": %.1f}",
            i ? "," : "", p.name.c_str(), static_cast<long long>(p.m), static_cast<long long>(p.k),
            static_cast<long long>(p.n), p.steps, p.perWindow, p.seconds, f / p.seconds * 1e-9);
    }
    std::printf("],\n \"flops_per_token\": %.4g, \"window_seconds\": %.5f, \"gflops\": %.1f, "
                "\"limit_tokens_per_sec\": %.0f}\n",
        flops / static_cast<double>(N), seconds, flops / seconds * 1e-9,
        static_cast<double>(N) / seconds);
    return 0;
}
