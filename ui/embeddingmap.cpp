#include "ui/embeddingmap.h"
#include "ui/embeddingmap_p.h"
#include "ui/flowlayout.h"

#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStringListModel>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>

#include "core/corpus.h"
#include "core/projection.h"
#include "core/projectionquality.h"

namespace embedlab {

// What an iterative projection on a worker thread has reached, for the GUI thread to show.
struct EmbeddingMap::Progress
{
    std::mutex mutex;
    std::size_t done = 0, total = 0;
    RowMatrixXf positions; // the newest, (rows, k)
    bool fresh = false; // positions the GUI thread has not drawn yet
    std::atomic<bool> stop { false };
    bool iterative = false;
    bool live = false; // starts from the frame before: drawn only at its end
    QString name; // "t-SNE"
    std::shared_ptr<const WordVectors> table;
    std::vector<int> order, rank;
    std::string method;
    int dims = 2;
    QStringList axes;
};

namespace {

// Frequency bands by rank (rows are in frequency order): most frequent first.
const int BandEdges[] = { 100, 500, 2000, 5000, 10000, std::numeric_limits<int>::max() };
constexpr int BandCount = 6;
// Class colouring (setWordClasses): a band per class, then one for the neutral words. The graphs
// of a depth layer are GraphBands apart, enough for either scheme.
constexpr int ClassBands = EmbeddingMap::MaxClassColours + 1;
constexpr int GraphBands = std::max(BandCount, ClassBands);
// Depth layers of the 3D view, far first; a 2D map draws everything in the nearest.
constexpr int DepthLayers = 3;
constexpr int NeighborLines = 8;
// Tables of recorded steps kept beside their frames (the rest are read again when shown).
constexpr int HistoryTablesKept = 8;
// Neighbourhood preservation: this many nearest neighbours, of this many words sampled evenly
// over the frequency ranks (each compared with every word on the map).
constexpr int PreservationK = 10;
constexpr int PreservationSample = 200;
// The words t-SNE and UMAP show unless the user asks for more: their time grows with the rows.
constexpr int IterativeDefaultLimit = 10000;

QColor trailColour(int i)
{
    static const QColor colours[]
        = { QColor(0x8e, 0x44, 0xad), QColor(0x16, 0xa0, 0x85), QColor(0xd3, 0x54, 0x00),
              QColor(0x2c, 0x3e, 0x50), QColor(0xc0, 0x39, 0x2b), QColor(0x27, 0x60, 0xae) };
    return colours[i % 6];
}

// Rows by frequency (most frequent first) and each row's place in that order: by the counts when
// the table has them, else in file order.
void frequencyOrder(
    const WordVectors &table, std::size_t rows, std::vector<int> &order, std::vector<int> &rank)
{
    order.resize(rows);
    std::iota(order.begin(), order.end(), 0);
    const auto &counts = table.counts();
    if (counts.size() == table.size())
        std::stable_sort(
            order.begin(), order.end(), [&](int a, int b) { return counts[a] > counts[b]; });
    rank.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        rank[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
}

int bandOf(int row)
{
    int b = 0;
    while (row >= BandEdges[b])
        ++b;
    return b;
}

QColor bandColor(int band, bool dark)
{
    // From warm (frequent) to cool (rare), lighter on dark backgrounds.
    static const QColor light[BandCount]
        = { QColor(0xc0, 0x39, 0x2b), QColor(0xe6, 0x7e, 0x22), QColor(0xb7, 0x95, 0x0b),
              QColor(0x27, 0xae, 0x60), QColor(0x29, 0x80, 0xb9), QColor(0x7f, 0x8c, 0x8d) };
    QColor c = light[band];
    if (dark)
        c = c.lighter(140);
    return c;
}

// WCAG 2's relative luminance and contrast ratio (1 to 21).
double luminance(const QColor &c)
{
    const auto channel
        = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(QColor c, const QColor &background)
{
    // Darker on a light background, lighter on a dark one, until text reaches 4.5:1 (WCAG AA),
    // keeping the hue.
    const bool light = background.lightness() >= 128;
    for (int i = 0; i < 40 && contrastRatio(c, background) < 4.5; ++i) {
        float h, sat, l, a;
        c.getHslF(&h, &sat, &l, &a);
        l = light ? std::max(0.0f, l - 0.03f) : std::min(1.0f, l + 0.03f);
        c.setHslF(h, sat, l, a);
    }
    return c;
}

namespace {

// A pre-rendered disc: drawing 20,000 pixmaps is several times faster than 20,000
// translucent ellipses.
QPixmap discPixmap(const QColor &color, int diameter)
{
    const qreal dpr = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap pm(QSize(diameter + 1, diameter + 1) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(0.5, 0.5, diameter, diameter));
    return pm;
}

const ProjectionMethod *findMethod(const std::string &id)
{
    for (const ProjectionMethod &m : projectionMethods())
        if (m.id == id)
            return &m;
    return nullptr;
}

// The coordinates a method gives, padded to the map's Components columns.
RowMatrixXf padded(const RowMatrixXf &coords, int components)
{
    RowMatrixXf out = RowMatrixXf::Zero(coords.rows(), components);
    const int k = std::min<int>(components, static_cast<int>(coords.cols()));
    out.leftCols(k) = coords.leftCols(k);
    return out;
}

} // namespace

EmbeddingMap::EmbeddingMap(QWidget *parent)
    : QWidget(parent)
{
    m_limits["pca"] = 0;
    m_limits["custom"] = 0;
    m_limits["tsne"] = IterativeDefaultLimit;
    m_limits["umap"] = IterativeDefaultLimit;

    m_plot = new QCustomPlot(this);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setAntialiasedElements(QCP::aeNone);
    m_plot->setAntialiasedElement(QCP::aeItems, true);
    m_plot->setMinimumSize(280, 220);
    // Far layers first and, in each, rare words first, so the near and frequent are on top.
    m_bands.resize(DepthLayers * GraphBands);
    for (int d = 0; d < DepthLayers; ++d)
        for (int b = GraphBands - 1; b >= 0; --b) {
            QCPGraph *g = m_plot->addGraph();
            g->setLineStyle(QCPGraph::lsNone);
            m_bands[d * GraphBands + b] = g;
        }
    m_selectedGraph = m_plot->addGraph();
    m_selectedGraph->setLineStyle(QCPGraph::lsNone);

    m_methodBox = new QComboBox(this);
    m_methodBox->setObjectName(QStringLiteral("mapMethod"));
    for (const ProjectionMethod &m : projectionMethods()) {
        const QString name = m.id == "custom" ? tr("Custom axes") : QString::fromStdString(m.name);
        m_methodBox->addItem(name, QString::fromStdString(m.id));
    }
    m_methodBox->setToolTip(tr("How the words are placed: PCA (the widest directions), t-SNE "
                               "and UMAP (near words near, iteratively), or custom axes named "
                               "by words"));
    m_dimsBox = new QComboBox(this);
    m_dimsBox->setObjectName(QStringLiteral("mapDimensions"));
    m_dimsBox->addItem(tr("2D"), 2);
    m_dimsBox->addItem(tr("3D"), 3);
    m_dimsBox->setToolTip(tr("3D: drag to turn the map, the nearer words drawn stronger"));
    m_limit = new QSpinBox(this);
    m_limit->setObjectName(QStringLiteral("mapLimit"));
    m_limit->setRange(0, 100000000);
    m_limit->setSingleStep(5000);
    m_limit->setSpecialValueText(tr("Words: all"));
    m_limit->setPrefix(tr("Words: "));
    m_limit->setGroupSeparatorShown(true);
    m_limit->setKeyboardTracking(false);
    m_limit->setToolTip(tr("How many of the most frequent words the map shows (all: every "
                           "one). t-SNE and UMAP take longer the more words they place."));

    m_axes = new QComboBox(this);
    for (auto [x, y] : { std::pair { 0, 1 }, { 1, 2 }, { 0, 2 }, { 2, 3 } })
        m_axes->addItem(tr("PC%1 / PC%2").arg(x + 1).arg(y + 1), QPoint(x, y));
    m_labels = new QSpinBox(this);
    m_labels->setRange(0, 1000);
    m_labels->setValue(60);
    m_labels->setPrefix(tr("Labels: "));
    m_labels->setToolTip(tr("How many of the most frequent words carry a label"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("mapSearch"));
    m_search->setPlaceholderText(tr("Find a word..."));
    m_search->setClearButtonEnabled(true);
    m_words = new QStringListModel(this);
    auto *completer = new QCompleter(m_words, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setModelSorting(QCompleter::UnsortedModel);
    m_search->setCompleter(completer);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("mapInfo"));
    m_quality = new QLabel(this);
    m_quality->setObjectName(QStringLiteral("mapPreservation"));
    m_trailButton = new QToolButton(this);
    m_trailButton->setObjectName(QStringLiteral("trailButton"));
    m_trailButton->setText(tr("Trail"));
    m_trailButton->setCheckable(true);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);

    // Custom axes: a direction in words for each.
    m_customRow = new QWidget(this);
    auto *customLayout = new QHBoxLayout(m_customRow);
    customLayout->setContentsMargins(0, 0, 3, 0);
    const QString arrows[3] = { tr("Across:"), tr("Up:"), tr("Depth:") };
    const QString examples[3]
        = { tr("e.g. man - woman"), tr("e.g. king - queen"), tr("e.g. good - bad") };
    for (int a = 0; a < 3; ++a) {
        auto *label = new QLabel(arrows[a], m_customRow);
        auto *edit = new QLineEdit(m_customRow);
        edit->setObjectName(QStringLiteral("customAxis%1").arg(a + 1));
        edit->setPlaceholderText(examples[a]);
        edit->setClearButtonEnabled(true);
        edit->setToolTip(tr("Words joined by + and -, a space on each side of the sign: the map "
                            "places each word by its dot product with this direction"));
        label->setBuddy(edit);
        customLayout->addWidget(label);
        customLayout->addWidget(edit, 1);
        m_axisEdits.append(edit);
        connect(edit, &QLineEdit::editingFinished, this, [this] {
            QStringList axes;
            for (int i = 0; i < m_dims; ++i)
                axes << m_axisEdits[i]->text().trimmed();
            if (axes != m_customAxes)
                setCustomAxes(axes);
        });
    }

    // An iterative method's progress, with Cancel.
    m_progressRow = new QWidget(this);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 3, 0);
    m_progressBar = new QProgressBar(m_progressRow);
    m_progressBar->setObjectName(QStringLiteral("mapProgress"));
    m_cancelButton = new QToolButton(m_progressRow);
    m_cancelButton->setObjectName(QStringLiteral("mapCancel"));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop here: the map keeps the positions reached so far"));
    progressLayout->addWidget(m_progressBar, 1);
    progressLayout->addWidget(m_cancelButton);
    m_progressRow->hide();
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(120);

    // However long the source's name, the line under the map never widens its dock.
    m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_info->setMinimumWidth(1);

    // The controls wrap onto as many lines as the map's width needs, one on a wide window.
    auto *controls = new QWidget(this);
    auto *flow = new FlowLayout(6, 3);
    flow->setContentsMargins(0, 0, 3, 3);
    controls->setLayout(flow);
    for (QWidget *w : std::initializer_list<QWidget *> { m_methodBox, m_dimsBox, m_axes, m_limit,
             m_labels, m_search, m_quality, m_trailButton })
        flow->addWidget(w);
    m_search->setMinimumWidth(m_search->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 18);
    m_header = flow;
    auto *status = new QHBoxLayout;
    status->setContentsMargins(0, 0, 3, 0);
    status->addWidget(m_info, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(controls);
    layout->addWidget(m_customRow);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_progressRow);
    layout->addLayout(status);

    connect(m_methodBox, &QComboBox::currentIndexChanged, this,
        [this] { setMethod(m_methodBox->currentData().toString()); });
    connect(m_dimsBox, &QComboBox::currentIndexChanged, this,
        [this] { setDimensions(m_dimsBox->currentData().toInt()); });
    connect(m_limit, &QSpinBox::valueChanged, this, [this](int n) { setMaxPoints(n); });
    connect(m_axes, &QComboBox::currentIndexChanged, this, [this] {
        const QPoint p = m_axes->currentData().toPoint();
        setAxes(p.x(), p.y());
    });
    connect(m_labels, &QSpinBox::valueChanged, this, [this] { redraw(true); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { selectWord(m_search->text()); });
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
        &EmbeddingMap::selectWord);
    connect(m_cancelButton, &QToolButton::clicked, this, [this] {
        if (m_projection.isRunning() || m_history.running) {
            cancelProjection();
            return;
        }
        // A stopped map: project it again from the start.
        m_progressRow->hide();
        m_note.clear();
        m_live = false;
        requestProjection();
    });
    connect(m_progressTimer, &QTimer::timeout, this, &EmbeddingMap::pollProgress);
    // After the layout: the axis rect (and with it every pixel position) is final by then.
    connect(m_plot, &QCustomPlot::afterLayout, this, &EmbeddingMap::layoutLabels);
    connect(m_plot, &QCustomPlot::mouseMove, this, &EmbeddingMap::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &EmbeddingMap::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &EmbeddingMap::onMouseRelease);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &EmbeddingMap::showContextMenu);
    connect(
        m_trailButton, &QToolButton::toggled, this, [this](bool on) { setTrail(m_selected, on); });
    // The view follows the data until the user zooms or pans; a double-click fits it again.
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followData = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &EmbeddingMap::fitAgain);
    // A view that follows the data is fitted again to a new size (a maximised window).
    m_plot->installEventFilter(this);
    createToolRows();
    applyPalette();
    updateControls();
    showEmpty();
    updateTrailButton();
}

void EmbeddingMap::addHeaderWidget(QWidget *widget)
{
    m_header->insertWidget(0, widget);
}

void EmbeddingMap::showEmpty()
{
    m_plot->xAxis->setLabel(QString());
    m_plot->yAxis->setLabel(QString());
    m_quality->clear();
    m_info->setText(tr("Train a model or import vectors to see the map."));
}

EmbeddingMap::~EmbeddingMap()
{
    if (m_progress)
        m_progress->stop = true; // a task in flight ends soon; it delivers nothing
    if (m_history.stop)
        *m_history.stop = true;
}

void EmbeddingMap::updateControls()
{
    {
        const QSignalBlocker b1(m_methodBox), b2(m_dimsBox), b3(m_limit);
        m_methodBox->setCurrentIndex(m_methodBox->findData(QString::fromStdString(m_method)));
        m_dimsBox->setCurrentIndex(m_dimsBox->findData(m_dims));
        m_limit->setValue(m_maxPoints);
    }
    m_axes->setVisible(m_method == "pca" && m_dims == 2);
    const bool custom = m_method == "custom";
    m_customRow->setVisible(custom);
    for (int a = 0; a < m_axisEdits.size(); ++a) {
        m_axisEdits[a]->setVisible(a < m_dims);
        m_customRow->layout()->itemAt(2 * a)->widget()->setVisible(a < m_dims);
        if (a < m_customAxes.size() && m_axisEdits[a]->text().trimmed() != m_customAxes[a])
            m_axisEdits[a]->setText(m_customAxes[a]);
    }
    // Depth shading and dragging to turn belong to 3D; panning to 2D.
    m_plot->setInteraction(QCP::iRangeDrag, m_dims == 2);
    for (QCPAxis *ax : { m_plot->xAxis, m_plot->yAxis }) {
        ax->setTickLabels(m_dims == 2);
        ax->setTicks(m_dims == 2);
    }
}

void EmbeddingMap::setMethod(const QString &id)
{
    const std::string method = id.toStdString();
    if (!findMethod(method) || method == m_method)
        return;
    m_limits[m_method] = m_maxPoints;
    m_method = method;
    m_maxPoints = m_limits.count(method) ? m_limits[method] : 0;
    updateWordList(m_drawTable.get()); // the search offers the words this method shows
    m_live = false; // a frame of another method is no start
    m_fitted = false;
    m_followData = true;
    m_note.clear();
    updateControls();
    resetHistoryFrames();
    requestProjection();
}

void EmbeddingMap::setDimensions(int dims)
{
    dims = std::clamp(dims, 2, 3);
    if (dims == m_dims)
        return;
    m_dims = dims;
    m_rotation.setIdentity();
    if (m_method == "custom") {
        QStringList axes = m_customAxes;
        while (axes.size() < dims)
            axes << m_axisEdits[axes.size()]->text().trimmed();
        m_customAxes = axes.mid(0, dims);
    }
    m_live = false;
    m_fitted = false;
    m_followData = true;
    m_note.clear();
    updateControls();
    applyPalette();
    if (m_method == "pca" && m_frame && m_frame->method == "pca") {
        // PCA has the components of both already.
        updateView();
        redraw(false);
        requestPreservation();
        resetHistoryFrames();
        return;
    }
    resetHistoryFrames();
    requestProjection();
}

void EmbeddingMap::setCustomAxes(const QStringList &axes)
{
    m_customAxes = axes;
    for (QString &a : m_customAxes)
        a = a.trimmed();
    updateControls();
    if (m_method != "custom")
        return;
    m_fitted = false;
    m_followData = true;
    resetHistoryFrames();
    requestProjection();
}

void EmbeddingMap::setTable(
    std::shared_ptr<const WordVectors> table, const QString &source, bool live)
{
    const bool sameWords = m_table && table && m_table->size() == table->size();
    m_history.wanted = -1; // the map leaves the recorded steps for this table
    m_table = std::move(table);
    m_source = source;
    m_live = live && sameWords;
    m_tableNote.clear();
    if (!sameWords)
        followSubset();
    applySubset();
    if (!sameWords) {
        updateWordList(m_drawTable.get());
        m_fitted = false;
        m_followData = true;
    }
    requestProjection();
}

QColor EmbeddingMap::classColour(int c, bool dark)
{
    // Distinct hues that stay apart for the common colour-vision deficiencies (Okabe and Ito).
    static const QColor colours[MaxClassColours]
        = { QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
              QColor(0xcc, 0x79, 0xa7), QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
              QColor(0x8e, 0x44, 0xad), QColor(0x6d, 0x4c, 0x41), QColor(0x2c, 0x3e, 0x50) };
    QColor colour = colours[std::clamp(c, 0, MaxClassColours - 1)];
    return dark ? colour.lighter(135) : colour;
}

void EmbeddingMap::setWordClasses(const QStringList &names, std::vector<int> rowClass)
{
    m_classNames = names;
    m_rowClass = std::move(rowClass);
    applyPalette();
    redraw(true);
}

int EmbeddingMap::wordClass(const QString &word) const
{
    if (!m_frame || m_classNames.isEmpty())
        return -1;
    const auto &table = *m_frame->table;
    const auto row = table.find(word.toStdString());
    if (row < 0 || row >= m_view.rows())
        return -1;
    return classOfRow(row);
}

int EmbeddingMap::classOfRow(int row) const
{
    const auto r = static_cast<std::size_t>(row);
    if (m_colourColumn >= 0)
        return r < m_frameClass.size() ? m_frameClass[r] : -1;
    if (!m_frame)
        return -1;
    // The classifier's classes are of the whole table's rows.
    const auto &full = m_frame->fullRows;
    const std::size_t f = full.empty() ? r : r < full.size() ? full[r] : m_rowClass.size();
    return f < m_rowClass.size() ? m_rowClass[f] : -1;
}

int EmbeddingMap::frequencyRank(int row) const
{
    // Isolated words keep the colours of their frequency among all the table's words (whose rows
    // are by frequency), not among themselves, where all of a hundred would be "most frequent".
    const auto &full = m_frame->fullRows;
    const auto r = static_cast<std::size_t>(row);
    return full.empty() || r >= full.size() ? m_frame->rank[r] : full[r];
}

int EmbeddingMap::graphOfBand(int band) const
{
    // The later graphs are drawn under the earlier. A metadata column's most common value (often
    // most of the words) goes under the rarer ones, which it would hide; the classifier's
    // classes keep their order. The same mapping both ways.
    return m_colourColumn >= 0 && m_classNames.size() > 0 && band < MaxClassColours
        ? MaxClassColours - 1 - band
        : band;
}

int EmbeddingMap::classBandOf(int row) const
{
    const int c = classOfRow(row);
    return c >= 0 && c < MaxClassColours ? c : MaxClassColours;
}

void EmbeddingMap::clear()
{
    stopProjection(); // a frame of the old table still on its way is not shown
    m_preservationTask.cancel();
    clearHistory();
    m_pendingView.reset(); // a bookmark's zoom waiting for a frame is not for the next table
    m_table.reset();
    m_drawTable.reset();
    m_drawRows.clear();
    m_frame.reset();
    m_coords.resize(0, Components);
    m_view.resize(0, 3);
    m_selected.clear();
    m_neighborRows.clear();
    m_words->setStringList({});
    m_search->clear();
    m_source.clear();
    m_note.clear();
    m_fitted = false;
    m_preservation = std::numeric_limits<double>::quiet_NaN();
    redraw(false);
    showEmpty();
}

void EmbeddingMap::clearSearch()
{
    m_search->clear();
}

QString EmbeddingMap::searchText() const
{
    return m_search->text();
}

void EmbeddingMap::setMaxPoints(int n)
{
    n = std::max(0, n);
    if (n == 1)
        n = 2;
    if (n == m_maxPoints)
        return;
    m_maxPoints = n;
    m_limits[m_method] = n;
    updateControls();
    updateWordList(m_drawTable.get());
    m_live = false;
    m_fitted = false;
    m_followData = true;
    resetHistoryFrames();
    requestProjection();
}

void EmbeddingMap::updateWordList(const WordVectors *table)
{
    QStringList words;
    const std::size_t n = table ? rowsFor(*table) : 0;
    words.reserve(static_cast<qsizetype>(n));
    for (std::size_t i = 0; i < n; ++i)
        words << QString::fromStdString(table->word(i));
    m_words->setStringList(words);
}

std::size_t EmbeddingMap::rowsFor(const WordVectors &table) const
{
    return m_maxPoints <= 0
        ? table.size()
        : std::min<std::size_t>(table.size(), static_cast<std::size_t>(m_maxPoints));
}

int EmbeddingMap::componentsFor(const WordVectors &table) const
{
    if (m_method == "pca")
        return std::min(Components, table.dim());
    if (m_method == "custom")
        return static_cast<int>(m_customAxes.size());
    return m_dims;
}

QStringList EmbeddingMap::axisNames(const std::string &method, int k) const
{
    QStringList names;
    const ProjectionMethod *m = findMethod(method);
    for (int c = 0; c < k; ++c) {
        if (method == "custom" && c < m_customAxes.size())
            names << m_customAxes[c];
        else
            names << QString::fromStdString(m ? m->axisPrefix : std::string())
                    + QString::number(c + 1);
    }
    return names;
}

int EmbeddingMap::labelCount() const
{
    return m_labels->value();
}

void EmbeddingMap::setLabelCount(int n)
{
    m_labels->setValue(n);
}

void EmbeddingMap::setAxes(int x, int y)
{
    m_axisX = std::clamp(x, 0, Components - 1);
    m_axisY = std::clamp(y, 0, Components - 1);
    m_fitted = false;
    updateView();
    redraw(false);
    requestPreservation();
}

bool EmbeddingMap::isProjecting() const
{
    return m_projection.isRunning() || m_history.running;
}

void EmbeddingMap::cancelProjection()
{
    if (m_progress)
        m_progress->stop = true; // it ends at its next report and delivers what it reached
    if (m_history.stop)
        *m_history.stop = true;
}

void EmbeddingMap::stopProjection()
{
    if (m_progress && m_projection.isRunning())
        m_progress->stop = true;
    m_projection.cancel();
}

void EmbeddingMap::resetHistoryFrames()
{
    auto &h = m_history;
    if (h.id.isEmpty())
        return;
    // Frames of other settings are dropped; the run's steps are projected again with these.
    const History kept = h;
    if (h.stop)
        *h.stop = true;
    h = History();
    h.generation = kept.generation + 1;
    h.id = kept.id;
    h.steps = kept.steps;
    h.loader = kept.loader;
    h.wanted = kept.wanted;
    h.source = kept.source;
    h.method = m_method;
    h.dims = m_dims;
    h.axes = m_customAxes;
    h.subset = subsetKey();
    h.rows = m_maxPoints <= 0 ? std::numeric_limits<std::size_t>::max()
                              : static_cast<std::size_t>(m_maxPoints);
    emit historyProgress(0, static_cast<int>(h.steps.size()));
    if (h.wanted >= 0) {
        emit busyChanged(true);
        scheduleHistory();
    }
}

void EmbeddingMap::requestProjection()
{
    if (!m_drawTable)
        return;
    if (m_history.wanted >= 0)
        return; // the recorded step shown is projected with these settings by the history
    if (m_method == "custom"
        && (m_customAxes.size() < m_dims
            || std::any_of(m_customAxes.begin(), m_customAxes.end(),
                [](const QString &a) { return a.isEmpty(); }))) {
        stopProjection();
        m_frame.reset();
        m_coords.resize(0, Components);
        m_view.resize(0, 3);
        redraw(false);
        m_info->setText(m_dims == 2
                ? tr("Type a direction in words for each axis, e.g. man - woman across and "
                     "king - queen up.")
                : tr("Type a direction in words for each of the three axes, e.g. man - woman."));
        m_quality->clear();
        return;
    }
    if (m_drawTable->size() < 2 && isIsolated()) {
        // A filter that finds nothing in this table (another model's, or imported vectors).
        stopProjection();
        m_frame.reset();
        m_coords.resize(0, Components);
        m_view.resize(0, 3);
        redraw(false);
        m_info->setText(tr("The filter “%1” finds fewer than two of the %2 words: Show All Words "
                           "to see the others")
                            .arg(m_subset.pattern.isEmpty() ? m_subset.centre : m_subset.pattern,
                                QLocale().toString(static_cast<qulonglong>(m_table->size()))));
        m_quality->clear();
        return;
    }
    // A projection of other settings still running is of no use any more.
    if (m_progress && m_projection.isRunning()
        && (m_progress->method != m_method || m_progress->dims != m_dims
            || m_progress->axes != m_customAxes
            || m_progress->table->size() != m_drawTable->size()))
        m_progress->stop = true;
    // The newest table wins: while one is projected, only the latest waits.
    m_projection.request<std::shared_ptr<Frame>>(
        [this]() -> std::function<std::shared_ptr<Frame>()> {
            emit busyChanged(true);
            auto table = m_drawTable;
            const std::size_t rows = rowsFor(*table);
            const ProjectionMethod *method = &projectionMethod(m_method);
            const int k = componentsFor(*table);
            const bool sameKind = m_frame && m_frame->method == m_method && m_frame->dims == m_dims
                && m_frame->axes == m_customAxes && !m_frame->cancelled;
            RowMatrixXf previous
                = m_live && sameKind && static_cast<std::size_t>(m_coords.rows()) == rows
                ? RowMatrixXf(m_coords.leftCols(k))
                : RowMatrixXf();
            auto progress = std::make_shared<Progress>();
            progress->iterative = method->iterative;
            progress->live = previous.rows() > 0;
            progress->name = QString::fromStdString(method->name);
            progress->table = table;
            progress->method = m_method;
            progress->dims = m_dims;
            progress->axes = m_customAxes;
            m_progress = progress;
            if (method->iterative) {
                m_cancelButton->setText(tr("Cancel"));
                m_cancelButton->setToolTip(
                    tr("Stop here: the map keeps the positions reached so far"));
                m_progressBar->setRange(0, 0);
                m_progressBar->setFormat(tr("%1: finding the neighbours...").arg(progress->name));
                m_progressRow->show();
                m_progressTimer->start();
            }
            std::vector<std::string> axes;
            for (const QString &a : std::as_const(m_customAxes))
                axes.push_back(a.toStdString());
            Frame shape;
            shape.method = m_method;
            shape.dims = m_dims;
            shape.axes = m_customAxes;
            shape.k = k;
            shape.axisNames = axisNames(m_method, k);
            shape.fullRows = m_drawRows;
            return
                [table, rows, previous, method, progress, axes, shape]() -> std::shared_ptr<Frame> {
                    auto f = std::make_shared<Frame>(shape);
                    f->table = table;
                    try {
                        ProjectionRequest request;
                        request.components = shape.k;
                        request.rows = rows;
                        request.axes = axes;
                        if (previous.rows() == static_cast<Eigen::Index>(rows)
                            && previous.cols() == shape.k)
                            request.previous = previous;
                        request.progress = [progress](std::size_t done, std::size_t total,
                                               const RowMatrixXf &positions) {
                            const std::lock_guard<std::mutex> lock(progress->mutex);
                            progress->done = done;
                            progress->total = total;
                            progress->positions = positions;
                            progress->fresh = true;
                            return !progress->stop.load();
                        };
                        try {
                            const Projection p = method->project(*table, request);
                            f->coords = padded(p.coords, Components);
                            if (p.axisShare.size() == shape.k)
                                f->ratio = padded(p.axisShare.transpose(), Components).transpose();
                        } catch (const Cancelled &) {
                            const std::lock_guard<std::mutex> lock(progress->mutex);
                            if (progress->positions.rows() != static_cast<Eigen::Index>(rows))
                                throw;
                            f->coords = padded(progress->positions, Components);
                            f->cancelled = true;
                            f->done = progress->done;
                            f->total = progress->total;
                        }
                        frequencyOrder(*table, rows, f->order, f->rank);
                    } catch (const std::exception &e) {
                        f->error = QString::fromStdString(e.what());
                    }
                    return f;
                };
        },
        [this](std::shared_ptr<std::shared_ptr<Frame>> frame, QString error) {
            // Stopped for newer settings, whose request waits: it shows instead.
            const bool superseded = m_progress && m_progress->stop && m_projection.hasWaiting();
            m_progressTimer->stop();
            m_progressRow->hide(); // the next request, if any, shows it again
            emit projectionProgress(0, 0);
            emit busyChanged(false);
            if (superseded)
                return;
            if (!frame) {
                m_info->setText(error);
                return;
            }
            showFrame(*frame);
        });
}

void EmbeddingMap::pollProgress()
{
    const std::shared_ptr<Progress> p = m_progress;
    if (!p)
        return;
    RowMatrixXf positions;
    std::size_t done = 0, total = 0;
    {
        const std::lock_guard<std::mutex> lock(p->mutex);
        done = p->done;
        total = p->total;
        if (p->fresh && !p->live && !p->stop)
            positions = p->positions;
        p->fresh = false;
    }
    if (total > 0) {
        m_progressBar->setRange(0, static_cast<int>(total));
        m_progressBar->setValue(static_cast<int>(done));
        m_progressBar->setFormat(tr("%1: iteration %2 of %3")
                                     .arg(p->name)
                                     .arg(QLocale().toString(static_cast<qulonglong>(done)))
                                     .arg(QLocale().toString(static_cast<qulonglong>(total))));
        emit projectionProgress(static_cast<int>(done), static_cast<int>(total));
    }
    if (positions.rows() < 2 || m_history.wanted >= 0)
        return;
    // The optimisation as it goes: its positions so far, drawn as a frame of their own.
    if (p->order.size() != static_cast<std::size_t>(positions.rows()))
        frequencyOrder(*p->table, static_cast<std::size_t>(positions.rows()), p->order, p->rank);
    auto f = std::make_shared<Frame>();
    f->table = p->table;
    f->coords = padded(positions, Components);
    f->k = static_cast<int>(positions.cols());
    f->axisNames = axisNames(p->method, f->k);
    f->method = p->method;
    f->dims = p->dims;
    f->axes = p->axes;
    f->order = p->order;
    f->rank = p->rank;
    f->cancelled = true; // not a start for the next frame
    f->done = done;
    f->total = total;
    if (!std::isnan(m_preservation) || !m_quality->text().isEmpty()) {
        // The figure of the frame before says nothing of this one.
        m_preservationTask.cancel();
        m_preservation = std::numeric_limits<double>::quiet_NaN();
        m_quality->clear();
    }
    m_frame = std::move(f);
    m_coords = m_frame->coords;
    updateView();
    redraw(m_fitted && !m_followData);
}

void EmbeddingMap::showFrame(std::shared_ptr<Frame> frame)
{
    if (!frame->error.isEmpty()) {
        m_note = frame->error;
        m_info->setText(frame->error);
        return;
    }
    m_note = frame->cancelled
        ? tr("%1 stopped at iteration %2 of %3: the map is unfinished.")
              .arg(QString::fromStdString(projectionMethod(frame->method).name))
              .arg(QLocale().toString(static_cast<qulonglong>(frame->done)),
                  QLocale().toString(static_cast<qulonglong>(frame->total)))
        : QString();
    if (frame->cancelled) {
        // Stopped by the user: the bar stays where it stopped, with a way to run again.
        m_progressBar->setRange(0, static_cast<int>(std::max<std::size_t>(frame->total, 1)));
        m_progressBar->setValue(static_cast<int>(frame->done));
        m_progressBar->setFormat(
            tr("Stopped at iteration %1 of %2")
                .arg(QLocale().toString(static_cast<qulonglong>(frame->done)),
                    QLocale().toString(static_cast<qulonglong>(frame->total))));
        m_cancelButton->setText(tr("Run Again"));
        m_cancelButton->setToolTip(tr("Project these words again from the start"));
        m_progressRow->show();
    }
    m_frame = std::move(frame);
    m_coords = m_frame->coords;
    updateView();
    updateNeighborRows();
    redraw(m_fitted && !m_followData);
    emit projectionUpdated();
    requestPreservation();
}

void EmbeddingMap::updateView()
{
    const Eigen::Index n = m_coords.rows();
    m_view.resize(n, 3);
    if (n == 0)
        return;
    if (m_dims == 2 || !m_frame || m_frame->k < 3) {
        const int x = m_frame && m_frame->method == "pca" ? m_axisX : 0;
        const int y = m_frame && m_frame->method == "pca" ? m_axisY : 1;
        m_view.col(0) = m_coords.col(x);
        m_view.col(1) = m_coords.col(y);
        m_view.col(2).setZero();
        return;
    }
    m_centre = m_coords.leftCols(3).cast<double>().colwise().mean().transpose();
    const Eigen::Matrix3f r = m_rotation.cast<float>();
    const Eigen::RowVector3f c = m_centre.cast<float>().transpose();
    m_view = (m_coords.leftCols(3).rowwise() - c) * r.transpose();
}

QPointF EmbeddingMap::viewPoint(const RowMatrixXf &coords, Eigen::Index row, double *depth) const
{
    if (m_dims == 2 || !m_frame || m_frame->k < 3) {
        const bool pca = m_frame && m_frame->method == "pca";
        if (depth)
            *depth = 0;
        return { coords(row, pca ? m_axisX : 0), coords(row, pca ? m_axisY : 1) };
    }
    const Eigen::Vector3d p = coords.row(row).head(3).cast<double>().transpose() - m_centre;
    const Eigen::Vector3d q = m_rotation * p;
    if (depth)
        *depth = q(2);
    return { q(0), q(1) };
}

void EmbeddingMap::rotate(double yaw, double pitch)
{
    if (m_dims != 3)
        return;
    const Eigen::Matrix3d turn = (Eigen::AngleAxisd(pitch, Eigen::Vector3d::UnitX())
        * Eigen::AngleAxisd(yaw, Eigen::Vector3d::UnitY()))
                                     .toRotationMatrix();
    m_rotation = turn * m_rotation;
    updateView();
    redraw(true);
}

double EmbeddingMap::depth(const QString &word) const
{
    if (!m_frame || m_dims != 3)
        return qQNaN();
    const int row = m_frame->table->find(word.toStdString());
    if (row < 0 || row >= m_view.rows())
        return qQNaN();
    return m_view(row, 2);
}

void EmbeddingMap::requestPreservation()
{
    m_preservation = std::numeric_limits<double>::quiet_NaN();
    m_quality->clear();
    if (!m_frame || m_frame->cancelled || m_view.rows() <= PreservationK + 1)
        return;
    m_quality->setText(tr("Neighbours kept: ..."));
    m_preservationTask.request<double>(
        [this]() -> std::function<double()> {
            auto table = m_frame->table;
            const Eigen::Index n = m_view.rows();
            // The map's own space: its two axes, or its three in 3D (turning keeps distances).
            RowMatrixXf y = m_dims == 3 && m_frame->k >= 3 ? RowMatrixXf(m_coords.leftCols(3))
                                                           : RowMatrixXf(m_view.leftCols(2));
            std::vector<int> queries;
            const int q = static_cast<int>(std::min<Eigen::Index>(n, PreservationSample));
            for (int j = 0; j < q; ++j)
                queries.push_back(
                    m_frame->order[static_cast<std::size_t>((static_cast<long long>(j) * n) / q)]);
            return [table, n, y, queries]() {
                return neighborhoodPreservation(
                    table->vectors().topRows(n), y, PreservationK, queries);
            };
        },
        [this](std::shared_ptr<double> share, QString error) {
            if (!share) {
                m_quality->setText(QString());
                m_quality->setToolTip(error);
                return;
            }
            m_preservation = *share;
            // A few per cent is worth its decimal: "0%" would read as a fault.
            const double percent = 100.0 * *share;
            m_quality->setText(
                tr("Neighbours kept: %1%").arg(percent, 0, 'f', percent < 9.95 ? 1 : 0));
            m_quality->setToolTip(
                tr("Of each word's %1 nearest neighbours in the full space (by cosine), the share "
                   "that are also among its %1 nearest on this map, averaged over %2 words across "
                   "the frequency ranks. The lower it is, the less the distances on the map can "
                   "be trusted: check a word's neighbours in the Neighbours panel.")
                    .arg(PreservationK)
                    .arg(std::min<Eigen::Index>(m_view.rows(), PreservationSample)));
            emit preservationMeasured(*share);
        });
}

void EmbeddingMap::redraw(bool keepView)
{
    for (QCPCurve *c : std::as_const(m_trailCurves))
        m_plot->removePlottable(c);
    m_trailCurves.clear();
    for (QCPGraph *g : std::as_const(m_bands))
        g->data()->clear();
    m_selectedGraph->data()->clear();
    m_plot->clearItems();
    m_outsideNote = nullptr;
    m_labelItems.clear();
    m_neighborItems.clear();
    if (!m_frame || m_view.rows() == 0) {
        m_plot->xAxis->setLabel(QString());
        m_plot->yAxis->setLabel(QString());
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    updateFrameClasses();
    const int n = static_cast<int>(m_view.rows());
    const bool threeD = m_dims == 3 && m_frame->k >= 3;
    // Depth layers by thirds of the depth range, nearest last.
    float nearest = 0, farthest = 0;
    if (threeD) {
        nearest = m_view.col(2).maxCoeff();
        farthest = m_view.col(2).minCoeff();
    }
    const float span = std::max(nearest - farthest, 1e-12f);
    const auto layerOf = [&](int i) {
        if (!threeD)
            return DepthLayers - 1;
        const float t = (m_view(i, 2) - farthest) / span;
        return std::min(DepthLayers - 1, static_cast<int>(t * DepthLayers));
    };
    QVector<QVector<QCPGraphData>> data(DepthLayers * GraphBands);
    for (auto &d : data)
        d.reserve(n / BandCount + 1);
    for (int i = 0; i < n; ++i) {
        const int b = m_classNames.isEmpty() ? bandOf(frequencyRank(i)) : classBandOf(i);
        data[layerOf(i) * GraphBands + graphOfBand(b)].append(
            QCPGraphData(m_view(i, 0), m_view(i, 1)));
    }
    for (int g = 0; g < data.size(); ++g) {
        std::sort(data[g].begin(), data[g].end(),
            [](const QCPGraphData &a, const QCPGraphData &b) { return a.key < b.key; });
        m_bands[g]->data()->set(data[g], true);
    }

    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor text = palette().color(QPalette::Text);
    const QColor background = palette().color(QPalette::Base);
    QFont labelFont = font();
    labelFont.setPointSizeF(std::max(7.0, labelFont.pointSizeF() * 0.85));
    const int labels = std::min(n, m_labels->value());
    // The selection and its neighbours have labels of their own (updateNeighborLines).
    const int selectedRow
        = m_selected.isEmpty() ? -1 : m_frame->table->find(m_selected.toStdString());
    for (int j = 0; j < labels; ++j) {
        const int i = m_frame->order[static_cast<std::size_t>(j)];
        if (i == selectedRow || m_neighborRows.contains(i))
            continue;
        auto *t = new QCPItemText(m_plot);
        t->position->setCoords(m_view(i, 0), m_view(i, 1));
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        t->setText(
            labelOf(QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(i)))));
        t->setFont(labelFont);
        QColor c = readableOn(!m_classNames.isEmpty()
                ? (classBandOf(i) < MaxClassColours ? classColourOf(classBandOf(i), dark) : text)
                : frequencyRank(i) < BandEdges[0] ? text
                                                  : bandColor(bandOf(frequencyRank(i)), dark),
            background);
        if (threeD) // the far ones fainter, still legible
            c.setAlphaF(0.45 + 0.55 * (m_view(i, 2) - farthest) / span);
        t->setColor(c);
        t->setPadding(QMargins(3, 0, 0, 1));
        m_labelItems.append(t);
    }
    updateNeighborLines();
    drawTrails();

