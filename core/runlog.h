#pragma once
// A run folder: one training run recorded as TensorBoard records one in its logdir. Written
// append-only while training (on a thread of its own, so training never waits for the disk) and
// read back whole, so every view of an old run works without its corpus:
//   run.json                  what was trained how: the model, the settings, the corpus (path,
//                             size, fingerprint), the initialisation, each training session
//   vocab.json                the vocabulary: words in id order and their counts
//   scalars.jsonl             one line per window: step, epoch, tokens, time, loss, lr, grad norm
//   epochs.jsonl              one line per epoch: train and validation loss, lr, lr cut
//   snapshots.jsonl           one line per embedding snapshot; the tables in snapshots/
//   snapshots/step-N.f16.zst  the embedding table at step N (core/snapshotfile.h)
//   checkpoint.safetensors    the model as it was last saved, with its training state beside it
//   events.out.tfevents.*     the same scalars for TensorBoard (train/loss, train/lr, valid/loss)
// A process killed mid-run leaves every line it flushed readable; a half-written last line is
// ignored. A continued run appends; when it goes on from an earlier step than the files reach
// (a checkpoint older than the last lines), the reader keeps the newer lines for those steps.
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/model.h"
#include "core/tokenizer.h"
#include "core/trainer.h"
#include "core/vocabulary.h"
#include "core/wordvectors.h"

namespace embedlab {

class EventFileWriter;

inline constexpr const char *RunFormat = "embedlab-run";
inline constexpr const char *RunSettingsFile = "run.json";
inline constexpr const char *RunCheckpointFile = "checkpoint.safetensors";
inline constexpr std::int64_t DefaultSnapshotEvery = 100;

struct RunSettings;
// run.json's text.
std::string runSettingsJson(const RunSettings &settings);

struct RunCorpus
{
    std::string path; // as given; empty for the bundled sample
    std::string name; // what the window calls it
    std::uint64_t bytes = 0;
    std::string fingerprint;
    std::uint64_t trainTokens = 0, validTokens = 0;
};

// run.json.
struct RunSettings
{
    std::string name; // shown in the Runs list; the folder's name when empty
    std::string created; // ISO 8601, UTC
    ModelConfig model;
    TrainConfig train; // of the latest session
    TokenizerOptions tokenizer;
    RunCorpus corpus;
    std::string init = "random"; // or "vectors"
    std::string vectors; // the file the embedding started from, with init "vectors"
    std::string comparedWith; // the run this one is a sibling of ("Compare"), if any
    std::string difference; // what the sibling changed, for the user ("frozen embedding")
    std::string colour; // "#rrggbb" the window draws it in; empty until it picks one
    std::int64_t snapshotEvery = DefaultSnapshotEvery; // windows between embedding snapshots
    std::string status = "running"; // running, stopped, finished, diverged, failed
    std::int64_t steps = 0; // recorded when a session ends
};

struct RunScalar
{
    std::int64_t step = 0;
    int epoch = 0;
    double tokens = 0, seconds = 0, wallTime = 0;
    double loss = 0, lr = 0, gradNorm = 0, tokensPerSec = 0;
};

struct RunEpoch
{
    int epoch = 0;
    std::int64_t step = 0;
    double tokens = 0, seconds = 0, wallTime = 0;
    double trainLoss = 0, validLoss = 0, validPerplexity = 0, lr = 0;
    bool lrCut = false;
};

struct RunSnapshotEntry
{
    std::int64_t step = 0;
    int epoch = 0;
    double tokens = 0, seconds = 0, wallTime = 0;
    std::string file; // relative to the run folder
};

// Records one run into a folder. Construct it on the thread that trains, call the record
// functions between windows, and finish() at the end; the files are written by the recorder's
// own thread in the order the calls were made. A failure to write (disk full) does not stop
// training: the first one is kept in error() and later records are dropped.
class RunRecorder
{
public:
    // Creates the folder (and parents), or continues the run already there (its run.json is
    // kept, with this session added). Writes run.json and vocab.json before returning; throws
    // Error naming the file when it cannot, or when the folder holds something else.
    RunRecorder(const std::string &dir, RunSettings settings, const Vocabulary &vocab);
    ~RunRecorder(); // writes what is queued and stops the thread
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    const std::string &dir() const { return m_dir; }
    // True when the folder already held this run (the constructor continued it).
    bool continued() const { return m_continued; }

