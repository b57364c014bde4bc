#pragma once
// Owns the text classifier's training thread, as TrainingController does the language model's:
// start hands the examples and a model to a worker on its own QThread; pause, resume and stop are
// flags set on the trainer directly; progress comes back as value snapshots (batch losses, each
// epoch's figures with a copy of the model as it ended the epoch).
#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QThread>
#include <QVector>

#include <memory>

#include "core/classifier.h"
#include "core/labelled.h"

namespace embedlab {

struct ClassifierBatchPoint
{
    double epoch = 0; // fractional: 1.5 is halfway through the first epoch... of the run
    qint64 step = 0;
    double loss = 0;
};

struct ClassifierProgress
{
    int epoch = 0, epochs = 0;
    qint64 step = 0, batch = 0, batches = 0;
    double seconds = 0;
    double examplesPerSecond = 0;
    int maxLength = 0; // the length the rows are padded or cut to
};

struct ClassifierEpochSnapshot
{
    int epoch = 0;
    qint64 step = 0;
    double seconds = 0;
    double trainLoss = 0, trainAccuracy = 0;
    ClassifierEvaluation valid;
    std::shared_ptr<const TextClassifier<float>> model; // as it ended the epoch
};

struct ClassifierRunSummary
{
    ClassifierTrainResult result;
    int maxLength = 0; // the rows were padded or cut to this length
    std::shared_ptr<const TextClassifier<float>> model; // as the run left it
};

class ClassifierController : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxUpdatesPerSecond = 25;
    // Model copies per second at most within an epoch, for the map and the predictions.
    static constexpr double ModelCopiesPerSecond = 0.5;

    explicit ClassifierController(QObject *parent = nullptr);
    ~ClassifierController() override; // stops a run and waits for the thread

    bool isRunning() const { return m_running; }
    bool isPaused() const;

    // Trains `model` on the examples; the model belongs to the worker until finished() or
    // failed().
    void start(std::shared_ptr<const LabelledCorpus> corpus,
        std::shared_ptr<TextClassifier<float>> model, const ClassifierTrainConfig &config);
    void pause();
    void resume();
    void stop();

signals:
    void started();
    void progressAvailable(const QVector<embedlab::ClassifierBatchPoint> &points,
        const embedlab::ClassifierProgress &progress);
    void epochFinished(const embedlab::ClassifierEpochSnapshot &epoch);
    // A copy of the model within an epoch (at most ModelCopiesPerSecond).
    void modelAvailable(std::shared_ptr<const embedlab::TextClassifier<float>> model);
    void pausedChanged(bool paused);
    void finished(const embedlab::ClassifierRunSummary &summary);
    void failed(const QString &message);

private:
    QThread m_thread;
    QObject *m_worker = nullptr; // lives in m_thread
    std::shared_ptr<ClassifierTrainer<float>> m_trainer;
    bool m_running = false;
};

} // namespace embedlab

Q_DECLARE_METATYPE(embedlab::ClassifierBatchPoint)
Q_DECLARE_METATYPE(embedlab::ClassifierProgress)
Q_DECLARE_METATYPE(embedlab::ClassifierEpochSnapshot)
Q_DECLARE_METATYPE(embedlab::ClassifierRunSummary)