    const auto axisLabel = [this](int c) {
        const QString axis = c < m_frame->axisNames.size() ? m_frame->axisNames[c] : QString();
        if (m_frame->ratio.size() == 0)
            return axis;
        return tr("%1 (%2% of variance)").arg(axis).arg(100.0 * m_frame->ratio(c), 0, 'f', 1);
    };
    const bool pca = m_frame->method == "pca";
    if (threeD) {
        m_plot->xAxis->setLabel(tr("drag to turn"));
        m_plot->yAxis->setLabel(QString());
    } else {
        m_plot->xAxis->setLabel(axisLabel(pca ? m_axisX : 0));
        m_plot->yAxis->setLabel(axisLabel(pca ? m_axisY : 1));
    }
    if (!keepView || !m_fitted)
        fitView();
    m_outsideNote = new QCPItemText(m_plot);
    m_outsideNote->setObjectName(QStringLiteral("outsideNote"));
    m_outsideNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_outsideNote->position->setCoords(0.995, 0.005);
    m_outsideNote->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_outsideNote->setColor(readableOn(palette().color(QPalette::PlaceholderText), background));
    m_outsideNote->setBrush(QBrush(background));
    m_outsideNote->setPadding(QMargins(4, 2, 4, 2));
    m_outsideNote->setClipToAxisRect(true);
    m_outsideNote->setText(outsideNoteText());
    const QLocale locale;
    const std::size_t total = m_frame->table->size();
    QString shown = static_cast<std::size_t>(n) < total
        ? tr("the %1 most frequent of %2 words")
              .arg(locale.toString(n))
              .arg(locale.toString(static_cast<qulonglong>(total)))
        : tr("all %1 words").arg(locale.toString(n));
    QString line = tr("%1 · %2").arg(m_source, shown);
    if (!m_note.isEmpty())
        line = m_note + QStringLiteral(" · ") + line;
    if (!m_tableNote.isEmpty())
        line = m_tableNote + QStringLiteral(" · ") + line;
    m_info->setText(line);
    // The whole line when the dock cuts it, and how to read the map.
    m_info->setToolTip(line + QLatin1Char('\n')
        + (threeD ? tr("Red: the most frequent words. Drag to turn, wheel to zoom, double-click "
                       "to fit.")
                  : tr("Red: the most frequent words. Drag to pan, wheel to zoom, double-click "
                       "to fit.")));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

namespace {

// The value below which a share q of v lies (v is reordered).
float quantile(std::vector<float> &v, double q)
{
    const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[static_cast<std::size_t>(k)];
}

} // namespace

void EmbeddingMap::fitView()
{
    // The bulk of the words, about the 1st to the 99th percentile on each axis, so that a few
    // outliers (early in training "the" and the punctuation) do not shrink the rest into a blob;
    // the words outside are named in the corner, and a double-click shows them all.
    m_outsideRows.clear();
    m_fitted = true;
    const Eigen::Index n = m_view.rows();
    if (n == 0)
        return;
    const bool threeD = m_dims == 3 && m_frame && m_frame->k >= 3;
    const double lowQ = m_fitAll ? 0.0 : 0.01, highQ = m_fitAll ? 1.0 : 0.99;
    std::vector<float> v(static_cast<std::size_t>(n));
    if (threeD) {
        // Turning must not leave the view: a square window on the sphere the points fill.
        for (Eigen::Index i = 0; i < n; ++i)
            v[static_cast<std::size_t>(i)] = m_view.row(i).head(3).norm();
        const double r = std::max(1e-9f, quantile(v, highQ));
        m_plot->xAxis->setRange(-1.05 * r, 1.05 * r);
        m_plot->yAxis->setRange(-1.05 * r, 1.05 * r);
        for (Eigen::Index i = 0; i < n; ++i)
            if (m_view.row(i).head(3).norm() > r)
                m_outsideRows.append(static_cast<int>(i));
    } else {
        for (int c = 0; c < 2; ++c) {
            for (Eigen::Index i = 0; i < n; ++i)
                v[static_cast<std::size_t>(i)] = m_view(i, c);
            // Past the percentiles by 25% of their span, so that a cloud's rim stays in view.
            const double lo = quantile(v, lowQ), hi = quantile(v, highQ);
            const double half = std::max(0.5 * (hi - lo) * (m_fitAll ? 1.08 : 1.5), 1e-9);
            (c == 0 ? m_plot->xAxis : m_plot->yAxis)
                ->setRange(0.5 * (lo + hi) - half, 0.5 * (lo + hi) + half);
        }
        const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
        for (Eigen::Index i = 0; i < n; ++i)
            if (!x.contains(m_view(i, 0)) || !y.contains(m_view(i, 1)))
                m_outsideRows.append(static_cast<int>(i));
    }
    if (!m_fitAll)
        m_hasOutliers = !m_outsideRows.isEmpty();
    // The most frequent first.
    std::sort(m_outsideRows.begin(), m_outsideRows.end(), [this](int a, int b) {
        return m_frame->rank[static_cast<std::size_t>(a)]
            < m_frame->rank[static_cast<std::size_t>(b)];
    });
}

QString EmbeddingMap::outsideNoteText() const
{
    if (!m_frame)
        return {};
    if (m_fitAll)
        return m_hasOutliers ? tr("All words shown · double-click fits the bulk") : QString();
    if (m_outsideRows.isEmpty())
        return {};
    // As many of their words as fit on the plot, the most frequent first.
    const QFontMetricsF fm(m_plot->font());
    const double room = std::max(120, m_plot->axisRect()->width() - 16);
    const int n = static_cast<int>(m_outsideRows.size());
    QString text;
    for (int shown = std::min(n, 5); shown >= 0; --shown) {
        QStringList words;
        for (int j = 0; j < shown; ++j)
            words << QString::fromStdString(
                m_frame->table->word(static_cast<std::size_t>(m_outsideRows[j])));
        if (shown < n)
            words << QStringLiteral("…");
        text = tr("%n outside the view: %1 · double-click shows all", nullptr, n)
                   .arg(words.join(QLatin1Char(' ')));
        if (fm.horizontalAdvance(text) <= room)
            break;
    }
    return text;
}

QStringList EmbeddingMap::wordsOutsideView() const
{
    QStringList words;
    if (m_frame)
        for (int row : m_outsideRows)
            words << QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(row)));
    return words;
}

