// The map's tools that Embedding Projector users expect: isolating a word's neighbourhood or the
// words a regular expression finds (projected again on their own), and colouring and labelling
// the words by a column of a metadata file.
#include "ui/embeddingmap.h"
#include "ui/embeddingmap_p.h"
#include "ui/flowlayout.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>

namespace embedlab {

namespace {

// Sequential colours for the bands of a numeric column, low to high (viridis, 9 stops).
QColor sequentialColour(int c, bool dark)
{
    static const QColor colours[EmbeddingMap::MaxClassColours]
        = { QColor(0x44, 0x01, 0x54), QColor(0x47, 0x2c, 0x7a), QColor(0x3b, 0x51, 0x8b),
              QColor(0x2c, 0x71, 0x8e), QColor(0x21, 0x90, 0x8d), QColor(0x27, 0xad, 0x81),
              QColor(0x5c, 0xc8, 0x63), QColor(0xaa, 0xdc, 0x32), QColor(0xfd, 0xe7, 0x25) };
    const QColor colour = colours[std::clamp(c, 0, EmbeddingMap::MaxClassColours - 1)];
    return dark ? colour.lighter(125) : colour;
}

double numberOf(const std::string &s)
{
    double x = std::numeric_limits<double>::quiet_NaN();
    std::from_chars(s.data(), s.data() + s.size(), x);
    return x;
}

} // namespace

void EmbeddingMap::createToolRows()
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("mapFilter"));
    m_filter->setPlaceholderText(tr("Filter by regex..."));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Shows only the words this regular expression finds (anywhere in the "
                            "word, ignoring case), projected on their own. Enter applies it; "
                            "clear it to show all words again."));
    m_filter->setMinimumWidth(m_filter->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 15);
    connect(m_filter, &QLineEdit::returnPressed, this, [this] { setFilter(m_filter->text()); });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setStyleSheet(QString()); // a new attempt: not marked wrong yet
        if (text.isEmpty() && !m_subset.pattern.isEmpty())
            showAll(); // the clear button
    });
    m_colourBox = new QComboBox(this);
    m_colourBox->setObjectName(QStringLiteral("mapColourBy"));
    m_colourBox->setToolTip(tr("Colour the words by a column of the metadata file"));
    m_labelBox = new QComboBox(this);
    m_labelBox->setObjectName(QStringLiteral("mapLabelBy"));
    m_labelBox->setToolTip(tr("Label the words by a column of the metadata file"));
    m_colourBox->hide();
    m_labelBox->hide();
    connect(m_colourBox, &QComboBox::activated, this,
        [this] { setColourColumn(m_colourBox->currentData().toInt()); });
    connect(m_labelBox, &QComboBox::activated, this,
        [this] { setLabelColumn(m_labelBox->currentData().toInt()); });
    m_header->insertWidget(m_header->indexOf(m_search) + 1, m_filter);
    m_header->insertWidget(m_header->indexOf(m_filter) + 1, m_colourBox);
    m_header->insertWidget(m_header->indexOf(m_colourBox) + 1, m_labelBox);

    // What is isolated, and the way back to all words.
    m_subsetRow = new QWidget(this);
    m_subsetRow->setObjectName(QStringLiteral("mapIsolation"));
    auto *row = new QHBoxLayout(m_subsetRow);
    row->setContentsMargins(0, 0, 3, 3);
    m_subsetLabel = new QLabel(m_subsetRow);
    m_subsetLabel->setWordWrap(true);
    m_subsetLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_subsetK = new QSpinBox(m_subsetRow);
    m_subsetK->setObjectName(QStringLiteral("mapIsolateNeighbours"));
    m_subsetK->setRange(1, 5000);
    m_subsetK->setPrefix(tr("Neighbours: "));
    m_subsetK->setKeyboardTracking(false);
    m_subsetK->setToolTip(tr("How many of the word's nearest neighbours (by cosine, among all the "
                             "table's words) are isolated with it"));
    auto *all = new QToolButton(m_subsetRow);
    all->setObjectName(QStringLiteral("mapShowAll"));
    all->setText(tr("Show All Words"));
    row->addWidget(m_subsetLabel, 1);
    row->addWidget(m_subsetK);
    row->addWidget(all);
    m_subsetRow->hide();
    connect(all, &QToolButton::clicked, this, &EmbeddingMap::showAll);
    connect(m_subsetK, &QSpinBox::valueChanged, this, [this](int k) {
        if (!m_subset.centre.isEmpty() && k != m_subset.k)
            isolateNeighbourhood(m_subset.centre, k);
    });

    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("mapLegend"));
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_legend->hide();
    auto *layout = qobject_cast<QVBoxLayout *>(this->layout());
    layout->insertWidget(layout->indexOf(m_plot), m_subsetRow);
    layout->insertWidget(layout->indexOf(m_plot) + 1, m_legend);
}

