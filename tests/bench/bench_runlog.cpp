// What recording a run folder costs the training it records: the reference configuration of
// bench_training (V=10000, E=H=200, 2 layers, B=20, T=35, SGD, dropout 0.2, clip 0.25) trained
// for --windows windows without a RunRecorder and with one doing what embedlab-cli train
// --run-dir does (recordWindow every window, a snapshot at step 0 and every --snapshot-every
// windows, recordEpoch at the end of the epoch). The two configurations alternate (ABBA) for
// --rounds rounds so that drift on a shared machine falls on both. Tokens/s count whole
// windows after warm-up, the recorder's calls on the training thread included; the time
// finish() then waits for the queue to drain is reported apart. Last, the recorder thread's
// own work is timed alone: one window's lines and one snapshot (float16 + zstd + write).
//
//   bench_runlog [--threads N] [--windows N] [--rounds N] [--snapshot-every N] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/parallel.h"
#include "core/random.h"
#include "core/runlog.h"
#include "core/snapshotfile.h"
#include "core/trainer.h"
#include "core/vocabulary.h"

using namespace embedlab;
using Clock = std::chrono::steady_clock;

namespace {

struct Setup
{
    int threads = 2, windows = 300, rounds = 3, vocab = 10000, dim = 200, layers = 2;
    int batch = 20, bptt = 35;
    std::int64_t snapshotEvery = DefaultSnapshotEvery;
    std::string dir;
};

struct Measure
{
    double tokensPerSec = 0;
    double callbackSeconds = 0; // in the recorder's calls, on the training thread
    double drainSeconds = 0; // finish(): what was still queued when training ended
};

constexpr int Warmup = 5;

double seconds(Clock::time_point from)
{
    return std::chrono::duration<double>(Clock::now() - from).count();
}

ModelConfig modelConfig(const Setup &s)
{
    ModelConfig mc;
    mc.vocabSize = s.vocab;
    mc.embeddingDim = s.dim;
    mc.hiddenSize = s.dim;
    mc.layers = s.layers;
    mc.dropout = 0.2;
    return mc;
}

TrainConfig trainConfig(const Setup &s)
{
    TrainConfig tc;
    tc.batch = s.batch;
    tc.bptt = s.bptt;
    tc.lr = 20;
    tc.clip = 0.25;
    tc.threads = s.threads;
    return tc;
}

Vocabulary syntheticVocabulary(int size)
{
    std::vector<std::string> words
        = { Vocabulary::PadWord, Vocabulary::UnkWord, Vocabulary::EosWord };
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(size), 0);
    for (int i = Vocabulary::SpecialCount; i < size; ++i) {
        words.push_back("w" + std::to_string(i));
        counts[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(size - i);
    }
    return Vocabulary::fromWords(std::move(words), std::move(counts));
}

// One epoch of exactly Warmup + windows windows; with a recorder when runDir is not empty.
Measure train(const Setup &s, const std::vector<std::int32_t> &stream, const Vocabulary &vocab,
    const std::string &runDir)
{
    LanguageModel<float> model(modelConfig(s));
    model.initRandom(1);
    const TrainConfig tc = trainConfig(s);
    Trainer<float> trainer(model, tc);
    std::unique_ptr<RunRecorder> recorder;
    if (!runDir.empty()) {
        RunSettings run;
        run.model = model.config();
        run.train = tc;
        run.corpus.name = "synthetic";
        run.corpus.trainTokens = stream.size();
        run.snapshotEvery = s.snapshotEvery;
        recorder = std::make_unique<RunRecorder>(runDir, run, vocab);
        recorder->recordSnapshot(0, model);
    }
    Measure m;
    Clock::time_point start;
    trainer.run(stream, {}, [&](const TrainEvent &e) {
        if (e.kind == TrainEvent::Kind::Window && e.step == Warmup)
            start = Clock::now();
        if (!recorder)
            return;
        const auto t = Clock::now();
        if (e.kind == TrainEvent::Kind::Window) {
            recorder->recordWindow(e);
            if (recorder->snapshotDue(e.step))
                recorder->recordSnapshot(e, model);
        } else {
            recorder->recordEpoch(e);
        }
        if (e.step > Warmup)
            m.callbackSeconds += seconds(t);
    });
    const double trained = seconds(start);
    m.tokensPerSec = static_cast<double>(s.windows) * s.batch * s.bptt / trained;
    if (recorder) {
        const auto t = Clock::now();
        recorder->finish("finished", Warmup + s.windows);
        m.drainSeconds = seconds(t);
        if (!recorder->error().empty())
            std::fprintf(stderr, "bench_runlog: %s\n", recorder->error().c_str());
    }
    return m;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string list(const std::vector<double> &v, const char *format)
{
    std::string out = "[";
    char buf[64];
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, format, v[i]);
        out += (i ? "," : "") + std::string(buf);
    }
    return out + "]";
}

} // namespace