void EmbeddingMap::fitAgain()
{
    // A double-click: back to the fitted view; on a fitted view, between the bulk and all words.
    if (m_followData && m_fitted && (!m_outsideRows.isEmpty() || m_fitAll))
        m_fitAll = !m_fitAll;
    else
        m_fitAll = false;
    m_followData = true;
    redraw(false);
}

void EmbeddingMap::selectWord(const QString &word)
{
    m_selected.clear();
    m_neighborRows.clear();
    if (!m_frame || word.isEmpty()) {
        redraw(true);
        return;
    }
    const int row = m_frame->table->find(word.toStdString());
    if (row < 0 || row >= m_view.rows()) {
        redraw(true); // the word selected before lets go
        updateTrailButton();
        m_info->setText(row < 0
                ? tr("“%1” is not on the map").arg(word)
                : tr("“%1” is not among the %2 words drawn: raise Words to see it")
                      .arg(word, QLocale().toString(static_cast<qlonglong>(m_view.rows()))));
        return;
    }
    m_selected = word;
    updateNeighborRows();
    {
        const QSignalBlocker blocker(m_trailButton);
        m_trailButton->setChecked(m_trails.contains(word));
    }
    updateTrailButton();
    redraw(true);
    // A word off the view (or near its edge) is brought in, keeping the zoom; one in view (a
    // click) stays where it is, and so does the view.
    const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
    const double mx = 0.05 * x.size(), my = 0.05 * y.size();
    if (!QCPRange(x.lower + mx, x.upper - mx).contains(m_view(row, 0))
        || !QCPRange(y.lower + my, y.upper - my).contains(m_view(row, 1))) {
        m_followData = false; // and keep it there as the map moves
        m_plot->xAxis->setRange(m_view(row, 0), x.size(), Qt::AlignCenter);
        m_plot->yAxis->setRange(m_view(row, 1), y.size(), Qt::AlignCenter);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    emit wordSelected(word);
}

void EmbeddingMap::updateNeighborRows()
{
    // Nearest neighbours by cosine in the full space, among the words on the map.
    m_neighborRows.clear();
    if (m_selected.isEmpty() || !m_frame)
        return;
    const int row = m_frame->table->find(m_selected.toStdString());
    const int n = static_cast<int>(
        std::min<Eigen::Index>(m_coords.rows(), static_cast<Eigen::Index>(m_frame->table->size())));
    if (row < 0 || row >= n)
        return;
    const auto &v = m_frame->table->vectors();
    const Eigen::VectorXf q = v.row(row).transpose().normalized();
    Eigen::VectorXf scores
        = (v.topRows(n) * q).array() / v.topRows(n).rowwise().norm().array().max(1e-12f);
    scores(row) = -std::numeric_limits<float>::infinity();
    QVector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    const int k = std::min(NeighborLines, n - 1);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
        [&](int a, int b) { return scores(a) > scores(b); });
    m_neighborRows = QVector<int>(order.begin(), order.begin() + k);
}

