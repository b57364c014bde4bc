#pragma once
// Plain values that cross from the training thread to the views (never pointers into the live
// model): loss points, epoch results, status, copies of the embedding table.
#include <QMetaType>
#include <QString>
#include <QVector>

#include <memory>

#include "core/trainer.h"
#include "core/wordvectors.h"

namespace embedlab {

struct LossPoint
{
    qint64 step = 0;
    double tokens = 0;
    double seconds = 0;
    double loss = 0;
    double lr = 0;
    double gradNorm = 0;
    int epoch = 0;
};

struct EpochPoint
{
    int epoch = 0;
    qint64 step = 0;
    double tokens = 0;
    double seconds = 0;
    double trainLoss = 0;
    double validLoss = 0; // NaN without validation data
    double validPerplexity = 0;
    double lr = 0; // for the next epoch
    bool lrCut = false;
};

struct TrainingStatus
{
    int epoch = 0;
    int epochs = 0;
    qint64 step = 0;
    qint64 firstStep = 0; // the run's step when this training started (a continued run's > 0)
    qint64 totalSteps = 0; // the step this training ends at
    double tokensPerSec = 0;
    double etaSeconds = 0;
    double lr = 0;
};

// An immutable copy of the embedding table at a training step, shared by the views.
struct EmbeddingSnapshot
{
    qint64 step = 0;
    std::shared_ptr<const WordVectors> table;
};

struct TrainingSummary
{
    double trainLoss = 0;
    double validLoss = 0;
    double validPerplexity = 0;
    double tokensPerSec = 0;
    double seconds = 0;
    qint64 steps = 0;
    int epochsCompleted = 0;
    bool stopped = false;
    bool diverged = false;
    QString message;
    QString notice; // how a continued run went on when not exactly (TrainResult::notice)
    // Where the run stands now: Start goes on from here.
    std::shared_ptr<const TrainState<float>> state;
};

} // namespace embedlab

Q_DECLARE_METATYPE(embedlab::LossPoint)
Q_DECLARE_METATYPE(embedlab::EpochPoint)
Q_DECLARE_METATYPE(embedlab::TrainingStatus)
Q_DECLARE_METATYPE(embedlab::EmbeddingSnapshot)
Q_DECLARE_METATYPE(embedlab::TrainingSummary)
