#include "ui/importvectorsdialog.h"

#include "ui/backgroundtask.h"
#include "ui/filedialogs.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMetaObject>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include "core/corpus.h"

namespace embedlab {

namespace {

// The format table's labels (core/vectors/*.cpp), for Qt Linguist: the dialogs show them
// through tr(f.label).
[[maybe_unused]] const char *const FormatLabels[] = {
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "GloVe text"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "word2vec text"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "word2vec binary"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "fastText .vec"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "fastText model (.bin)"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "Embedding Projector TSV"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "Embedding Lab model"),
    QT_TRANSLATE_NOOP("embedlab::ImportVectorsDialog", "NumPy matrix (.npy) + vocabulary"),
};

} // namespace

namespace {

// "*.txt *.bin ... *.gz": a pattern for the last part of every format's extensions, and gzip.
QString readableVectorPatterns()
{
    QStringList patterns;
    for (const VectorFormatInfo &f : vectorFormats()) {
        for (const std::string &ext : f.extensions) {
            const QString last = QString::fromStdString(ext).section(QLatin1Char('.'), -1);
            const QString pattern = QStringLiteral("*.") + last;
            if (!patterns.contains(pattern))
                patterns << pattern;
        }
    }
    patterns << QStringLiteral("*.gz");
    return patterns.join(QLatin1Char(' '));
}

struct ReadResult
{
    std::shared_ptr<const WordVectors> vectors;
    ImportReport report;
    QString error;
    bool cancelled = false;
};

QString problemLine(const QString &what, const ProblemCount &p)
{
    if (p.count == 0)
        return {};
    QStringList lines;
    for (auto l : p.firstLines)
        lines << QString::number(l);
    return QObject::tr("<li>%1: %2 (lines %3%4)</li>")
        .arg(what)
        .arg(p.count)
        .arg(lines.join(QStringLiteral(", ")))
        .arg(p.count > p.firstLines.size() ? QStringLiteral(", ...") : QString());
}

const char LastFileKey[] = "files/lastVectors";

} // namespace

ImportVectorsDialog::ImportVectorsDialog(
    std::shared_ptr<const Vocabulary> vocab, int modelEmbeddingDim, QWidget *parent)
    : QDialog(parent)
    , m_vocab(std::move(vocab))
    , m_modelDim(modelEmbeddingDim)
{
    setWindowTitle(tr("Import Word Vectors"));
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(
        tr("GloVe, word2vec, fastText (.vec, .bin), Projector TSV, .npy or .safetensors"));
    auto *browseButton = new QPushButton(tr("Browse..."), this);
    m_format = new QComboBox(this);
    m_format->addItem(tr("Detect from the content"), int(VectorFormat::Auto));
    for (const VectorFormatInfo &f : vectorFormats())
        m_format->addItem(tr(f.label), int(f.id));
    m_limit = new QSpinBox(this);
    m_limit->setRange(0, 100000000);
    m_limit->setSingleStep(10000);
    m_limit->setSpecialValueText(tr("all"));
    m_import = new QPushButton(tr("&Import"), this);
    m_cancel = new QPushButton(tr("Cancel Reading"), this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_reportView = new QTextBrowser(this);
    m_reportView->setMinimumHeight(180);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browseButton);
    auto *form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Read at most:"), m_limit);
    auto *readRow = new QHBoxLayout;
    readRow->addWidget(m_progress, 1);
    readRow->addWidget(m_import);
    readRow->addWidget(m_cancel);

    auto *useBox = new QGroupBox(tr("Use the vectors"), this);
    m_explore = new QRadioButton(tr("Explore them on their own (map and neighbours)"), useBox);
    m_init = new QRadioButton(tr("Initialise the model's embedding from them"), useBox);
    m_explore->setChecked(true);
    m_frozen = new QCheckBox(tr("Keep the embedding frozen while training"), useBox);
    m_adopt = new QCheckBox(tr("Let the model adopt the file's dimension"), useBox);
    m_adopt->setChecked(true);
    m_uncovered = new QComboBox(useBox);
    m_uncovered->addItem(tr("random, like the layer's default"), int(UncoveredInit::Random));
    m_uncovered->addItem(tr("zeros"), int(UncoveredInit::Zeros));
    m_uncovered->addItem(tr("the mean vector"), int(UncoveredInit::Mean));
    auto *useLayout = new QFormLayout(useBox);
    useLayout->addRow(m_explore);
    useLayout->addRow(m_init);
    useLayout->addRow(QString(), m_frozen);
    useLayout->addRow(QString(), m_adopt);
    useLayout->addRow(tr("Words not covered start as:"), m_uncovered);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(readRow);
    layout->addWidget(m_reportView, 1);
    layout->addWidget(useBox);
    layout->addWidget(m_buttons);

    connect(browseButton, &QPushButton::clicked, this, &ImportVectorsDialog::browse);
    connect(m_import, &QPushButton::clicked, this, &ImportVectorsDialog::startImport);
    connect(m_path, &QLineEdit::returnPressed, this, &ImportVectorsDialog::startImport);
    connect(m_cancel, &QPushButton::clicked, this, &ImportVectorsDialog::cancelRead);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        cancelRead();
        reject();
    });
    auto updateUse = [this] {
        const bool init = m_init->isChecked();
        m_frozen->setEnabled(init);
        m_adopt->setEnabled(init);
        m_uncovered->setEnabled(init);
    };
    connect(m_init, &QRadioButton::toggled, this, updateUse);
    m_init->setEnabled(m_vocab != nullptr);
    if (!m_vocab)
        m_init->setToolTip(tr("Open a corpus first: the embedding is built for its vocabulary"));
    updateUse();
    // The file read last, for the next import of it (another is one Browse away).
    if (const QString last = QSettings().value(QLatin1String(LastFileKey)).toString();
        QFileInfo(last).isFile())
        m_path->setText(QDir::toNativeSeparators(last));
    setReading(false);
    resize(640, 560);
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &ImportVectorsDialog::pollRead);
}