void EmbeddingMap::updateNeighborLines()
{
    if (m_selected.isEmpty() || !m_frame)
        return;
    const int row = m_frame->table->find(m_selected.toStdString());
    if (row < 0 || row >= m_view.rows())
        return;
    const QColor accent = palette().color(QPalette::Highlight);
    for (int nb : std::as_const(m_neighborRows)) {
        if (nb >= m_view.rows())
            continue;
        auto *line = new QCPItemLine(m_plot);
        line->start->setCoords(m_view(row, 0), m_view(row, 1));
        line->end->setCoords(m_view(nb, 0), m_view(nb, 1));
        QColor c = accent;
        c.setAlpha(170);
        line->setPen(QPen(c, 1.5));
        auto *t = new QCPItemText(m_plot);
        t->position->setCoords(m_view(nb, 0), m_view(nb, 1));
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        t->setText(
            labelOf(QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(nb)))));
        t->setColor(readableOn(accent, palette().color(QPalette::Base)));
        m_neighborItems.append(t);
    }
    m_selectedGraph->setData({ m_view(row, 0) }, { m_view(row, 1) });
    auto *label = new QCPItemText(m_plot);
    label->position->setCoords(m_view(row, 0), m_view(row, 1));
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label->setText(labelOf(m_selected));
    QFont bold = font();
    bold.setBold(true);
    label->setFont(bold);
    label->setColor(palette().color(QPalette::Text));
    label->setBrush(QBrush(palette().color(QPalette::Base)));
    label->setPadding(QMargins(3, 1, 3, 1));
    m_neighborItems.prepend(label);
}

