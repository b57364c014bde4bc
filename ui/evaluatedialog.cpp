#include "ui/evaluatedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

#include "core/neighbors.h"
#include "ui/backgroundtask.h"
#include "ui/filedialogs.h"

namespace embedlab {
namespace {

QString figure(double value)
{
    return std::isnan(value) ? EvaluateDialog::tr("undefined") : QLocale().toString(value, 'f', 4);
}

QTableWidgetItem *numberItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

EvaluateDialog::EvaluateDialog(QWidget *parent)
    : QDialog(parent)
    , m_tableLabel(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_restrict(new QSpinBox(this))
    , m_caseInsensitive(new QCheckBox(tr("Ignore case, as gensim does"), this))
    , m_pairsFile(new QLineEdit(this))
    , m_pairsButton(new QPushButton(tr("Evaluate"), this))
    , m_pairsResult(new QLabel(this))
    , m_questionsFile(new QLineEdit(this))
    , m_method(new QComboBox(this))
    , m_analogyButton(new QPushButton(tr("Evaluate"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_analogyStatus(new QLabel(this))
    , m_sections(new QTableWidget(0, 5, this))
    , m_progressTimer(new QTimer(this))
{
    setWindowTitle(tr("Evaluate Vectors"));
    setObjectName(QStringLiteral("evaluateDialog"));
    m_tableLabel->setObjectName(QStringLiteral("evaluateTableLabel"));
    m_tableLabel->setWordWrap(true);

    m_restrict->setObjectName(QStringLiteral("evaluateRestrict"));
    m_restrict->setRange(0, 100000000);
    m_restrict->setSingleStep(10000);
    m_restrict->setValue(static_cast<int>(DefaultPairsRestrict));
    m_restrict->setSpecialValueText(tr("every word"));
    m_restrict->setGroupSeparatorShown(true);
    m_restrict->setToolTip(tr("Only the most frequent words take part (gensim's restrict_vocab, "
                              "300,000 by default); a question or pair with another word is "
                              "skipped and counted"));
    m_caseInsensitive->setObjectName(QStringLiteral("evaluateCaseInsensitive"));
    m_caseInsensitive->setChecked(true);
    auto *common = new QFormLayout;
    common->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    common->addRow(tr("Most frequent words:"), m_restrict);
    common->addRow(QString(), m_caseInsensitive);

    // Word pairs.
    auto *pairsPage = new QWidget(m_tabs);
    m_pairsFile->setObjectName(QStringLiteral("pairsFile"));
    m_pairsFile->setPlaceholderText(tr("word TAB word TAB score per line, as WordSim-353"));
    auto *pairsBrowse = new QPushButton(tr("Browse..."), pairsPage);
    connect(pairsBrowse, &QPushButton::clicked, this, [this] {
        browse(m_pairsFile, tr("Word Pairs File"),
            tr("Word pairs (*.tsv *.txt *.csv);;All files (*)"));
    });
    m_pairsButton->setObjectName(QStringLiteral("evaluatePairsButton"));
    connect(m_pairsButton, &QPushButton::clicked, this, &EvaluateDialog::evaluatePairs);
    m_pairsResult->setObjectName(QStringLiteral("pairsResult"));
    m_pairsResult->setWordWrap(true);
    m_pairsResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pairsResult->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_pairsResult->setText(tr("Choose a file of scored word pairs (WordSim-353, SimLex-999) and "
                              "press Evaluate."));
    auto *pairsRow = new QHBoxLayout;
    pairsRow->addWidget(m_pairsFile, 1);
    pairsRow->addWidget(pairsBrowse);
    pairsRow->addWidget(m_pairsButton);
    auto *pairsLayout = new QVBoxLayout(pairsPage);
    pairsLayout->addLayout(pairsRow);
    pairsLayout->addWidget(m_pairsResult, 1);
    m_tabs->addTab(pairsPage, tr("Word pairs"));

    // Analogies.
    auto *analogyPage = new QWidget(m_tabs);
    m_questionsFile->setObjectName(QStringLiteral("questionsFile"));
    m_questionsFile->setPlaceholderText(tr("\": section\" lines, then a b c d per line"));
    auto *questionsBrowse = new QPushButton(tr("Browse..."), analogyPage);
    connect(questionsBrowse, &QPushButton::clicked, this, [this] {
        browse(m_questionsFile, tr("Analogy Questions File"),
            tr("Analogy questions (*.txt);;All files (*)"));
    });
    m_method->setObjectName(QStringLiteral("evaluateMethod"));
    m_method->addItem(tr("3CosAdd (gensim's most_similar)"));
    m_method->addItem(tr("3CosMul (Levy and Goldberg)"));
    m_analogyButton->setObjectName(QStringLiteral("evaluateAnalogiesButton"));
    connect(m_analogyButton, &QPushButton::clicked, this, &EvaluateDialog::evaluateAnalogies);
    m_cancelButton->setObjectName(QStringLiteral("evaluateCancelButton"));
    m_cancelButton->setEnabled(false);
    connect(m_cancelButton, &QPushButton::clicked, this, &EvaluateDialog::cancel);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_analogyStatus->setObjectName(QStringLiteral("analogyStatus"));
    m_analogyStatus->setWordWrap(true);
    m_analogyStatus->setText(
        tr("Choose an analogy questions file (questions-words.txt) and press Evaluate."));
    m_sections->setObjectName(QStringLiteral("analogySections"));
    m_sections->setHorizontalHeaderLabels(
        { tr("Section"), tr("Correct"), tr("Answered"), tr("Skipped"), tr("Accuracy") });
    m_sections->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 5; ++c)
        m_sections->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_sections->verticalHeader()->setVisible(false);
    m_sections->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sections->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto *questionsRow = new QHBoxLayout;
    questionsRow->addWidget(m_questionsFile, 1);
    questionsRow->addWidget(questionsBrowse);
    auto *methodRow = new QHBoxLayout;
    methodRow->addWidget(new QLabel(tr("Method:"), analogyPage));
    methodRow->addWidget(m_method);
    methodRow->addStretch(1);
    methodRow->addWidget(m_analogyButton);
    methodRow->addWidget(m_cancelButton);
    auto *analogyLayout = new QVBoxLayout(analogyPage);
    analogyLayout->addLayout(questionsRow);
    analogyLayout->addLayout(methodRow);
    analogyLayout->addWidget(m_progress);
    analogyLayout->addWidget(m_analogyStatus);
    analogyLayout->addWidget(m_sections, 1);
    m_tabs->addTab(analogyPage, tr("Analogies"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tableLabel);
    layout->addLayout(common);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(620, 560);

    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_permille)
            m_progress->setValue(m_permille->load());
    });
    m_tableLabel->setText(tr("No table to evaluate: train a model or import vectors."));
    setBusy(false);
}

EvaluateDialog::~EvaluateDialog()
{
    if (m_cancel)
        *m_cancel = true;
}

void EvaluateDialog::setTable(std::shared_ptr<const WordVectors> table, const QString &source)
{
    if (table == m_table && source == m_source)
        return;
    // A result on its way still describes the table it was asked for, and says which; only an
    // evaluation with nothing left to evaluate is dropped.
    m_table = std::move(table);
    m_source = source;
    if (!m_table) {
        ++m_generation;
        if (m_cancel)
            *m_cancel = true;
        setBusy(false);
        m_tableLabel->setText(tr("No table to evaluate: train a model or import vectors."));
        return;
    }
    const QLocale locale;
    m_tableLabel->setText(
        tr("Evaluates <b>%1</b>: %2 words × %3 dimensions.")
            .arg(m_source.toHtmlEscaped(), locale.toString(static_cast<qlonglong>(m_table->size())),
                locale.toString(m_table->dim())));
    setBusy(m_busy);
}

void EvaluateDialog::setPairsFile(const QString &path)
{
    m_pairsFile->setText(path);
}

void EvaluateDialog::setQuestionsFile(const QString &path)
{
    m_questionsFile->setText(path);
}

void EvaluateDialog::setRestrict(int rows)
{
    m_restrict->setValue(rows);
}

void EvaluateDialog::setCaseInsensitive(bool on)
{
    m_caseInsensitive->setChecked(on);
}

void EvaluateDialog::setMethod(AnalogyMethod method)
{
    m_method->setCurrentIndex(method == AnalogyMethod::Mul ? 1 : 0);
}

void EvaluateDialog::showPairs()
{
    m_tabs->setCurrentIndex(0);
}

void EvaluateDialog::showAnalogies()
{
    m_tabs->setCurrentIndex(1);
}

QString EvaluateDialog::pairsResultText() const
{
    return m_pairsResult->text();
}

QString EvaluateDialog::analogyStatusText() const
{
    return m_analogyStatus->text();
}

void EvaluateDialog::browse(QLineEdit *edit, const QString &title, const QString &filter)
{
    const QString start
        = edit->text().isEmpty() ? lastDialogFolder() : QFileInfo(edit->text()).path();
    const QString file
        = rememberDialogPath(QFileDialog::getOpenFileName(this, title, start, filter));
    if (!file.isEmpty())
        edit->setText(file);
}

void EvaluateDialog::setBusy(bool busy)
{
    m_busy = busy;
    const bool ready = !busy && m_table;
    m_pairsButton->setEnabled(ready);
    m_analogyButton->setEnabled(ready);
    m_cancelButton->setEnabled(busy);
    m_restrict->setEnabled(!busy);
    m_caseInsensitive->setEnabled(!busy);
    m_method->setEnabled(!busy);
    m_progress->setVisible(busy);
    if (busy)
        m_progressTimer->start();
    else
        m_progressTimer->stop();
}

void EvaluateDialog::evaluatePairs()
{
    const QString path = m_pairsFile->text().trimmed();
    if (!m_table || m_busy)
        return;
    if (path.isEmpty()) {
        m_pairsResult->setText(tr("Choose a word pairs file first."));
        emit pairsEvaluated(false);
        return;
    }
    setBusy(true);
    m_progress->setRange(0, 0); // no progress to report: reading pairs takes moments
    m_pairsResult->setText(tr("Evaluating..."));
    const auto table = m_table;
    const std::size_t restrict = static_cast<std::size_t>(m_restrict->value());
    const bool caseInsensitive = m_caseInsensitive->isChecked();
    const quint64 generation = m_generation;
    runInBackground<WordPairEvaluation>(
        this,
        [table, path, restrict, caseInsensitive] {
            return evaluateWordPairs(
                *table, QFile::encodeName(path).toStdString(), restrict, caseInsensitive);
        },
        [this, generation, path, source = m_source](
            std::shared_ptr<WordPairEvaluation> r, QString error) {
            if (generation != m_generation)
                return;
            setBusy(false);
            m_progress->setRange(0, 1000);
            if (!r) {
                m_pairsResult->setText(tr("Could not evaluate: %1").arg(error.toHtmlEscaped()));
                emit pairsEvaluated(false);
                return;
            }
            const QLocale locale;
            m_pairsResult->setText(
                tr("<p><b>%1</b> on %7</p><table cellspacing='4'>"
                   "<tr><td>Pearson</td><td align='right'>%2</td></tr>"
                   "<tr><td>Spearman</td><td align='right'>%3</td></tr>"
                   "<tr><td>Out of vocabulary</td><td align='right'>%4%</td></tr></table>"
                   "<p>%5 pairs evaluated, %6 skipped for a word outside the table.</p>")
                    .arg(QFileInfo(path).fileName().toHtmlEscaped(), figure(r->pearson),
                        figure(r->spearman), locale.toString(r->oovRatio, 'f', 2),
                        locale.toString(static_cast<qlonglong>(r->pairs)),
                        locale.toString(static_cast<qlonglong>(r->oovPairs)),
                        source.toHtmlEscaped()));
            emit pairsEvaluated(true);
        });
}

void EvaluateDialog::evaluateAnalogies()
{
    const QString path = m_questionsFile->text().trimmed();
    if (!m_table || m_busy)
        return;
    if (path.isEmpty()) {
        m_analogyStatus->setText(tr("Choose an analogy questions file first."));
        emit analogiesEvaluated(false);
        return;
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_permille = std::make_shared<std::atomic<int>>(0);
    m_progress->setValue(0);
    setBusy(true);
    m_sections->setRowCount(0);
    m_analogyStatus->setText(tr("Evaluating..."));
    const auto table = m_table;
    const std::size_t restrict = static_cast<std::size_t>(m_restrict->value());
    const bool caseInsensitive = m_caseInsensitive->isChecked();
    const AnalogyMethod method
        = m_method->currentIndex() == 1 ? AnalogyMethod::Mul : AnalogyMethod::Add;
    const quint64 generation = m_generation;
    auto cancel = m_cancel;
    auto permille = m_permille;
    runInBackground<AnalogyEvaluation>(
        this,
        [table, path, restrict, caseInsensitive, method, cancel, permille] {
            const NeighborIndex index(*table);
            return embedlab::evaluateAnalogies(index, QFile::encodeName(path).toStdString(), method,
                restrict, caseInsensitive, [cancel, permille](std::size_t done, std::size_t total) {
                    if (total > 0)
                        *permille = static_cast<int>(1000.0 * done / total);
                    return !cancel->load();
                });
        },
        [this, generation, source = m_source](std::shared_ptr<AnalogyEvaluation> r, QString error) {
            if (generation != m_generation)
                return;
            setBusy(false);
            if (!r) {
                m_analogyStatus->setText(tr("Could not evaluate: %1").arg(error));
                emit analogiesEvaluated(false);
                return;
            }
            showAnalogyResult(*r, source);
            emit analogiesEvaluated(!r->stopped);
        });
}

void EvaluateDialog::cancel()
{
    if (m_cancel)
        *m_cancel = true;
}

void EvaluateDialog::showAnalogyResult(const AnalogyEvaluation &result, const QString &source)
{
    const QLocale locale;
    auto addRow = [&](const AnalogySection &s, const QString &name, bool bold) {
        const int row = m_sections->rowCount();
        m_sections->insertRow(row);
        QTableWidgetItem *items[5]
            = { new QTableWidgetItem(name), numberItem(locale.toString(s.correct)),
                  numberItem(locale.toString(s.total)), numberItem(locale.toString(s.skipped)),
                  numberItem(s.total > 0
                          ? locale.toString(100.0 * s.accuracy(), 'f', 1) + QLatin1Char('%')
                          : QStringLiteral("–")) };
        for (int c = 0; c < 5; ++c) {
            if (bold) {
                QFont f = items[c]->font();
                f.setBold(true);
                items[c]->setFont(f);
            }
            m_sections->setItem(row, c, items[c]);
        }
    };
    for (const AnalogySection &s : result.sections)
        addRow(s, QString::fromStdString(s.name), false);
    addRow(result.total, tr("Total"), true);
    QString status
        = tr("%1: accuracy %2 on %3 questions answered; %4 skipped for a word outside "
             "the table.")
              .arg(source,
                  locale.toString(100.0 * result.total.accuracy(), 'f', 2) + QLatin1Char('%'),
                  locale.toString(result.total.total),
                  locale.toString(static_cast<qulonglong>(result.skipped)));
    if (result.malformed > 0)
        status += QLatin1Char(' ')
            + tr("%1 malformed lines were ignored.")
                  .arg(locale.toString(static_cast<qulonglong>(result.malformed)));
    if (result.stopped)
        status = tr("Cancelled: the figures cover the questions done so far.") + QLatin1Char(' ')
            + status;
    m_analogyStatus->setText(status);
}

} // namespace embedlab
