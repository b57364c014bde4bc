#include "ui/corpuspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace embedlab {

CorpusPanel::CorpusPanel(QWidget *parent)
    : QWidget(parent)
{
    m_name = new QLabel(tr("No corpus open"), this);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_name->setWordWrap(true);
    m_stats = new QLabel(this);
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *box = new QGroupBox(tr("Tokenizer"), this);
    auto *form = new QFormLayout(box);
    m_tokenizer = new QComboBox(box);
    m_tokenizer->addItem(tr("Words"), QStringLiteral("word"));
    m_tokenizer->addItem(tr("Characters"), QStringLiteral("char"));
    m_lowercase = new QCheckBox(tr("Lowercase"), box);
    m_cjk = new QComboBox(box);
    m_cjk->setObjectName(QStringLiteral("cjkSegmentation"));
    m_cjk->addItem(tr("Words (dictionary)"), QStringLiteral("words"));
    m_cjk->addItem(tr("One per character"), QStringLiteral("chars"));
    m_cjk->setToolTip(tr("How Chinese, Japanese, Thai, Lao, Khmer and Burmese text is cut"));
    m_normalize = new QComboBox(box);
    m_normalize->setObjectName(QStringLiteral("normalization"));
    m_normalize->addItem(tr("None"), QStringLiteral("none"));
    m_normalize->addItem(tr("NFC"), QStringLiteral("nfc"));
    m_normalize->addItem(tr("NFKC"), QStringLiteral("nfkc"));
    m_minCount = new QSpinBox(box);
    m_minCount->setRange(1, 1000000);
    m_maxVocab = new QSpinBox(box);
    m_maxVocab->setRange(0, 10000000);
    m_maxVocab->setSingleStep(1000);
    m_maxVocab->setValue(static_cast<int>(defaultOptions().maxVocab));
    m_maxVocab->setSpecialValueText(tr("unlimited"));
    m_validFraction = new QDoubleSpinBox(box);
    m_validFraction->setRange(0, 0.5);
    m_validFraction->setSingleStep(0.05);
    m_validFraction->setValue(defaultOptions().validFraction);
    form->addRow(tr("Tokens:"), m_tokenizer);
    form->addRow(QString(), m_lowercase);
    form->addRow(tr("CJK and Thai:"), m_cjk);
    form->addRow(tr("Normalize:"), m_normalize);
    form->addRow(tr("Min count:"), m_minCount);
    form->addRow(tr("Max vocabulary:"), m_maxVocab);
    form->addRow(tr("Validation share:"), m_validFraction);
    m_restoreDefaults = new QPushButton(tr("Restore Defaults"), box);
    m_restoreDefaults->setObjectName(QStringLiteral("restoreCorpusDefaults"));
    m_restoreDefaults->setToolTip(tr("Put every tokenizer setting back to its default"));
    form->addRow(QString(), m_restoreDefaults);
    connect(m_restoreDefaults, &QPushButton::clicked, this, &CorpusPanel::restoreDefaultsRequested);
    m_tokenizer->setObjectName(QStringLiteral("tokenizer"));
    m_lowercase->setObjectName(QStringLiteral("lowercase"));
    m_minCount->setObjectName(QStringLiteral("minCount"));
    m_maxVocab->setObjectName(QStringLiteral("maxVocab"));
    m_validFraction->setObjectName(QStringLiteral("validFraction"));
    {
        const CorpusOptions d = defaultOptions();
        m_defaults.add(m_tokenizer, QString::fromLatin1(tokenizerModeName(d.tokenizer.mode)),
            form->labelForField(m_tokenizer));
        m_defaults.add(m_lowercase, d.tokenizer.lowercase);
        m_defaults.add(m_cjk, QString::fromLatin1(cjkSegmentationName(d.tokenizer.cjk)),
            form->labelForField(m_cjk));
        m_defaults.add(m_normalize, QString::fromLatin1(normalizationName(d.tokenizer.normalize)),
            form->labelForField(m_normalize));
        m_defaults.add(m_minCount, static_cast<int>(d.minCount), form->labelForField(m_minCount));
        m_defaults.add(m_maxVocab, static_cast<int>(d.maxVocab), form->labelForField(m_maxVocab));
        m_defaults.add(m_validFraction, d.validFraction, form->labelForField(m_validFraction));
    }

    m_words = new QTableWidget(0, 3, this);
    m_words->setHorizontalHeaderLabels({ tr("Id"), tr("Word"), tr("Count") });
    m_words->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_words->verticalHeader()->hide();
    m_words->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_words->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_words->setAlternatingRowColors(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_name);
    layout->addWidget(m_stats);
    layout->addWidget(box);
    layout->addWidget(m_words, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, &CorpusPanel::optionsChanged);
    auto poke = [this] {
        updateMarks();
        m_debounce->start();
    };
    connect(m_tokenizer, &QComboBox::currentIndexChanged, this, poke);
    connect(m_lowercase, &QCheckBox::toggled, this, poke);
    connect(m_cjk, &QComboBox::currentIndexChanged, this, poke);
    connect(m_normalize, &QComboBox::currentIndexChanged, this, poke);
    connect(m_minCount, &QSpinBox::valueChanged, this, poke);
    connect(m_maxVocab, &QSpinBox::valueChanged, this, poke);
    connect(m_validFraction, &QDoubleSpinBox::valueChanged, this, poke);
    updateMarks();
}