void EmbeddingMap::layoutLabels()
{
    // Greedy placement in order of importance (the selection and its neighbours, then by
    // frequency). Each label may sit at any of its point's four corners, the first that is inside
    // the plot and overlaps nothing placed; a frequent word's label that finds none is hidden at
    // this zoom.
    QVector<QRectF> placed;
    const QRectF area = m_plot->axisRect()->rect();
    if (m_outsideNote) {
        m_outsideNote->setText(outsideNoteText()); // as many words as fit at this size
        m_outsideNote->setVisible(m_followData && !m_outsideNote->text().isEmpty());
        if (m_outsideNote->visible()) {
            const QFontMetricsF fm(m_outsideNote->font());
            const QSizeF size = fm.size(0, m_outsideNote->text()) + QSizeF(8, 4);
            placed.append(QRectF(QPointF(area.right() - size.width(), area.top()), size));
        }
    }
    static const Qt::Alignment corners[]
        = { Qt::AlignLeft | Qt::AlignBottom, Qt::AlignRight | Qt::AlignBottom,
              Qt::AlignLeft | Qt::AlignTop, Qt::AlignRight | Qt::AlignTop };
    const auto rectOf = [](QCPItemText *t, Qt::Alignment corner) {
        const QFontMetricsF fm(t->font());
        const QPointF p = t->position->pixelPosition();
        const QMarginsF pad = t->padding();
        const QSizeF size
            = fm.size(0, t->text()) + QSizeF(pad.left() + pad.right(), pad.top() + pad.bottom());
        const double x = corner & Qt::AlignLeft ? p.x() : p.x() - size.width();
        const double y = corner & Qt::AlignBottom ? p.y() - size.height() : p.y();
        return QRectF(QPointF(x, y), size);
    };
    const auto overlaps = [&placed](const QRectF &r) {
        double area = 0;
        for (const QRectF &q : std::as_const(placed))
            if (q.intersects(r)) {
                const QRectF i = q.intersected(r);
                if (i.width() > 1 && i.height() > 1) // not a sub-pixel touch
                    area += i.width() * i.height();
            }
        return area;
    };
    const auto place = [&](QCPItemText *t, bool always) {
        int best = -1;
        double bestOverlap = std::numeric_limits<double>::infinity();
        for (int c = 0; c < 4; ++c) {
            const QRectF r = rectOf(t, corners[c]);
            if (!area.contains(r))
                continue;
            const double o = overlaps(r);
            if (o == 0) {
                best = c;
                bestOverlap = 0;
                break;
            }
            if (o < bestOverlap) {
                best = c;
                bestOverlap = o;
            }
        }
        const bool shown = best >= 0 && (bestOverlap == 0 || always);
        if (best < 0)
            best = 0;
        t->setPositionAlignment(corners[best]);
        t->setVisible(shown || always); // the selection's label even at the edge
        if (shown || always)
            placed.append(rectOf(t, corners[best]));
    };
    // The selected word's own label always shows; its neighbours' take precedence over the
    // frequent words' but, like them, only where they overlap nothing.
    for (int i = 0; i < m_neighborItems.size(); ++i)
        place(m_neighborItems[i], i == 0);
    for (QCPItemText *t : std::as_const(m_labelItems))
        place(t, false);
}

