#include "ui/classifiercontroller.h"

#include <QElapsedTimer>

#include "ui/backgroundtask.h"

namespace embedlab {

namespace {

// Runs on the training thread: trains, and hands value snapshots to the controller's thread.
void trainOnWorker(ClassifierController *controller, std::shared_ptr<const LabelledCorpus> corpus,
    std::shared_ptr<TextClassifier<float>> model, std::shared_ptr<ClassifierTrainer<float>> trainer,
    int epochs, std::function<void(std::function<void()>)> deliver)
{
    QElapsedTimer sinceEmit, sinceCopy;
    sinceEmit.start();
    sinceCopy.start();
    QVector<ClassifierBatchPoint> pending;
    qint64 examplesSeen = 0;
    const auto trainCount = static_cast<qint64>(corpus->train.size());
    const auto callback = [&](const ClassifierEvent &e) {
        if (e.kind == ClassifierEvent::Kind::Batch) {
            const double within = e.batches > 0
                ? static_cast<double>(e.batch) / static_cast<double>(e.batches)
                : 1.0;
            pending.append({ e.epoch - 1 + within, e.step, e.loss });
            examplesSeen = static_cast<qint64>((e.epoch - 1 + within) * trainCount);
            const bool last = e.batch == e.batches;
            if (last || sinceEmit.elapsed() >= 1000 / ClassifierController::MaxUpdatesPerSecond
                || e.step == 1) {
                ClassifierProgress p;
                p.epoch = e.epoch;
                p.epochs = epochs;
                p.step = e.step;
                p.batch = e.batch;
                p.batches = e.batches;
                p.maxLength = trainer->maxLength();
                p.seconds = e.seconds;
                p.examplesPerSecond
                    = e.seconds > 0 ? static_cast<double>(examplesSeen) / e.seconds : 0;
                deliver(
                    [controller, points = std::exchange(pending, QVector<ClassifierBatchPoint>()),
                        p] { emit controller->progressAvailable(points, p); });
                sinceEmit.restart();
            }
            if (!last && sinceCopy.elapsed() >= 1000 / ClassifierController::ModelCopiesPerSecond) {
                auto copy = std::make_shared<const TextClassifier<float>>(*model);
                deliver([controller, copy] { emit controller->modelAvailable(copy); });
                sinceCopy.restart();
            }
            return;
        }
        ClassifierEpochSnapshot s;
        s.epoch = e.epoch;
        s.step = e.step;
        s.seconds = e.seconds;
        s.trainLoss = e.trainLoss;
        s.trainAccuracy = e.trainAccuracy;
        s.valid = e.valid;
        s.model = std::make_shared<const TextClassifier<float>>(*model);
        sinceCopy.restart();
        deliver([controller, s] { emit controller->epochFinished(s); });
    };
    try {
        ClassifierRunSummary summary;
        summary.result = trainer->run(corpus->train, corpus->valid, callback);
        summary.maxLength = trainer->maxLength();
        summary.model = std::make_shared<const TextClassifier<float>>(*model);
        deliver([controller, points = std::exchange(pending, QVector<ClassifierBatchPoint>()),
                    summary] {
            if (!points.isEmpty())
                emit controller->progressAvailable(points, ClassifierProgress {});
            emit controller->finished(summary);
        });
    } catch (const std::bad_alloc &) {
        deliver([controller] { emit controller->failed(QObject::tr("Not enough memory.")); });
    } catch (const std::exception &e) {
        deliver([controller, message = QString::fromStdString(e.what())] {
            emit controller->failed(message);
        });
    }
}

} // namespace

ClassifierController::ClassifierController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ClassifierBatchPoint>();
    qRegisterMetaType<QVector<ClassifierBatchPoint>>();
    qRegisterMetaType<ClassifierProgress>();
    qRegisterMetaType<ClassifierEpochSnapshot>();
    qRegisterMetaType<ClassifierRunSummary>();
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // The run's end clears the flags before the views hear of it.
    connect(this, &ClassifierController::finished, this, [this] {
        m_running = false;
        m_trainer.reset();
    });
    connect(this, &ClassifierController::failed, this, [this] {
        m_running = false;
        m_trainer.reset();
    });
    m_thread.setObjectName(QStringLiteral("classifier training"));
    m_thread.start();
}

ClassifierController::~ClassifierController()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool ClassifierController::isPaused() const
{
    return m_trainer && m_trainer->isPaused();
}

void ClassifierController::start(std::shared_ptr<const LabelledCorpus> corpus,
    std::shared_ptr<TextClassifier<float>> model, const ClassifierTrainConfig &config)
{
    if (m_running)
        return;
    std::shared_ptr<ClassifierTrainer<float>> trainer;
    try {
        trainer = std::make_shared<ClassifierTrainer<float>>(*model, config);
    } catch (const std::exception &e) {
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    m_trainer = trainer;
    m_running = true;
    emit started();
    const int epochs = config.epochs;
    postToThreadOf(m_worker, [this, corpus, model, trainer, epochs] {
        trainOnWorker(this, corpus, model, trainer, epochs,
            [this](std::function<void()> f) { postToThreadOf(this, std::move(f)); });
    });
}

void ClassifierController::pause()
{
    if (m_running && m_trainer && !m_trainer->isPaused()) {
        m_trainer->setPaused(true);
        emit pausedChanged(true);
    }
}

void ClassifierController::resume()
{
    if (m_running && m_trainer && m_trainer->isPaused()) {
        m_trainer->setPaused(false);
        emit pausedChanged(false);
    }
}

void ClassifierController::stop()
{
    if (m_trainer)
        m_trainer->requestStop(); // also wakes a paused run
}

} // namespace embedlab