ImportVectorsDialog::~ImportVectorsDialog()
{
    cancelRead();
}

void ImportVectorsDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

void ImportVectorsDialog::setInitialiseOnly(const QString &randomNote)
{
    setWindowTitle(tr("Initialise the Embedding"));
    m_init->setChecked(true);
    m_explore->hide();
    m_init->hide(); // the only use left
    m_uncovered->setItemText(0, randomNote);
}

QString ImportVectorsDialog::path() const
{
    return m_path->text().trimmed();
}

ImportVectorsDialog::Use ImportVectorsDialog::use() const
{
    return m_init->isChecked() ? Use::InitEmbedding : Use::Explore;
}

bool ImportVectorsDialog::frozen() const
{
    return m_frozen->isChecked();
}

bool ImportVectorsDialog::adoptDimension() const
{
    return m_adopt->isChecked();
}

UncoveredInit ImportVectorsDialog::uncoveredInit() const
{
    return static_cast<UncoveredInit>(m_uncovered->currentData().toInt());
}

void ImportVectorsDialog::browse()
{
    const QString file
        = rememberDialogPath(QFileDialog::getOpenFileName(this, tr("Import Word Vectors"),
            path().isEmpty() ? lastDialogFolder() : path(), vectorImportFilters()));
    if (!file.isEmpty()) {
        m_path->setText(file);
        startImport();
    }
}

void ImportVectorsDialog::setReading(bool reading)
{
    m_reading = reading;
    m_import->setEnabled(!reading);
    m_cancel->setEnabled(reading);
    m_progress->setVisible(reading);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!reading && m_vectors != nullptr);
}

void ImportVectorsDialog::cancelRead()
{
    if (m_read)
        m_read->cancel = true;
}