    void recordWindow(const TrainEvent &e);
    void recordEpoch(const TrainEvent &e);
    // A snapshot is due every snapshotEvery windows and at step 0.
    bool snapshotDue(std::int64_t step) const;
    // Copies the embedding now; compresses and writes it on the recorder's thread.
    void recordSnapshot(const TrainEvent &e, const LanguageModel<float> &model);
    void recordSnapshot(std::int64_t step, const LanguageModel<float> &model);
    // Writes the model and its training state to checkpoint.safetensors now (atomically).
    void writeCheckpoint(LanguageModel<float> &model, const Vocabulary &vocab,
        const TrainState<float> &state, const TrainConfig &config);
    // Waits for everything queued, then rewrites run.json with the status and step count.
    void finish(const std::string &status, std::int64_t steps);

    std::string error() const;

private:
    void post(std::function<void()> task);
    void appendLine(std::FILE *file, const std::string &name, const std::string &line);
    void writerLoop();
    void writeSettings();

    std::string m_dir;
    RunSettings m_settings;
    bool m_continued = false;
    std::int64_t m_lastSnapshot = -1;
    std::FILE *m_scalars = nullptr, *m_epochs = nullptr, *m_snapshots = nullptr;
    std::unique_ptr<EventFileWriter> m_events;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::function<void()>> m_queue;
    bool m_busy = false, m_quit = false;
    std::string m_error;
    std::thread m_thread;
};

// A whole run folder as read back.
struct RunData
{
    std::string dir;
    RunSettings settings;
    std::vector<std::string> words; // vocab.json, id order
    std::vector<std::uint64_t> counts;
    std::vector<RunScalar> scalars; // by step
    std::vector<RunEpoch> epochs;
    std::vector<RunSnapshotEntry> snapshots; // by step
    std::vector<std::string> warnings; // a half-written last line, a missing snapshot file

    // The recorded step nearest to `step` (the first one on a tie); -1 without snapshots.
    std::int64_t nearestSnapshotStep(std::int64_t step) const;
    const RunSnapshotEntry *findSnapshot(std::int64_t step) const;
};

// True when dir holds a run.json of a run.
bool isRunFolder(const std::string &dir);

// Throws Error naming the file and line and saying what the file should hold.
RunData readRun(const std::string &dir);

// The run's folder, settings and vocabulary without its scalars, epochs and snapshots: what
// reading its tables needs, cheap to copy to a worker thread.
RunData runHeader(const RunData &run);

// The file, relative to the run folder, that holds the snapshot of `step`.
std::string runSnapshotFile(std::int64_t step);

// Rewrites run.json (atomically) after `change` edited its settings: a rename, a colour.
void updateRunSettings(const std::string &dir, const std::function<void(RunSettings &)> &change);

// The embedding table recorded at `step` (float16 values, as float), row i the vocabulary's
// word i (<pad> left out unless includePad). Throws Error listing the recorded steps near it
// when none was recorded at `step`, or naming the file when it is damaged.
WordVectors readRunSnapshot(const RunData &run, std::int64_t step, bool includePad = true);
// The same from the file runSnapshotFile(step) names, whether or not run.snapshots lists it: a
// live run's newest steps are on disk before the run is read again. Throws Error naming the file
// when it is missing or damaged.
WordVectors readRunSnapshotFile(const RunData &run, std::int64_t step, bool includePad = true);

} // namespace embedlab
