// Training throughput on the reference configuration (V=10000, E=H=200, 2 layers, B=20, T=35,
// full softmax, SGD, dropout 0.2, clip 0.25): tokens per second over whole windows (forward,
// backward, clipping, update), after warm-up, and the time of each phase per window. Compare with
// tests/bench/pytorch_lm.py throughput.
//
//   bench_training [--threads N] [--windows N] [--vocab V] [--dim D] [--layers L]
//                  [--cell lstm|gru|rnn_tanh|rnn_relu]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/parallel.h"
#include "core/trainer.h"
#include "reference_shape.h"

using namespace embedlab;

int main(int argc, char **argv)
{
    ReferenceShape shape;
    int windows = 100;
    CellKind cell = CellKind::Lstm;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cell") {
            if (!parseCell(argv[i + 1], cell)) {
                std::fprintf(stderr, "unknown cell %s\n", argv[i + 1]);
                return 2;
            }
        } else if (a == "--windows")
            windows = std::atoi(argv[i + 1]);
        else if (!shape.take(a, argv[i + 1])) {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    const int threads = shape.threads, vocab = shape.vocab, dim = shape.dim, layers = shape.layers,
              batch = shape.batch, bptt = shape.bptt;
    ModelConfig mc;
    mc.vocabSize = vocab;
    mc.embeddingDim = dim;
    mc.hiddenSize = dim;
    mc.layers = layers;
    mc.dropout = 0.2;
    mc.cell = cell;
    LanguageModel<float> model(mc);
    model.initRandom(1);

    const int warmup = 5;
    std::vector<std::int32_t> stream(
        static_cast<std::size_t>(batch) * bptt * (warmup + windows) + batch);
    Rng rng(42);
    for (auto &id : stream)
        id = 3 + static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(vocab - 3));

    TrainConfig tc;
    tc.batch = batch;
    tc.bptt = bptt;
    tc.lr = 20;
    tc.clip = 0.25;
    tc.threads = threads;
    Trainer<float> trainer(model, tc);
    using Clock = std::chrono::steady_clock;
    Clock::time_point start;
    std::int64_t timedWindows = 0;
    double seconds = 0;
    trainer.run(stream, {}, [&](const TrainEvent &e) {
        if (e.kind != TrainEvent::Kind::Window)
            return;
        if (e.step == warmup)
            start = Clock::now();
        else if (e.step > warmup) {
            ++timedWindows;
            seconds = std::chrono::duration<double>(Clock::now() - start).count();
        }
    });
    const double tokens = static_cast<double>(timedWindows) * batch * bptt;
    // The time by phase, in milliseconds per window over every window run (warm-up included).
    const auto ph = trainer.phaseSeconds();
    const double per = 1e3 / static_cast<double>(warmup + timedWindows);
    std::printf(
        "{\"cell\":\"%s\",\"threads\":%d,\"windows\":%lld,\"seconds\":%.3f,\"tokens_per_sec\":%.0f,"
        "\"ms_per_window\":{\"embedding\":%.2f,\"input_projections\":%.2f,"
        "\"recurrence\":%.2f,\"decoder_softmax\":%.2f,\"backward_decoder\":%.2f,"
        "\"backward_through_time\":%.2f,\"backward_weight_gradients\":%.2f,"
        "\"backward_input_gradients\":%.2f,\"backward_embedding\":%.2f,"
        "\"update\":%.2f}}\n",
        cellName(cell), threadCount(), static_cast<long long>(timedWindows), seconds,
        tokens / seconds, ph.embedding * per, ph.projections * per, ph.recurrence * per,
        ph.decoder * per, ph.decoderBackward * per, ph.backThroughTime * per,
        ph.weightGradients * per, ph.inputGradients * per, ph.embeddingGradient * per,
        trainer.updateSeconds() * per);
    return 0;
}