void ImportVectorsDialog::startImport()
{
    if (m_reading || path().isEmpty())
        return;
    m_vectors.reset();
    m_progress->setValue(0);
    m_reportView->setHtml(tr("<p>Reading %1...</p>").arg(path().toHtmlEscaped()));
    auto state = std::make_shared<ReadState>();
    m_read = state;
    m_estimateShown = false;
    setReading(true);
    m_poll->start();

    ImportOptions options;
    options.format = static_cast<VectorFormat>(m_format->currentData().toInt());
    options.limit = static_cast<std::uint64_t>(m_limit->value());
    options.progress = [state](std::uint64_t done, std::uint64_t total) {
        if (total > 0)
            state->permille
                = static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total));
        return !state->cancel.load();
    };
    const std::string file = QFile::encodeName(path()).toStdString();
    auto vocab = m_vocab;
    runInBackground<ReadResult>(
        this,
        [file, options, state]() -> ReadResult {
            ReadResult r;
            try {
                // State the memory the table needs before reading it (readVectors refuses a table
                // larger than the machine's memory with the same figures).
                try {
                    const MemoryEstimate e = estimateVectorMemory(file, options);
                    state->rows = e.rows;
                    state->dim = e.dim;
                    state->bytes = e.bytes;
                    state->memory = e.memory;
                    state->estimated = true;
                } catch (const Error &) {
                    // readVectors reports the same problem with its line.
                }
                ImportReport report;
                auto table
                    = std::make_shared<const WordVectors>(readVectors(file, options, &report));
                r.vectors = std::move(table);
                r.report = report;
            } catch (const Cancelled &) {
                r.cancelled = true;
            } catch (const std::bad_alloc &) {
                r.error = tr("Not enough memory for this table.");
            } catch (const std::exception &e) {
                r.error = QString::fromStdString(e.what());
            }
            return r;
        },
        [this, vocab](std::shared_ptr<ReadResult> result, QString error) {
            ReadResult r = result ? *result : ReadResult();
            if (!result)
                r.error = error;
            m_poll->stop();
            m_read.reset();
            if (r.vectors) {
                // The next import starts from this file.
                QSettings().setValue(
                    QLatin1String(LastFileKey), QFileInfo(path()).absoluteFilePath());
                m_vectors = r.vectors;
                m_report = r.report;
                m_coverage = vocab ? computeCoverage(*vocab, *r.vectors) : Coverage();
                showReport();
            } else if (r.cancelled) {
                m_reportView->setHtml(tr("<p>Reading cancelled; nothing was imported.</p>"));
            } else {
                m_reportView->setHtml(tr("<p><b>Could not import the file.</b></p><p>%1</p>")
                                          .arg(r.error.toHtmlEscaped()));
            }
            setReading(false);
            emit importFinished(r.vectors != nullptr);
        });
}

void ImportVectorsDialog::pollRead()
{
    if (!m_read)
        return;
    m_progress->setValue(m_read->permille.load());
    if (m_read->estimated.load() && !m_estimateShown) {
        m_estimateShown = true;
        const QLocale loc;
        const auto rows = m_read->rows.load();
        const QString what = rows > 0 && m_read->dim.load() > 0
            ? tr("about %1 × %2 vectors")
                  .arg(loc.toString(static_cast<qulonglong>(rows)))
                  .arg(m_read->dim.load())
            : tr("a model checkpoint");
        m_reportView->setHtml(
            tr("<p>Reading %1...</p><p>%2, needing about %3 of memory (this "
               "machine has %4).</p>")
                .arg(path().toHtmlEscaped(), what,
                    loc.formattedDataSize(static_cast<qint64>(m_read->bytes.load())),
                    loc.formattedDataSize(static_cast<qint64>(m_read->memory.load()))));
    }
}

QString ImportVectorsDialog::reportText() const
{
    return m_reportView->toPlainText();
}