// --- Isolation ---

std::vector<int> EmbeddingMap::subsetRows(const WordVectors &table, const Subset &subset)
{
    std::vector<int> rows;
    const auto n = static_cast<int>(table.size());
    if (!subset.pattern.isEmpty()) {
        for (int i = 0; i < n; ++i)
            if (subset.regex.match(QString::fromStdString(table.word(static_cast<std::size_t>(i))))
                    .hasMatch())
                rows.push_back(i);
    } else {
        for (const std::string &w : subset.words)
            if (const int r = table.find(w); r >= 0)
                rows.push_back(r);
        std::sort(rows.begin(), rows.end()); // in the table's order, by frequency
    }
    return rows;
}

QString EmbeddingMap::subsetKey() const
{
    if (!isIsolated())
        return {};
    return m_subset.centre + QLatin1Char('\n') + QString::number(m_subset.k) + QLatin1Char('\n')
        + m_subset.pattern;
}

int EmbeddingMap::isolatedCount() const
{
    const auto &t = isIsolated() ? m_drawTable : m_table;
    return t ? static_cast<int>(t->size()) : 0;
}

void EmbeddingMap::applySubset()
{
    m_drawRows.clear();
    if (!isIsolated() || !m_table) {
        m_drawTable = m_table;
        return;
    }
    m_drawRows = subsetRows(*m_table, m_subset);
    m_drawTable = std::make_shared<const WordVectors>(selectRows(*m_table, m_drawRows));
}

std::set<std::string> EmbeddingMap::neighbourhood(const WordVectors &table, int row, int k)
{
    // The k nearest by cosine among all the table's words, not only those drawn; an all-zero row
    // (an untrained <pad>) has no direction and is no one's neighbour.
    const auto &v = table.vectors();
    const Eigen::VectorXf norms = v.rowwise().norm();
    const Eigen::VectorXf q = v.row(row).transpose() / std::max(norms(row), 1e-12f);
    Eigen::VectorXf scores = (v * q).array() / norms.array().max(1e-12f);
    for (Eigen::Index i = 0; i < scores.size(); ++i)
        if (norms(i) <= 0)
            scores(i) = -std::numeric_limits<float>::infinity();
    scores(row) = std::numeric_limits<float>::infinity(); // the word itself, first
    std::vector<int> order(static_cast<std::size_t>(scores.size()));
    std::iota(order.begin(), order.end(), 0);
    const auto take = std::min<std::size_t>(order.size(), static_cast<std::size_t>(k) + 1);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
        [&](int a, int b) { return scores(a) > scores(b) || (scores(a) == scores(b) && a < b); });
    std::set<std::string> words;
    for (std::size_t i = 0; i < take; ++i)
        words.insert(table.word(static_cast<std::size_t>(order[i])));
    return words;
}

void EmbeddingMap::followSubset()
{
    // Another table: a neighbourhood is the word's in it, when it has the word.
    if (m_subset.centre.isEmpty() || !m_table)
        return;
    const int row = m_table->find(m_subset.centre.toStdString());
    if (row < 0) {
        m_tableNote = tr("“%1” is not in this table: all words shown").arg(m_subset.centre);
        m_subset = Subset();
        updateSubsetRow();
        emit isolationChanged();
        return;
    }
    m_subset.k = std::clamp(m_subset.k, 1, std::max(1, static_cast<int>(m_table->size()) - 1));
    m_subset.words = neighbourhood(*m_table, row, m_subset.k);
    updateSubsetRow();
}

