#pragma once
// The text classification window: a labelled corpus (label<TAB>text, fastText's __label__ lines,
// or CSV with the label and text columns the user picks), the classifier's settings, training on
// ClassifierController's thread with the loss and accuracy of every epoch on the chart, the
// validation confusion matrix and per-class precision, recall and F1, the prediction for any text
// typed into a box, and the embedding on a map whose words are coloured by the class they pull
// towards (wordPull in core/classifier.h).
//
// The model owns the vocabulary: once a model exists (trained here or opened from a file), a
// corpus is read with its vocabulary and labels, and the text and shape settings are locked until
// New Model discards it.
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <vector>

#include "core/classifier.h"
#include "core/labelled.h"
#include "core/padding.h"
#include "core/pretrained.h"
#include "core/tokenizer.h"
#include "core/vocabulary.h"
#include "ui/backgroundtask.h"
#include "ui/classifiercontroller.h"

class QAction;
class QCheckBox;
class QComboBox;
class QCPGraph;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace embedlab {

class EmbeddingMap;

// Per-class figures from a confusion matrix (confusion[true][predicted]), as scikit-learn's
// classification_report gives them (a class never predicted has precision 0, never present
// recall 0).
struct ClassFigures
{
    double precision = 0, recall = 0, f1 = 0;
    std::int64_t support = 0;
};
std::vector<ClassFigures> classFigures(const std::vector<std::vector<std::int64_t>> &confusion);

class ClassifierWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit ClassifierWindow(QWidget *parent = nullptr);
    ~ClassifierWindow() override;

    // Reads a labelled corpus on a worker thread (corpusLoaded or corpusFailed). A CSV file's
    // header fills the column choices first.
    void openCorpus(const QString &path);
    void openSampleCorpus(); // Austen or Shakespeare? (resources/sample)
    void openModel(const QString &path); // a classifier checkpoint: modelLoaded or modelFailed
    bool saveModel(const QString &path); // atomically; modelSaved
    // Pre-trained vectors the next new model's embedding starts from: the import dialog (with
    // `path` read at once when given), its choices kept for New Model; clearVectors goes back
    // to a random embedding.
    void chooseVectors(const QString &path = QString());
    void clearVectors();
    void startTraining(); // a new model, or the current one trained further
    void pauseTraining();
    void resumeTraining();
    void stopTraining();
    // Discards the model (asking first when it is unsaved) and reads the corpus again with its
    // own vocabulary. Returns false when the user cancelled.
    bool newModel();
    // Before the model is replaced or the window closes: Save / Discard / Cancel when it has
    // unsaved training (prompt object name "discardPrompt"). True when it may go on.
    bool mayDiscardModel(const QString &consequence);

    const LabelledCorpus *corpus() const { return m_corpus.get(); }
    // The model the results, predictions and map show (a copy as of the last epoch, or the
    // model itself when no run holds it), or nullptr.
    std::shared_ptr<const TextClassifier<float>> shownModel() const { return m_shown; }
    const std::vector<std::string> &labels() const { return m_labels; }
    bool isModelDirty() const { return m_dirty; }
    QString modelPath() const { return m_modelPath; }
    ClassifierController *controller() const { return m_controller; }
    EmbeddingMap *embeddingMap() const { return m_map; }
    QCustomPlot *chart() const { return m_chart; }
    QTableWidget *confusionTable() const { return m_confusion; }
    QTableWidget *figuresTable() const { return m_figures; }
    QTableWidget *predictionTable() const { return m_predictions; }
    QPlainTextEdit *predictBox() const { return m_predictText; }
    QLabel *predictedLabel() const { return m_predicted; }
    // The class probabilities of the text in the predict box, in label order (empty without a
    // model).
    std::vector<double> predictedProbabilities() const { return m_lastProbabilities; }
    // The map's class per table row, as last computed (wordPull, neutral below the threshold).
    const WordPull &wordPullShown() const { return m_pull; }

signals:
    void corpusLoaded();
    void corpusFailed(const QString &message);
    void modelLoaded();
    void modelFailed(const QString &message);
    void modelSaved(const QString &path);
    void trainingFinished();
    void trainingFailed(const QString &message);
    void predictionUpdated();
    void mapColoured(); // the map's classes follow the model shown

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct CorpusRequest;
    void createActions();
    QWidget *createSettings();
    QWidget *createResults();
    QWidget *createPredict();
    QWidget *createMapTab();
    void createChart();
    void loadCorpus(const CorpusRequest &request);
    CorpusRequest currentRequest() const;
    void reloadCorpus(); // after a text setting or the columns changed
    void fillColumns(const QStringList &columns);
    void showCorpusSummary();
    void onProgress(const QVector<ClassifierBatchPoint> &points, const ClassifierProgress &p);
    void onEpoch(const ClassifierEpochSnapshot &epoch);
    void onFinished(const ClassifierRunSummary &summary);
    void showModel(std::shared_ptr<const TextClassifier<float>> model, bool live);
    void showEvaluation(const ClassifierEvaluation &evaluation);
    void evaluateShown(); // the validation figures of a model opened from a file
    void updatePrediction();
    void recolourMap();
    void updateActions();
    void clearChart();
    void updateTitle();
    ClassifierConfig configFromSettings() const;
    ClassifierTrainConfig trainConfigFromSettings() const;
    void applyModelSettings(
        const ClassifierConfig &config, const PadOptions &pad, const TokenizerOptions &tokenizer);
    void showError(const QString &title, const QString &message);
    // The Save dialog's name for a classifier of the corpus shown.
    QString suggestedModelName() const;
    QString dialogFolder() const;
    void showVectorsChoice(); // the embedding row: the file and what it covers of the corpus