void ImportVectorsDialog::showReport()
{
    const QLocale loc;
    const ImportReport &r = m_report;
    QString html = tr("<p><b>%1</b>: %2 words × %3 dimensions, %4 format%5, read in %6 s.</p>")
                       .arg(QFileInfo(path()).fileName().toHtmlEscaped())
                       .arg(loc.toString(static_cast<qulonglong>(r.rows)))
                       .arg(r.dim)
                       .arg(QString::fromLatin1(vectorFormatName(r.format)))
                       .arg(r.gzip ? tr(", gzip") : QString())
                       .arg(r.seconds, 0, 'f', 2);
    const QString tableSize = loc.formattedDataSize(static_cast<qint64>(
        r.rows * static_cast<std::uint64_t>(std::max(r.dim, 0)) * sizeof(float)));
    // A model file (fastText .bin) gives its memory but no row count before it is read.
    if (r.estimatedBytes > 0 && r.estimatedRows > 0)
        html += tr(
            "<p>Estimated before reading: about %1 rows, %2 of memory; the table takes %3.</p>")
                    .arg(loc.toString(static_cast<qulonglong>(r.estimatedRows)),
                        loc.formattedDataSize(static_cast<qint64>(r.estimatedBytes)), tableSize);
    else if (r.estimatedBytes > 0)
        html += tr("<p>Estimated before reading: %1 of memory; the table takes %2.</p>")
                    .arg(loc.formattedDataSize(static_cast<qint64>(r.estimatedBytes)), tableSize);
    QString problems = problemLine(tr("Duplicate words (first kept)"), r.duplicates)
        + problemLine(tr("Invalid UTF-8 (replaced)"), r.invalidUtf8)
        + problemLine(tr("Words containing spaces"), r.tokensWithSpaces)
        + problemLine(tr("Lines with the wrong number of fields (skipped)"), r.wrongFieldCount)
        + problemLine(tr("Lines with a field that is not a number (skipped)"), r.badNumbers)
        + problemLine(tr("Lines with NaN or infinite values (skipped)"), r.nonFinite)
        + problemLine(tr("Blank lines"), r.emptyLines);
    if (r.headerCountMismatch)
        problems += tr("<li>The header announces %1 words but the file has %2.</li>")
                        .arg(r.headerRows)
                        .arg(r.rowsInFile);
    if (r.truncated)
        problems += tr("<li>The file is truncated; the complete rows were kept.</li>");
    if (r.limited)
        problems += tr("<li>Stopped at the word limit.</li>");
    html += problems.isEmpty() ? tr("<p>No problems found.</p>")
                               : tr("<p>Problems:</p><ul>%1</ul>").arg(problems);
    if (m_vocab) {
        const Coverage &c = m_coverage;
        html += tr("<p>Coverage of the corpus: %1 of %2 words (%3%), %4% of its tokens.</p>")
                    .arg(loc.toString(static_cast<qulonglong>(c.coveredWords)))
                    .arg(loc.toString(static_cast<qulonglong>(c.words)))
                    .arg(100.0 * c.wordShare(), 0, 'f', 1)
                    .arg(100.0 * c.tokenShare(), 0, 'f', 1);
        if (c.ngramWords > 0)
            html += tr("<p>%1 of the covered words are not in the model's vocabulary: their "
                       "vectors come from their character n-grams, as fastText gives them.</p>")
                        .arg(loc.toString(static_cast<qulonglong>(c.ngramWords)));
        if (!c.topMissing.empty()) {
            QStringList missing;
            for (const auto &[w, n] : c.topMissing)
                missing << QStringLiteral("%1 (%2)")
                               .arg(QString::fromStdString(w).toHtmlEscaped())
                               .arg(n);
            html += tr("<p>Most frequent words not covered: %1</p>")
                        .arg(missing.join(QStringLiteral(", ")));
        }
        if (m_modelDim != r.dim)
            html += tr("<p>The model's embedding has %1 dimensions, the vectors %2: to initialise "
                       "from them, let the model adopt the file's dimension.</p>")
                        .arg(m_modelDim)
                        .arg(r.dim);
    }
    m_reportView->setHtml(html);
}

QString vectorImportFilters()
{
    return ImportVectorsDialog::tr("Word vectors (%1);;All files (*)")
        .arg(readableVectorPatterns());
}

QString vectorExportFilters()
{
    // The default export, word2vec text, first: the file dialog starts with the first filter.
    const VectorFormat first = exportFormatForPath({});
    QStringList filters;
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (!f.write)
            continue;
        QStringList patterns;
        for (const std::string &ext : f.extensions)
            patterns << QStringLiteral("*.") + QString::fromStdString(ext);
        const QString filter = QStringLiteral("%1 (%2)").arg(
            ImportVectorsDialog::tr(f.label), patterns.join(QLatin1Char(' ')));
        if (f.id == first)
            filters.prepend(filter);
        else
            filters << filter;
    }
    return filters.join(QStringLiteral(";;"));
}

} // namespace embedlab