int EmbeddingMap::visibleLabelCount() const
{
    return static_cast<int>(std::count_if(
        m_labelItems.begin(), m_labelItems.end(), [](QCPItemText *t) { return t->visible(); }));
}

QPointF EmbeddingMap::position(const QString &word) const
{
    if (!m_frame)
        return { qQNaN(), qQNaN() };
    const int row = m_frame->table->find(word.toStdString());
    if (row < 0 || row >= m_view.rows())
        return { qQNaN(), qQNaN() };
    return { m_view(row, 0), m_view(row, 1) };
}

QString EmbeddingMap::wordAt(const QPointF &pixel) const
{
    if (!m_frame || m_view.rows() == 0)
        return {};
    double best = 36; // within 6 pixels
    int bestRow = -1;
    double bestDepth = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < m_view.rows(); ++i) {
        const double dx = m_plot->xAxis->coordToPixel(m_view(i, 0)) - pixel.x();
        const double dy = m_plot->yAxis->coordToPixel(m_view(i, 1)) - pixel.y();
        const double d = dx * dx + dy * dy;
        // In 3D, of the points under the pointer the nearest to the viewer (drawn on top).
        if (m_dims == 3 && d < 16 && bestRow >= 0 && best < 16) {
            if (m_view(i, 2) > bestDepth) {
                best = d;
                bestRow = i;
                bestDepth = m_view(i, 2);
            }
        } else if (d < best) {
            bestDepth = m_view(i, 2);
            best = d;
            bestRow = i;
        }
    }
    return bestRow < 0
        ? QString()
        : QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(bestRow)));
}

void EmbeddingMap::onMouseMove(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton) {
        m_followData = false; // dragging the view
        if (m_dims == 3) {
            const QPointF delta = event->position() - m_dragFrom;
            m_dragFrom = event->position();
            if (!m_rotating && delta.manhattanLength() < 1)
                return;
            m_rotating = true;
            QToolTip::hideText();
            // Half a turn across the plot's width.
            const double perPixel = M_PI / std::max(1, m_plot->axisRect()->width());
            rotate(delta.x() * perPixel, delta.y() * perPixel);
            return;
        }
    }

    const QString w = wordAt(event->position());
    if (w.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), w, m_plot);
}

void EmbeddingMap::onMousePress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragFrom = m_pressAt = event->position();
}

void EmbeddingMap::onMouseRelease(QMouseEvent *event)
{
    const bool turned = m_rotating;
    m_rotating = false;
    // A click selects the word under the pointer; a drag (a pan, a turn) does not.
    if (event->button() != Qt::LeftButton || turned
        || (event->position() - m_pressAt).manhattanLength() > 4)
        return;
    const QString w = wordAt(event->position());
    if (!w.isEmpty())
        selectWord(w);
}

bool EmbeddingMap::exportImage(const QString &path)
{
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return m_plot->savePdf(path);
    return m_plot->savePng(path, 0, 0, 2.0);
}

bool EmbeddingMap::exportCoordinates(const QString &path)
{
    if (!m_frame)
        return false;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    QTextStream out(&f);
    out << "word\trank";
    for (int c = 0; c < m_frame->k; ++c)
        out << '\t' << m_frame->axisNames.value(c).toLower().remove(QLatin1Char(' '));
    out << '\n';
    for (int i = 0; i < m_coords.rows(); ++i) {
        out << QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(i))) << '\t'
            << (m_frame->rank[static_cast<std::size_t>(i)] + 1);
        for (int c = 0; c < m_frame->k; ++c)
            out << '\t' << QString::number(m_coords(i, c), 'g', 9);
        out << '\n';
    }
    out.flush();
    return f.commit();
}

bool EmbeddingMap::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::Resize && m_followData && m_fitted
        && m_view.rows() > 0 && m_dims == 2) {
        fitView();
        if (m_outsideNote)
            m_outsideNote->setText(outsideNoteText());
    }
    return QWidget::eventFilter(watched, event);
}

void EmbeddingMap::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        applyPalette();
        redraw(true);
    }
    QWidget::changeEvent(event);
}

void EmbeddingMap::applyPalette()
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    m_plot->setBackground(pal.brush(QPalette::Base));
    m_plot->axisRect()->setBackground(pal.brush(QPalette::Base));
    const QColor fg = pal.color(QPalette::Text);
    QColor grid = fg;
    grid.setAlpha(40);
    for (QCPAxis *ax : { m_plot->xAxis, m_plot->yAxis }) {
        ax->setBasePen(QPen(fg));
        ax->setTickPen(QPen(fg));
        ax->setSubTickPen(QPen(fg));
        ax->setTickLabelColor(fg);
        ax->setLabelColor(fg);
        ax->grid()->setPen(QPen(grid, 0, Qt::DotLine));
        ax->grid()->setZeroLinePen(QPen(grid));
    }
    // 3D: the far layers smaller and fainter, the near ones larger.
    static const double alphaOf[DepthLayers] = { 0.3, 0.6, 1.0 };
    static const int growth[DepthLayers] = { -1, 0, 1 };
    const bool byClass = !m_classNames.isEmpty();
    for (int d = 0; d < DepthLayers; ++d)
        for (int b = 0; b < (byClass ? ClassBands : BandCount); ++b) {
            QColor c;
            double alpha = 0;
            int size = 0;
            if (byClass) {
                const bool neutral = b == MaxClassColours;
                c = neutral ? QColor(0x95, 0xa5, 0xa6) : classColourOf(graphOfBand(b), dark);
                alpha = neutral ? 90 : 220;
                size = neutral ? 3 : 5;
            } else {
                c = bandColor(b, dark);
                alpha = b == 0 ? 230 : 150;
                size = b < 2 ? 5 : 3;
            }
            c.setAlpha(static_cast<int>(alpha * (m_dims == 3 ? alphaOf[d] : 1.0)));
            size += m_dims == 3 ? growth[d] : 0;
            m_bands[d * GraphBands + b]->setScatterStyle(QCPScatterStyle(discPixmap(c, size)));
        }
    const QColor hl = pal.color(QPalette::Highlight);
    m_selectedGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(hl, 2), QBrush(hl.lighter(150)), 11));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingMap::setHistory(const QString &id, const QVector<qint64> &steps, StepLoader loader)
{
    auto &h = m_history;
    const std::size_t rows = m_maxPoints <= 0 ? std::numeric_limits<std::size_t>::max()
                                              : static_cast<std::size_t>(m_maxPoints);
    if (id != h.id || m_method != h.method || rows != h.rows || m_dims != h.dims
        || m_customAxes != h.axes || subsetKey() != h.subset) {
        const quint64 generation = h.generation + 1;
        if (h.stop)
            *h.stop = true;
        h = History();
        h.generation = generation; // a task of the history before delivers nothing
        h.id = id;
        h.method = m_method;
        h.rows = rows;
        h.dims = m_dims;
        h.axes = m_customAxes;
        h.subset = subsetKey();
    }
    h.steps = steps;
    h.loader = std::move(loader);
    // Frames of steps the run no longer has (a continued run rewrote them) are dropped.
    for (auto it = h.frames.begin(); it != h.frames.end();)
        it = steps.contains(it->first) ? std::next(it) : h.frames.erase(it);
    emit historyProgress(historyFramesReady(), static_cast<int>(h.steps.size()));
    updateTrailButton();
    // From the next turn of the event loop, so that a step asked for now goes first.
    QMetaObject::invokeMethod(this, &EmbeddingMap::scheduleHistory, Qt::QueuedConnection);
}