int main(int argc, char **argv)
{
    Setup s;
    s.dir = (std::filesystem::temp_directory_path() / "bench_runlog").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--threads")
            s.threads = v;
        else if (a == "--windows")
            s.windows = v;
        else if (a == "--rounds")
            s.rounds = v;
        else if (a == "--snapshot-every")
            s.snapshotEvery = v;
        else if (a == "--vocab")
            s.vocab = v;
        else if (a == "--dim")
            s.dim = v;
        else if (a == "--dir")
            s.dir = argv[i + 1];
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (s.windows < 1 || s.rounds < 1 || s.snapshotEvery < 1
        || s.vocab <= Vocabulary::SpecialCount) {
        std::fprintf(
            stderr, "bench_runlog: --windows, --rounds and --snapshot-every must be >= 1\n");
        return 2;
    }
    std::filesystem::remove_all(s.dir);

    // Exactly one epoch of Warmup + windows windows (the trainer needs one token past the end).
    std::vector<std::int32_t> stream(static_cast<std::size_t>(s.batch)
        * (static_cast<std::size_t>(s.bptt) * (Warmup + s.windows) + 1));
    Rng rng(42);
    for (auto &id : stream)
        id = 3 + static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(s.vocab - 3));
    const Vocabulary vocab = syntheticVocabulary(s.vocab);

    std::vector<double> plain, recorded, overheads, callbackMs, drainMs;
    int runs = 0;
    for (int r = 0; r < s.rounds; ++r) {
        // ABBA: plain first in even rounds, recorded first in odd ones.
        Measure a, b;
        for (int k = 0; k < 2; ++k) {
            const bool record = (k == 1) == (r % 2 == 0);
            const std::string dir = s.dir + "/run-" + std::to_string(runs++);
            (record ? b : a) = train(s, stream, vocab, record ? dir : std::string());
            std::filesystem::remove_all(dir);
        }
        plain.push_back(a.tokensPerSec);
        recorded.push_back(b.tokensPerSec);
        overheads.push_back(100.0 * (a.tokensPerSec - b.tokensPerSec) / a.tokensPerSec);
        callbackMs.push_back(1000.0 * b.callbackSeconds);
        drainMs.push_back(1000.0 * b.drainSeconds);
    }

    // The recorder thread's work alone: lines for 1000 windows, then 5 snapshots.
    double windowUs = 0, snapshotMs = 0, snapshotBytes = 0;
    {
        LanguageModel<float> model(modelConfig(s));
        model.initRandom(1);
        RunSettings run;
        run.model = model.config();
        run.snapshotEvery = s.snapshotEvery;
        RunRecorder recorder(s.dir + "/alone", run, vocab);
        TrainEvent e;
        e.epoch = 1;
        e.loss = 6.5;
        e.lr = 20;
        e.gradNorm = 1.5;
        e.tokensPerSec = 1e4;
        const int lines = 1000;
        auto t = Clock::now();
        for (int i = 1; i <= lines; ++i) {
            e.step = i;
            recorder.recordWindow(e);
        }
        recorder.finish("running", lines);
        windowUs = 1e6 * seconds(t) / lines;
        const int snapshots = 5;
        t = Clock::now();
        for (int i = 1; i <= snapshots; ++i)
            recorder.recordSnapshot(i * s.snapshotEvery, model);
        recorder.finish("finished", lines);
        snapshotMs = 1000.0 * seconds(t) / snapshots;
        for (const auto &f : std::filesystem::directory_iterator(s.dir + "/alone/snapshots"))
            snapshotBytes += static_cast<double>(f.file_size()) / snapshots;
    }
    std::filesystem::remove_all(s.dir);

    const double p = median(plain), q = median(recorded);
    std::printf("{\"threads\":%d,\"windows\":%d,\"rounds\":%d,\"snapshot_every\":%lld,"
                "\"plain_tokens_per_sec\":%.0f,\"recorded_tokens_per_sec\":%.0f,"
                "\"overhead_percent\":%.2f,\"overhead_percent_per_round\":%s,"
                "\"plain_per_round\":%s,\"recorded_per_round\":%s,"
                "\"recorder_calls_ms\":%s,\"finish_drain_ms\":%s,"
                "\"writer_window_us\":%.1f,\"writer_snapshot_ms\":%.1f,\"snapshot_bytes\":%.0f}\n",
        threadCount(), s.windows, s.rounds, static_cast<long long>(s.snapshotEvery), p, q,
        100.0 * (p - q) / p, list(overheads, "%.2f").c_str(), list(plain, "%.0f").c_str(),
        list(recorded, "%.0f").c_str(), list(callbackMs, "%.1f").c_str(),
        list(drainMs, "%.1f").c_str(), windowUs, snapshotMs, snapshotBytes);
    return 0;
}