CorpusOptions CorpusPanel::defaultOptions()
{
    CorpusOptions o;
    o.maxVocab = 10000;
    return o;
}

void CorpusPanel::restoreDefaults()
{
    setOptions(defaultOptions());
}

void CorpusPanel::updateMarks()
{
    m_defaults.updateMarks();
    emit settingsEdited();
}

CorpusOptions CorpusPanel::options() const
{
    CorpusOptions o;
    parseTokenizerMode(m_tokenizer->currentData().toString().toStdString(), o.tokenizer.mode);
    o.tokenizer.lowercase = m_lowercase->isChecked();
    parseCjkSegmentation(m_cjk->currentData().toString().toStdString(), o.tokenizer.cjk);
    parseNormalization(m_normalize->currentData().toString().toStdString(), o.tokenizer.normalize);
    o.tokenizer.folding = m_folding;
    o.minCount = static_cast<std::uint64_t>(m_minCount->value());
    o.maxVocab = static_cast<std::size_t>(m_maxVocab->value());
    o.validFraction = m_validFraction->value();
    return o;
}

void CorpusPanel::setOptions(const CorpusOptions &o)
{
    const QSignalBlocker b1(m_tokenizer), b2(m_lowercase), b3(m_minCount), b4(m_maxVocab),
        b5(m_validFraction), b6(m_cjk), b7(m_normalize);
    m_tokenizer->setCurrentIndex(o.tokenizer.mode == TokenizerMode::Char ? 1 : 0);
    m_lowercase->setChecked(o.tokenizer.lowercase);
    m_cjk->setCurrentIndex(
        m_cjk->findData(QString::fromLatin1(cjkSegmentationName(o.tokenizer.cjk))));
    m_normalize->setCurrentIndex(
        m_normalize->findData(QString::fromLatin1(normalizationName(o.tokenizer.normalize))));
    m_folding = o.tokenizer.folding;
    m_minCount->setValue(static_cast<int>(o.minCount));
    m_maxVocab->setValue(static_cast<int>(o.maxVocab));
    m_validFraction->setValue(o.validFraction);
    updateMarks();
}

QString visibleToken(const QString &token)
{
    // A character token that draws nothing (a space, a tab) would be an empty cell.
    if (token == QLatin1String(" "))
        return QStringLiteral("\u2423"); // ␣
    if (token.size() == 1 && token[0].unicode() < 0x20)
        return QChar(0x2400 + token[0].unicode()); // the control pictures: ␉ for a tab
    if (token.size() == 1 && token[0].isSpace())
        return QStringLiteral("U+%1").arg(token[0].unicode(), 4, 16, QLatin1Char('0')).toUpper();
    return token;
}