void EmbeddingMap::clearHistory()
{
    if (m_history.stop)
        *m_history.stop = true;
    const quint64 generation = m_history.generation + 1;
    m_history = History();
    m_history.generation = generation;
    updateTrailButton();
}

bool EmbeddingMap::isHistoryFrameReady(qint64 step) const
{
    return m_history.frames.count(step) > 0;
}

void EmbeddingMap::showHistoryStep(qint64 step, const QString &source)
{
    auto &h = m_history;
    if (!h.steps.contains(step))
        return;
    h.wanted = step;
    h.source = source;
    // A live frame still on its way is not drawn over the recorded one.
    m_projection.cancel();
    if (h.frames.count(step))
        showHistoryFrame();
    else
        emit busyChanged(true);
    scheduleHistory();
}

std::shared_ptr<EmbeddingMap::Frame> EmbeddingMap::makeHistoryFrame(qint64 step) const
{
    const HistoryFrame &hf = m_history.frames.at(step);
    auto f = std::make_shared<Frame>();
    // Without its own table (read again meanwhile) the words are the run's all the same.
    f->table = hf.table ? hf.table : m_history.words;
    f->coords = hf.coords;
    f->ratio = hf.ratio;
    f->axisNames = hf.axisNames;
    f->k = static_cast<int>(hf.axisNames.size());
    f->method = m_history.method;
    f->dims = m_history.dims;
    f->axes = m_history.axes;
    f->order = m_history.order;
    f->rank = m_history.rank;
    f->fullRows = m_history.fullRows;
    return f;
}

void EmbeddingMap::showHistoryFrame()
{
    auto &h = m_history;
    const auto it = h.frames.find(h.wanted);
    if (it == h.frames.end())
        return;
    auto frame = makeHistoryFrame(h.wanted);
    if (!m_drawTable || m_drawTable->size() != frame->table->size()) {
        updateWordList(frame->table.get());
        m_fitted = false;
        m_followData = true;
    }
    m_table = it->second.full ? it->second.full : frame->table;
    m_drawTable = frame->table;
    m_drawRows.clear();
    m_source = h.source;
    m_live = true; // a live frame that follows is aligned to this one
    m_frame = std::move(frame);
    m_coords = m_frame->coords;
    m_note.clear();
    updateView();
    if (it->second.table)
        updateNeighborRows(); // else the lines keep the last step's neighbours until it is read
    redraw(m_fitted && !m_followData);
    emit projectionUpdated();
    if (it->second.table)
        requestPreservation();
    if (it->second.table && h.delivered != h.wanted) {
        h.delivered = h.wanted;
        emit historyTableAvailable(h.wanted, it->second.full ? it->second.full : it->second.table);
    }
}

void EmbeddingMap::scheduleHistory()
{
    auto &h = m_history;
    // Only while the map shows the history: a live table or imported vectors leave the CPU to
    // training.
    if (h.running || !h.loader || h.steps.isEmpty() || h.wanted < 0)
        return;
    const auto projected = [&h](qint64 s) { return h.frames.count(s) > 0; };
    const auto usable = [&h](qint64 s) { return !h.failed.count(s); };
    qint64 next = -1;
    bool tableOnly = false;
    if (h.wanted >= 0 && usable(h.wanted)) {
        const auto it = h.frames.find(h.wanted);
        if (it == h.frames.end())
            next = h.wanted;
        else if (!it->second.table) {
            next = h.wanted;
            tableOnly = true;
        }
    }
    if (next < 0) {
        // Outward from the projected steps, nearest to the step shown first.
        const qint64 anchor = h.wanted;
        qint64 bestDistance = std::numeric_limits<qint64>::max();
        for (int i = 0; i < h.steps.size(); ++i) {
            const qint64 s = h.steps[i];
            if (projected(s) || !usable(s))
                continue;
            // Next to a projected step, passing over those that could not be read.
            int before = i - 1, after = i + 1;
            while (before >= 0 && !usable(h.steps[before]))
                --before;
            while (after < h.steps.size() && !usable(h.steps[after]))
                ++after;
            const bool adjacent = h.frames.empty() || (before >= 0 && projected(h.steps[before]))
                || (after < h.steps.size() && projected(h.steps[after]));
            const qint64 distance = std::llabs(s - anchor);
            if (adjacent && distance < bestDistance) {
                bestDistance = distance;
                next = s;
            }
        }
    }
    if (next < 0)
        return;

    // Aligned to the nearest projected step, or to the frame shown when it is of these settings.
    RowMatrixXf previous;
    {
        qint64 nearest = -1;
        for (const auto &[s, f] : h.frames)
            if (s != next && (nearest < 0 || std::llabs(s - next) < std::llabs(nearest - next)))
                nearest = s;
        if (nearest >= 0)
            previous = h.frames.at(nearest).coords;
        else if (m_frame && !m_frame->cancelled && m_frame->method == h.method
            && m_frame->dims == h.dims && m_frame->axes == h.axes)
            previous = m_coords;
    }
    struct Result
    {
        std::vector<int> rows; // the whole table's row of each row drawn, when words are isolated
        std::shared_ptr<const WordVectors> table; // drawn: the isolated words, or all
        std::shared_ptr<const WordVectors> full; // the step's whole table, when words are isolated
        HistoryFrame frame;
    };
    h.running = true;
    if (!h.stop)
        h.stop = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = h.generation;
    const StepLoader loader = h.loader;
    const std::size_t maxRows = h.rows;
    const ProjectionMethod *method = &projectionMethod(h.method);
    const std::string methodId = h.method;
    const int dims = h.dims;
    std::vector<std::string> axes;
    for (const QString &a : std::as_const(h.axes))
        axes.push_back(a.toStdString());
    const QStringList names = axisNames(h.method, 4);
    const Subset subset = isIsolated() ? m_subset : Subset();
    // The step shown waits for it: its progress is shown.
    std::shared_ptr<Progress> progress;
    if (method->iterative && next == h.wanted && !tableOnly) {
        progress = std::make_shared<Progress>();
        progress->name = QString::fromStdString(method->name);
        progress->live = true;
        m_progress = progress;
        m_progressBar->setRange(0, 0);
        m_progressBar->setFormat(tr("%1: finding the neighbours...").arg(progress->name));
        m_progressRow->show();
        m_progressTimer->start();
    }
    const std::shared_ptr<std::atomic<bool>> stop = h.stop;
    runInBackground<Result>(
        this,
        [loader, next, tableOnly, maxRows, method, methodId, dims, axes, names, previous, progress,
            stop, subset]() {
            Result r;
            r.table = std::make_shared<const WordVectors>(loader(next));
            if (!subset.centre.isEmpty() || !subset.pattern.isEmpty()) {
                r.full = r.table;
                r.rows = subsetRows(*r.full, subset);
                r.table = std::make_shared<const WordVectors>(selectRows(*r.full, r.rows));
            }
            if (tableOnly)
                return r;
            const std::size_t rows = std::min(maxRows, r.table->size());
            const int k = methodId == "pca" ? std::min(Components, r.table->dim())
                : methodId == "custom"      ? static_cast<int>(axes.size())
                                            : dims;
            ProjectionRequest request;
            request.components = k;
            request.rows = rows;
            request.axes = axes;
            if (previous.rows() == static_cast<Eigen::Index>(rows) && previous.cols() >= k)
                request.previous = previous.leftCols(k);
            request.progress
                = [progress, stop](std::size_t done, std::size_t total, const RowMatrixXf &) {
                      if (progress) {
                          const std::lock_guard<std::mutex> lock(progress->mutex);
                          progress->done = done;
                          progress->total = total;
                      }
                      return !stop->load();
                  };
            const Projection p = method->project(*r.table, request);
            r.frame.coords = padded(p.coords, Components);
            if (p.axisShare.size() == k)
                r.frame.ratio = padded(p.axisShare.transpose(), Components).transpose();
            r.frame.axisNames = names.mid(0, k);
            return r;
        },
        [this, generation, next, tableOnly](std::shared_ptr<Result> r, QString error) {
            auto &h = m_history;
            if (m_progress && m_progress->live && m_progress->table == nullptr) {
                m_progressTimer->stop();
                m_progressRow->hide();
                m_progress.reset();
            }
            if (generation != h.generation)
                return; // another run's history meanwhile (its own task is scheduled)
            h.running = false;
            if (!r) {
                h.failed.insert(next);
                if (next == h.wanted) {
                    emit busyChanged(false);
                    m_info->setText(error);
                }
                scheduleHistory();
                return;
            }
            if (!h.words) {
                h.words = r->table;
                h.fullRows = r->rows;
                frequencyOrder(*r->table, std::min(h.rows, r->table->size()), h.order, h.rank);
            }
            if (!tableOnly)
                h.frames[next] = std::move(r->frame);
            h.frames[next].table = r->table;
            h.frames[next].full = r->full;
            h.tablesKept.removeAll(next);
            h.tablesKept.push_back(next);
            while (h.tablesKept.size() > HistoryTablesKept) {
                const qint64 old = h.tablesKept.takeFirst();
                if (old != h.wanted) {
                    h.frames[old].table.reset();
                    h.frames[old].full.reset();
                }
            }
            emit historyProgress(historyFramesReady(), static_cast<int>(h.steps.size()));
            if (next == h.wanted) {
                emit busyChanged(false);
                showHistoryFrame();
            } else if (!m_trails.isEmpty() && h.wanted >= 0) {
                redraw(true); // the trails grow
            }
            updateTrailButton();
            scheduleHistory();
        });
}