    ClassifierController *m_controller = nullptr;
    std::shared_ptr<const LabelledCorpus> m_corpus;
    QString m_corpusPath; // "" for the bundled sample
    QString m_corpusName;
    QByteArray m_corpusBytes; // the bundled sample's text
    quint64 m_corpusGeneration = 0;

    // The model and what it was built with.
    std::shared_ptr<TextClassifier<float>> m_model; // trained in place by a run
    std::shared_ptr<const TextClassifier<float>> m_shown;
    std::shared_ptr<const Vocabulary> m_vocab;
    std::vector<std::string> m_labels;
    TokenizerOptions m_tokenizer;
    PadOptions m_pad; // maxLength as trained (0 before the first run: the longest example)
    int m_runMaxLength = 0; // the length the run in progress pads to
    TokenizerOptions m_corpusTokenizer; // what the corpus shown was read with
    QString m_modelPath;
    bool m_dirty = false;
    int m_epochsDone = 0; // over every run of this model, for the chart's x axis
    qint64 m_stepsDone = 0;
    std::vector<double> m_lastProbabilities;
    WordPull m_pull;
    std::unique_ptr<LatestTask> m_pullTask;
    bool m_mapNeedsTable = true; // the map has no table of this model's vocabulary yet
    // The vectors a new model's embedding starts from (null: random), and how.
    std::shared_ptr<const WordVectors> m_initVectors;
    QString m_initVectorsPath;
    UncoveredInit m_uncovered = UncoveredInit::Random;

    // Settings.
    QComboBox *m_format = nullptr, *m_labelColumn = nullptr, *m_textColumn = nullptr;
    QLabel *m_corpusLabel = nullptr, *m_summary = nullptr;
    QCheckBox *m_lowercase = nullptr;
    QComboBox *m_tokenizerMode = nullptr;
    QSpinBox *m_maxVocab = nullptr, *m_minCount = nullptr;
    QDoubleSpinBox *m_validShare = nullptr;
    QComboBox *m_cell = nullptr, *m_pooling = nullptr;
    QSpinBox *m_embeddingDim = nullptr, *m_hidden = nullptr, *m_layers = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QLabel *m_vectorsLabel = nullptr;
    QPushButton *m_vectorsButton = nullptr, *m_clearVectorsButton = nullptr;
    QCheckBox *m_freeze = nullptr;
    QComboBox *m_padding = nullptr, *m_truncating = nullptr, *m_optimizer = nullptr;
    QDoubleSpinBox *m_lr = nullptr, *m_clip = nullptr;
    QSpinBox *m_batch = nullptr, *m_epochs = nullptr, *m_seed = nullptr;
    QPushButton *m_startButton = nullptr, *m_pauseButton = nullptr, *m_stopButton = nullptr,
                *m_newButton = nullptr;
    QList<QWidget *> m_modelOwned; // locked while a model exists

    // Views.
    QTabWidget *m_tabs = nullptr;
    QCustomPlot *m_chart = nullptr;
    QCPGraph *m_batchLoss = nullptr, *m_trainLoss = nullptr, *m_validLoss = nullptr,
             *m_trainAccuracy = nullptr, *m_validAccuracy = nullptr;
    QTableWidget *m_confusion = nullptr, *m_figures = nullptr, *m_predictions = nullptr;
    QLabel *m_resultsCaption = nullptr;
    QPlainTextEdit *m_predictText = nullptr;
    QLabel *m_predicted = nullptr, *m_unknown = nullptr;
    QTimer *m_predictTimer = nullptr;
    EmbeddingMap *m_map = nullptr;
    QLabel *m_legend = nullptr;
    QDoubleSpinBox *m_pullThreshold = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_progress = nullptr;

    QAction *m_openAct = nullptr, *m_sampleAct = nullptr, *m_openModelAct = nullptr,
            *m_saveAct = nullptr, *m_saveAsAct = nullptr, *m_startAct = nullptr,
            *m_pauseAct = nullptr, *m_stopAct = nullptr, *m_newAct = nullptr;
};

} // namespace embedlab