void CorpusPanel::showCorpus(const QString &name, const Corpus &c, TokenizerMode mode)
{
    const QLocale loc;
    m_name->setText(name);
    const std::uint64_t tokens = c.train.size() + c.valid.size();
    const double unkShare = tokens
        ? 100.0 * static_cast<double>(c.trainUnk + c.validUnk) / static_cast<double>(tokens)
        : 0.0;
    QString stats = (mode == TokenizerMode::Char
            ? tr("%1 · %2 lines · %3 tokens\nVocabulary %4 characters · <unk> %5%\n"
                 "Training %6 · validation %7 tokens")
            : tr("%1 · %2 lines · %3 tokens\nVocabulary %4 words · <unk> %5%\n"
                 "Training %6 · validation %7 tokens"))
                        .arg(loc.formattedDataSize(static_cast<qint64>(c.stats.bytes)))
                        .arg(loc.toString(static_cast<qulonglong>(c.stats.nonEmptyLines)))
                        .arg(loc.toString(static_cast<qulonglong>(tokens)))
                        .arg(loc.toString(c.vocab.size()))
                        .arg(unkShare, 0, 'f', 2)
                        .arg(loc.toString(static_cast<qulonglong>(c.train.size())))
                        .arg(loc.toString(static_cast<qulonglong>(c.valid.size())));
    if (c.stats.invalidUtf8 > 0)
        stats += tr("\n%1 invalid UTF-8 sequences replaced").arg(c.stats.invalidUtf8);
    m_stats->setText(stats);
    m_words->setHorizontalHeaderLabels(
        { tr("Id"), mode == TokenizerMode::Char ? tr("Character") : tr("Word"), tr("Count") });
    const int rows = std::min(c.vocab.size(), 2000);
    m_words->setRowCount(rows);
    for (int i = 0; i < rows; ++i) {
        m_words->setItem(i, 0, new QTableWidgetItem(QString::number(i)));
        const QString word = QString::fromStdString(c.vocab.word(i));
        auto *item = new QTableWidgetItem(visibleToken(word));
        if (item->text() != word)
            item->setToolTip(tr("The character %1")
                                 .arg(QStringLiteral("U+%1")
                                          .arg(word[0].unicode(), 4, 16, QLatin1Char('0'))
                                          .toUpper()));
        m_words->setItem(i, 1, item);
        auto *count = new QTableWidgetItem(loc.toString(static_cast<qulonglong>(c.vocab.count(i))));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_words->setItem(i, 2, count);
    }
}

void CorpusPanel::saveSettings(QSettings &settings) const
{
    const CorpusOptions o = options();
    settings.setValue(QStringLiteral("corpus/tokenizer"),
        QString::fromLatin1(tokenizerModeName(o.tokenizer.mode)));
    settings.setValue(QStringLiteral("corpus/lowercase"), o.tokenizer.lowercase);
    settings.setValue(
        QStringLiteral("corpus/cjk"), QString::fromLatin1(cjkSegmentationName(o.tokenizer.cjk)));
    settings.setValue(QStringLiteral("corpus/normalize"),
        QString::fromLatin1(normalizationName(o.tokenizer.normalize)));
    settings.setValue(QStringLiteral("corpus/minCount"), static_cast<qulonglong>(o.minCount));
    settings.setValue(QStringLiteral("corpus/maxVocab"), static_cast<qulonglong>(o.maxVocab));
    settings.setValue(QStringLiteral("corpus/validFraction"), o.validFraction);
}

void CorpusPanel::restoreSettings(const QSettings &settings)
{
    if (!settings.contains(QStringLiteral("corpus/tokenizer")))
        return;
    CorpusOptions o;
    parseTokenizerMode(settings.value(QStringLiteral("corpus/tokenizer")).toString().toStdString(),
        o.tokenizer.mode);
    o.tokenizer.lowercase = settings.value(QStringLiteral("corpus/lowercase")).toBool();
    parseCjkSegmentation(settings.value(QStringLiteral("corpus/cjk"), QStringLiteral("words"))
                             .toString()
                             .toStdString(),
        o.tokenizer.cjk);
    parseNormalization(settings.value(QStringLiteral("corpus/normalize"), QStringLiteral("none"))
                           .toString()
                           .toStdString(),
        o.tokenizer.normalize);
    o.minCount
        = std::max<qulonglong>(1, settings.value(QStringLiteral("corpus/minCount")).toULongLong());
    o.maxVocab = settings.value(QStringLiteral("corpus/maxVocab")).toULongLong();
    o.validFraction = settings.value(QStringLiteral("corpus/validFraction")).toDouble();
    setOptions(o);
}

void CorpusPanel::setBusy(const QString &message)
{
    m_stats->setText(message);
}

void CorpusPanel::setSettingsEnabled(bool enabled)
{
    for (QWidget *w : { static_cast<QWidget *>(m_tokenizer), static_cast<QWidget *>(m_lowercase),
             static_cast<QWidget *>(m_cjk), static_cast<QWidget *>(m_normalize),
             static_cast<QWidget *>(m_minCount), static_cast<QWidget *>(m_maxVocab),
             static_cast<QWidget *>(m_validFraction), static_cast<QWidget *>(m_restoreDefaults) })
        w->setEnabled(enabled);
}

} // namespace embedlab