void EmbeddingMap::setTrail(const QString &word, bool shown)
{
    if (word.isEmpty() || shown == m_trails.contains(word))
        return;
    if (shown) {
        // The first colour no other trail has.
        int i = 0;
        const QList<QColor> used = m_trails.values();
        while (used.contains(trailColour(i)) && i < 6)
            ++i;
        m_trails.insert(word, trailColour(i));
    } else {
        m_trails.remove(word);
    }
    if (word == m_selected) {
        const QSignalBlocker blocker(m_trailButton);
        m_trailButton->setChecked(shown);
    }
    redraw(true);
    emit trailsChanged();
}

QVector<QPointF> EmbeddingMap::trail(const QString &word) const
{
    QVector<QPointF> points;
    const auto &h = m_history;
    if (!h.words)
        return points;
    const int row = h.words->find(word.toStdString());
    if (row < 0)
        return points;
    for (const qint64 s : h.steps) {
        if (h.wanted >= 0 && s > h.wanted)
            break; // up to the step shown
        const auto it = h.frames.find(s);
        if (it == h.frames.end() || row >= it->second.coords.rows())
            continue;
        points.push_back(viewPoint(it->second.coords, row));
    }
    return points;
}

void EmbeddingMap::drawTrails()
{
    if (m_history.wanted < 0)
        return; // trails are of recorded steps
    for (auto it = m_trails.cbegin(); it != m_trails.cend(); ++it) {
        const QVector<QPointF> points = trail(it.key());
        if (points.size() < 2)
            continue;
        auto *curve = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
        QVector<double> t(points.size()), x(points.size()), y(points.size());
        for (int i = 0; i < points.size(); ++i) {
            t[i] = i;
            x[i] = points[i].x();
            y[i] = points[i].y();
        }
        curve->setData(t, x, y, true);
        QColor c = it.value();
        curve->setPen(QPen(c, 1.6));
        c.setAlpha(200);
        curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 4));
        curve->setSelectable(QCP::stNone);
        m_trailCurves.append(curve);
    }
    // The names after every curve, so that no trail is drawn over another's name.
    for (auto it = m_trails.cbegin(); it != m_trails.cend(); ++it) {
        const QVector<QPointF> points = trail(it.key());
        if (points.size() < 2 || it.key() == m_selected)
            continue; // a selected word is labelled already, in bold
        // The word at its present place, in its trail's colour.
        auto *label = new QCPItemText(m_plot);
        label->position->setCoords(points.back().x(), points.back().y());
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setText(it.key());
        label->setColor(it.value());
        QFont bold = font();
        bold.setBold(true);
        label->setFont(bold);
        label->setPadding(QMargins(3, 1, 3, 1));
        QColor under = palette().color(QPalette::Base);
        under.setAlpha(210); // readable over the points and the other trails
        label->setBrush(under);
        m_neighborItems.append(label);
    }
}

void EmbeddingMap::updateTrailButton()
{
    const bool history = m_history.frames.size() > 1 || m_history.steps.size() > 1;
    m_trailButton->setEnabled(history && !m_selected.isEmpty());
    m_trailButton->setToolTip(!history ? tr("Trails show a word's path over a run's recorded "
                                            "steps: select a run with several of them")
            : m_selected.isEmpty()
            ? tr("Select a word to show its path over the recorded steps")
            : tr("Show the path of “%1” over the recorded steps").arg(m_selected));
}

void EmbeddingMap::showContextMenu(const QPoint &pos)
{
    const QString word = wordAt(pos);
    QMenu menu(this);
    const bool history = m_history.steps.size() > 1;
    if (!word.isEmpty()) {
        QAction *trail
            = menu.addAction(m_trails.contains(word) ? tr("Hide the Trail of “%1”").arg(word)
                                                     : tr("Show the Trail of “%1”").arg(word));
        trail->setEnabled(history);
        connect(trail, &QAction::triggered, this,
            [this, word] { setTrail(word, !m_trails.contains(word)); });
        const int k = m_subset.centre.isEmpty() ? DefaultIsolateNeighbours : m_subset.k;
        QAction *isolate = menu.addAction(
            tr("Isolate “%1” and Its %n Nearest Neighbours", nullptr, k).arg(word));
        isolate->setObjectName(QStringLiteral("isolateAction"));
        connect(
            isolate, &QAction::triggered, this, [this, word, k] { isolateNeighbourhood(word, k); });
    }
    if (isIsolated()) {
        QAction *all = menu.addAction(tr("Show All Words"));
        connect(all, &QAction::triggered, this, &EmbeddingMap::showAll);
    }
    menu.addSeparator();
    QAction *clearAll = menu.addAction(tr("Clear All Trails"));
    clearAll->setEnabled(!m_trails.isEmpty());
    connect(clearAll, &QAction::triggered, this, [this] {
        for (const QString &w : m_trails.keys())
            setTrail(w, false);
    });
    menu.addSeparator();
    QAction *meta = menu.addAction(tr("Colour and Label by Metadata..."));
    connect(meta, &QAction::triggered, this, &EmbeddingMap::metadataRequested);
    menu.exec(m_plot->mapToGlobal(pos));
}

// ---- View states (bookmarks) ----

EmbeddingMap::ViewState EmbeddingMap::viewState() const
{
    ViewState s;
    s.method = method();
    s.dimensions = m_dims;
    s.customAxes = m_customAxes;
    s.axisX = m_axisX;
    s.axisY = m_axisY;
    s.maxPoints = m_maxPoints;
    s.labelCount = labelCount();
    if (m_frame && m_fitted) {
        s.xLower = m_plot->xAxis->range().lower;
        s.xUpper = m_plot->xAxis->range().upper;
        s.yLower = m_plot->yAxis->range().lower;
        s.yUpper = m_plot->yAxis->range().upper;
    }
    s.rotation = m_rotation;
    s.fitAll = m_fitAll;
    s.followData = m_followData;
    s.selectedWord = m_selected;
    s.isolatedWord = m_subset.centre;
    s.isolatedNeighbours = m_subset.k;
    s.filter = m_subset.pattern;
    return s;
}

void EmbeddingMap::restoreViewState(const ViewState &state)
{
    m_pendingView.reset(); // an earlier restore still waiting gives way
    // Each setter asks for a projection only when its setting changes; the newest request wins,
    // so the frame that arrives is of all of them.
    setMethod(state.method);
    setDimensions(state.dimensions);
    if (state.customAxes != m_customAxes)
        setCustomAxes(state.customAxes);
    setMaxPoints(state.maxPoints);
    if (state.labelCount > 0)
        setLabelCount(state.labelCount);
    if (state.axisX != m_axisX || state.axisY != m_axisY) {
        {
            const QSignalBlocker blocker(m_axes);
            m_axes->setCurrentIndex(m_axes->findData(QPoint(state.axisX, state.axisY)));
        }
        setAxes(state.axisX, state.axisY);
    }
    // The words isolated, projected on their own.
    if (!state.filter.isEmpty()) {
        if (state.filter != m_subset.pattern && !setFilter(state.filter))
            showAll(); // the expression finds nothing in this table: said, and all shown
    } else if (!state.isolatedWord.isEmpty()) {
        if (state.isolatedWord != m_subset.centre || state.isolatedNeighbours != m_subset.k)
            isolateNeighbourhood(state.isolatedWord, state.isolatedNeighbours);
    } else {
        showAll();
    }
    m_pendingView = state;
    connect(this, &EmbeddingMap::projectionUpdated, this, &EmbeddingMap::applyPendingView,
        Qt::UniqueConnection);
    applyPendingView();
}

bool EmbeddingMap::showsCurrentSettings() const
{
    if (!m_frame || !m_table || m_frame->method != m_method)
        return false;
    if (m_history.wanted >= 0)
        return m_history.frames.count(m_history.wanted) > 0 && m_history.method == m_method
            && m_history.dims == m_dims && m_history.axes == m_customAxes
            && m_history.subset == subsetKey();
    // PCA's frame has the components of 2D and 3D alike. While training, a new table comes
    // sooner than a slow method projects the one before: a frame of a table before will do.
    return (m_frame->table == m_drawTable || m_live)
        && (m_method == "pca" || m_frame->dims == m_dims) && m_frame->axes == m_customAxes
        && static_cast<std::size_t>(m_frame->coords.rows()) == rowsFor(*m_frame->table);
}

void EmbeddingMap::applyPendingView()
{
    if (!m_pendingView)
        return;
    const ViewState &s = *m_pendingView;
    // The user chose other settings meanwhile: theirs win.
    if (s.method != method() || s.dimensions != m_dims || s.maxPoints != m_maxPoints
        || s.filter != m_subset.pattern
        || (s.filter.isEmpty() && s.isolatedWord != m_subset.centre)) {
        m_pendingView.reset();
        return;
    }
    if (!showsCurrentSettings())
        return;
    const ViewState state = *m_pendingView;
    m_pendingView.reset();
    m_fitAll = state.fitAll;
    if (m_dims == 3) {
        m_rotation = state.rotation;
        updateView();
    }
    m_fitted = false;
    redraw(false); // fitted as the state was, for the words outside the view
    selectWord(state.selectedWord); // may move the view to the word; the ranges below win
    const bool ranges = std::isfinite(state.xLower) && std::isfinite(state.xUpper)
        && std::isfinite(state.yLower) && std::isfinite(state.yUpper) && state.xLower < state.xUpper
        && state.yLower < state.yUpper;
    if (ranges) {
        m_plot->xAxis->setRange(state.xLower, state.xUpper);
        m_plot->yAxis->setRange(state.yLower, state.yUpper);
    }
    m_followData = state.followData;
    if (m_outsideNote)
        m_outsideNote->setText(outsideNoteText());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    emit viewStateRestored();
}

} // namespace embedlab