void EmbeddingMap::isolateNeighbourhood(const QString &word, int k)
{
    if (!m_table)
        return;
    const int row = m_table->find(word.toStdString());
    if (row < 0) {
        m_info->setText(tr("“%1” is not on the map").arg(word));
        return;
    }
    Subset s;
    s.centre = word;
    s.k = std::clamp(k, 1, std::max(1, static_cast<int>(m_table->size()) - 1));
    s.words = neighbourhood(*m_table, row, s.k);
    m_selected = word;
    changeSubset(std::move(s));
    emit wordSelected(word); // the Neighbours panel follows
}

bool EmbeddingMap::setFilter(const QString &pattern)
{
    if (pattern.isEmpty()) {
        if (!m_subset.pattern.isEmpty())
            showAll();
        return true;
    }
    Subset s;
    s.pattern = pattern;
    s.regex = QRegularExpression(pattern,
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    const auto mark = [this] {
        m_filter->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
    };
    if (!s.regex.isValid()) {
        mark();
        m_info->setText(tr("The filter is not a regular expression: %1 (at character %2)")
                            .arg(s.regex.errorString())
                            .arg(s.regex.patternErrorOffset() + 1));
        return false;
    }
    if (m_table && subsetRows(*m_table, s).empty()) {
        mark();
        m_info->setText(
            tr("No word of the %1 on the map matches “%2”")
                .arg(QLocale().toString(static_cast<qulonglong>(m_table->size())), pattern));
        return false;
    }
    if (m_filter->text() != pattern) {
        const QSignalBlocker blocker(m_filter);
        m_filter->setText(pattern);
    }
    changeSubset(std::move(s));
    return true;
}

void EmbeddingMap::showAll()
{
    if (!isIsolated())
        return;
    {
        const QSignalBlocker blocker(m_filter);
        m_filter->clear();
    }
    changeSubset(Subset());
}

void EmbeddingMap::changeSubset(Subset subset)
{
    m_subset = std::move(subset);
    if (m_subset.pattern.isEmpty() && !m_filter->text().isEmpty()) {
        const QSignalBlocker blocker(m_filter); // a neighbourhood replaces the filter
        m_filter->clear();
    }
    applySubset();
    // Projected again on their own, and the view fitted to them.
    m_live = false;
    m_fitted = false;
    m_followData = true;
    m_fitAll = false;
    m_note.clear();
    m_frameClassTable = nullptr;
    updateWordList(m_drawTable.get());
    updateSubsetRow();
    resetHistoryFrames(); // a recorded step shown is projected again by the history
    requestProjection();
    emit isolationChanged();
}

void EmbeddingMap::updateSubsetRow()
{
    const QLocale locale;
    const QString total
        = m_table ? locale.toString(static_cast<qulonglong>(m_table->size())) : QString();
    if (!m_subset.centre.isEmpty()) {
        m_subsetLabel->setText(
            tr("Isolated: “%1” and its %n nearest neighbours (cosine, of %2 words)", nullptr,
                m_subset.k)
                .arg(m_subset.centre, total));
        const QSignalBlocker blocker(m_subsetK);
        m_subsetK->setValue(m_subset.k);
        m_subsetK->show();
    } else if (!m_subset.pattern.isEmpty()) {
        m_subsetLabel->setText(tr("Filtered: the %n words of %1 that “%2” finds", nullptr,
            m_drawTable ? static_cast<int>(m_drawTable->size()) : 0)
                                   .arg(total, m_subset.pattern));
        m_subsetK->hide();
    }
    m_subsetRow->setVisible(isIsolated());
}

// --- Metadata ---

QColor EmbeddingMap::classColourOf(int c, bool dark) const
{
    return m_sequential ? sequentialColour(c, dark) : classColour(c, dark);
}

void EmbeddingMap::setMetadata(std::shared_ptr<const WordMetadata> meta)
{
    const bool hadColours = m_colourColumn >= 0;
    m_meta = std::move(meta);
    m_colourColumn = -1;
    m_labelColumn = -1;
    m_metaClass.clear();
    m_metaLabel.clear();
    m_metaKey = m_meta && m_table ? metadataKey(*m_meta, *m_table).column : 0;
    updateMetadataControls();
    if (!m_meta) {
        if (hadColours)
            setWordClasses({}, {});
        updateLegend();
        return;
    }
    // Coloured at once by the first column after the words.
    int first = -1;
    for (std::size_t c = 0; c < m_meta->columns.size() && first < 0; ++c)
        if (c != m_metaKey)
            first = static_cast<int>(c);
    setColourColumn(first);
}

void EmbeddingMap::updateMetadataControls()
{
    const QSignalBlocker b1(m_colourBox), b2(m_labelBox);
    m_colourBox->clear();
    m_labelBox->clear();
    m_colourBox->addItem(tr("Colour: frequency"), -1);
    m_labelBox->addItem(tr("Label: word"), -1);
    if (m_meta)
        for (std::size_t c = 0; c < m_meta->columns.size(); ++c) {
            if (c == m_metaKey)
                continue;
            const QString name = QString::fromStdString(m_meta->columns[c]);
            m_colourBox->addItem(tr("Colour: %1").arg(name), static_cast<int>(c));
            m_labelBox->addItem(tr("Label: %1").arg(name), static_cast<int>(c));
        }
    m_colourBox->setCurrentIndex(std::max(0, m_colourBox->findData(m_colourColumn)));
    m_labelBox->setCurrentIndex(std::max(0, m_labelBox->findData(m_labelColumn)));
    m_colourBox->setVisible(m_meta != nullptr);
    m_labelBox->setVisible(m_meta != nullptr);
}

void EmbeddingMap::setColourColumn(int column)
{
    if (!m_meta || column < 0 || static_cast<std::size_t>(column) >= m_meta->columns.size()) {
        const bool had = m_colourColumn >= 0;
        m_colourColumn = -1;
        m_metaClass.clear();
        m_sequential = false;
        updateMetadataControls();
        if (had) {
            m_classNames.clear();
            applyPalette();
            redraw(true);
        }
        updateLegend();
        return;
    }
    const auto c = static_cast<std::size_t>(column);
    m_colourColumn = column;
    m_metaClass.clear();
    m_classNames.clear();
    const QLocale locale;
    // Numbers with more values than colours: bands of equal counts, low to high.
    std::vector<double> numbers;
    if (isNumericColumn(*m_meta, c)) {
        for (const auto &row : m_meta->rows)
            if (!row[c].empty())
                numbers.push_back(numberOf(row[c]));
        std::sort(numbers.begin(), numbers.end());
        numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    }
    m_sequential = static_cast<int>(numbers.size()) > MaxClassColours;
    if (m_sequential) {
        std::vector<double> all;
        for (const auto &row : m_meta->rows)
            if (!row[c].empty())
                all.push_back(numberOf(row[c]));
        std::sort(all.begin(), all.end());
        // Band b from the value at the b/9 quantile up to the next band's first value.
        std::vector<double> lowers;
        for (int b = 1; b < MaxClassColours; ++b)
            lowers.push_back(all[static_cast<std::size_t>(
                static_cast<double>(all.size()) * b / MaxClassColours)]);
        const auto bandOf = [&](double x) {
            return static_cast<int>(
                std::upper_bound(lowers.begin(), lowers.end(), x) - lowers.begin());
        };
        std::vector<double> lo(MaxClassColours, qInf()), hi(MaxClassColours, -qInf());
        for (const auto &row : m_meta->rows) {
            if (row[c].empty())
                continue;
            const double x = numberOf(row[c]);
            const int band = bandOf(x);
            m_metaClass.emplace(row[m_metaKey], band);
            lo[static_cast<std::size_t>(band)] = std::min(lo[static_cast<std::size_t>(band)], x);
            hi[static_cast<std::size_t>(band)] = std::max(hi[static_cast<std::size_t>(band)], x);
        }
        // Named by the lowest and highest value each holds.
        for (int b = 0; b < MaxClassColours; ++b) {
            const auto i = static_cast<std::size_t>(b);
            m_classNames << (lo[i] > hi[i] ? tr("(none)")
                    : lo[i] == hi[i]
                    ? locale.toString(lo[i], 'g', 4)
                    : tr("%1 to %2")
                          .arg(locale.toString(lo[i], 'g', 4), locale.toString(hi[i], 'g', 4)));
        }
    } else {
        // Categories: a colour for each of the most common values, grey for the rest.
        std::map<std::string, std::size_t> counts;
        for (const auto &row : m_meta->rows)
            if (!row[c].empty())
                ++counts[row[c]];
        std::vector<std::pair<std::string, std::size_t>> byCount(counts.begin(), counts.end());
        std::stable_sort(byCount.begin(), byCount.end(),
            [](const auto &a, const auto &b) { return a.second > b.second; });
        std::map<std::string, int> classOf;
        for (std::size_t i = 0; i < byCount.size() && i < MaxClassColours; ++i) {
            classOf[byCount[i].first] = static_cast<int>(i);
            m_classNames << QString::fromStdString(byCount[i].first);
        }
        for (const auto &row : m_meta->rows)
            if (const auto it = classOf.find(row[c]); it != classOf.end())
                m_metaClass.emplace(row[m_metaKey], it->second);
        m_otherValues = static_cast<int>(byCount.size()) - static_cast<int>(m_classNames.size());
    }
    if (m_sequential)
        m_otherValues = 0;
    m_frameClassTable = nullptr;
    updateMetadataControls();
    applyPalette();
    redraw(true);
    updateLegend();
}

void EmbeddingMap::setLabelColumn(int column)
{
    m_metaLabel.clear();
    m_labelColumn
        = m_meta && column >= 0 && static_cast<std::size_t>(column) < m_meta->columns.size()
        ? column
        : -1;
    if (m_labelColumn >= 0)
        for (const auto &row : m_meta->rows)
            if (!row[static_cast<std::size_t>(m_labelColumn)].empty())
                m_metaLabel.emplace(row[m_metaKey],
                    QString::fromStdString(row[static_cast<std::size_t>(m_labelColumn)]));
    updateMetadataControls();
    redraw(true);
}

QString EmbeddingMap::labelOf(const QString &word) const
{
    if (m_labelColumn < 0)
        return word;
    const auto it = m_metaLabel.find(word.toStdString());
    return it == m_metaLabel.end() ? word : it->second;
}

void EmbeddingMap::updateFrameClasses()
{
    if (m_colourColumn < 0 || !m_frame)
        return;
    if (m_frameClassTable == m_frame->table.get() && m_frameClass.size() == m_frame->table->size())
        return;
    const WordVectors &t = *m_frame->table;
    m_frameClass.assign(t.size(), -1);
    for (std::size_t i = 0; i < t.size(); ++i)
        if (const auto it = m_metaClass.find(t.word(i)); it != m_metaClass.end())
            m_frameClass[i] = it->second;
    m_frameClassTable = m_frame->table.get();
    updateLegend();
}

void EmbeddingMap::updateLegend()
{
    if (m_colourColumn < 0 || !m_meta) {
        m_legend->hide();
        m_legend->clear();
        return;
    }
    // Each colour with the number of words on the map that have it.
    std::vector<int> counts(static_cast<std::size_t>(MaxClassColours) + 1, 0);
    const int n = m_frame ? static_cast<int>(std::min<std::size_t>(
                      m_frameClass.size(), static_cast<std::size_t>(m_view.rows())))
                          : 0;
    for (int i = 0; i < n; ++i)
        ++counts[static_cast<std::size_t>(classBandOf(i))];
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QLocale locale;
    QStringList parts;
    parts << QStringLiteral("<b>%1</b>")
                 .arg(QString::fromStdString(
                     m_meta->columns[static_cast<std::size_t>(m_colourColumn)])
                          .toHtmlEscaped());
    for (int c = 0; c < m_classNames.size(); ++c)
        parts << QStringLiteral("<span style=\"white-space:nowrap\"><span style=\"color:%1\">"
                                "&#9679;</span>&nbsp;%2&nbsp;(%3)</span>")
                     .arg(classColourOf(c, dark).name(),
                         m_classNames[c].toHtmlEscaped().replace(
                             QLatin1Char(' '), QStringLiteral("&nbsp;")),
                         locale.toString(counts[static_cast<std::size_t>(c)]));
    const int none = counts[static_cast<std::size_t>(MaxClassColours)];
    if (none > 0 || m_otherValues > 0)
        parts << QStringLiteral("<span style=\"color:#95a5a6\">&#9679;</span>&nbsp;%1")
                     .arg(m_otherValues > 0
                             ? tr("%n other values or none (%1)", nullptr, m_otherValues)
                                   .arg(locale.toString(none))
                             : tr("none (%1)").arg(locale.toString(none)));
    m_legend->setText(parts.join(QStringLiteral(" &nbsp; ")));
    m_legend->show();
}

} // namespace embedlab
