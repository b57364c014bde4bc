#pragma once
// Import pre-trained vectors: pick a file, the format is detected (or chosen), the file is read
// on a worker thread with progress and Cancel, then the import report and the coverage of the
// current corpus are shown and the user chooses to explore the vectors or to initialise the
// model's embedding from them.
#include <QDialog>

#include <atomic>
#include <memory>

#include "core/pretrained.h"
#include "core/vectors/vectors.h"
#include "core/vocabulary.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTextBrowser;

namespace embedlab {

class ImportVectorsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Use { Explore, InitEmbedding };

    // vocab: the current corpus vocabulary for the coverage (may be null).
    ImportVectorsDialog(
        std::shared_ptr<const Vocabulary> vocab, int modelEmbeddingDim, QWidget *parent = nullptr);
    ~ImportVectorsDialog() override;

    void setPath(const QString &path);
    void startImport(); // reads the chosen file (also started by the Import button)
    // For a model being set up elsewhere (the classifier window): the vectors only initialise
    // the embedding, so the choice to explore them is hidden; `randomNote` says what "random"
    // draws there.
    void setInitialiseOnly(const QString &randomNote);

    std::shared_ptr<const WordVectors> vectors() const { return m_vectors; }
    const ImportReport &report() const { return m_report; }
    // What the dialog shows the user: the memory estimate and progress while reading, then the
    // import report, or why the file could not be read.
    QString reportText() const;
    bool isReading() const { return m_reading; }
    QString path() const;
    Use use() const;
    bool frozen() const;
    bool adoptDimension() const;
    UncoveredInit uncoveredInit() const;

signals:
    void importFinished(bool ok);

private:
    void browse();
    void showReport();
    void setReading(bool reading);
    void cancelRead();

    std::shared_ptr<const Vocabulary> m_vocab;
    int m_modelDim;
    QLineEdit *m_path;
    QComboBox *m_format;
    QSpinBox *m_limit;
    QPushButton *m_import, *m_cancel;
    QProgressBar *m_progress;
    QTextBrowser *m_reportView;
    QRadioButton *m_explore, *m_init;
    QCheckBox *m_frozen, *m_adopt;
    QComboBox *m_uncovered;
    QDialogButtonBox *m_buttons;
    // Shared with the worker reading the file: cancel flag, progress, and the memory estimate
    // made before the rows are read.
    struct ReadState
    {
        std::atomic<bool> cancel { false };
        std::atomic<int> permille { 0 };
        std::atomic<bool> estimated { false };
        std::atomic<std::uint64_t> rows { 0 }, bytes { 0 }, memory { 0 };
        std::atomic<int> dim { 0 };
    };
    std::shared_ptr<ReadState> m_read;
    class QTimer *m_poll = nullptr;
    bool m_estimateShown = false;
    void pollRead();
    std::shared_ptr<const WordVectors> m_vectors;
    ImportReport m_report;
    Coverage m_coverage;
    bool m_reading = false;
};

// The open dialog's filters: every readable format's extensions (and gzip), then all files.
QString vectorImportFilters();
// The save dialog's filters for the writable formats of vectorFormats(), the default first.
QString vectorExportFilters();

} // namespace embedlab
