#include "ui/embeddingmap.h"

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
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStringListModel>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/projection.h"

namespace embedlab {

struct EmbeddingMap::Frame
{
    std::shared_ptr<const WordVectors> table;
    RowMatrixXf coords; // (n, Components)
    Eigen::VectorXf ratio; // (Components) share of the variance per axis, empty if none
    QString axisPrefix; // "PC"
    // Rows by frequency, most frequent first, and each row's place in that order: the table's
    // counts when it has them (a model's: its specials sit first whatever their counts), else
    // the file's order, which is by frequency in the usual formats.
    std::vector<int> order, rank;
    QString error;
};

namespace {

// Frequency bands by rank (rows are in frequency order): most frequent first.
const int BandEdges[] = { 100, 500, 2000, 5000, 10000, std::numeric_limits<int>::max() };
constexpr int BandCount = 6;
constexpr int NeighborLines = 8;
// Tables of recorded steps kept beside their frames (the rest are read again when shown).
constexpr int HistoryTablesKept = 8;

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

} // namespace

EmbeddingMap::EmbeddingMap(QWidget *parent)
    : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setAntialiasedElements(QCP::aeNone);
    m_plot->setAntialiasedElement(QCP::aeItems, true);
    m_plot->setMinimumSize(320, 240);
    // Rare words first, so the frequent ones are drawn on top of them.
    m_bands.resize(BandCount);
    for (int b = BandCount - 1; b >= 0; --b) {
        QCPGraph *g = m_plot->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        m_bands[b] = g;
    }
    m_selectedGraph = m_plot->addGraph();
    m_selectedGraph->setLineStyle(QCPGraph::lsNone);

    m_axes = new QComboBox(this);
    for (auto [x, y] : { std::pair { 0, 1 }, { 1, 2 }, { 0, 2 }, { 2, 3 } })
        m_axes->addItem(tr("PC%1 / PC%2").arg(x + 1).arg(y + 1), QPoint(x, y));
    m_labels = new QSpinBox(this);
    m_labels->setRange(0, 1000);
    m_labels->setValue(60);
    m_labels->setPrefix(tr("Labels: "));
    m_labels->setToolTip(tr("How many of the most frequent words carry a label"));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Find a word..."));
    m_search->setClearButtonEnabled(true);
    m_words = new QStringListModel(this);
    auto *completer = new QCompleter(m_words, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setModelSorting(QCompleter::UnsortedModel);
    m_search->setCompleter(completer);
    m_info = new QLabel(this);
    m_trailButton = new QToolButton(this);
    m_trailButton->setObjectName(QStringLiteral("trailButton"));
    m_trailButton->setText(tr("Trail"));
    m_trailButton->setCheckable(true);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);

    // However long the source's name, the line under the map never widens its dock.
    m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_info->setMinimumWidth(1);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 3, 0);
    bar->addWidget(m_axes);
    bar->addWidget(m_labels);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_trailButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_info);

    connect(m_axes, &QComboBox::currentIndexChanged, this, [this] {
        const QPoint p = m_axes->currentData().toPoint();
        setAxes(p.x(), p.y());
    });
    connect(m_labels, &QSpinBox::valueChanged, this, [this] { redraw(true); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { selectWord(m_search->text()); });
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
        &EmbeddingMap::selectWord);
    connect(m_plot, &QCustomPlot::beforeReplot, this, &EmbeddingMap::layoutLabels);
    connect(m_plot, &QCustomPlot::mouseMove, this, &EmbeddingMap::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &EmbeddingMap::onMousePress);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &EmbeddingMap::showContextMenu);
    connect(
        m_trailButton, &QToolButton::toggled, this, [this](bool on) { setTrail(m_selected, on); });
    // The view follows the data until the user zooms or pans; a double-click fits it again.
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followData = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_followData = true;
        redraw(false);
    });
    applyPalette();
    showEmpty();
    updateTrailButton();
}

void EmbeddingMap::showEmpty()
{
    m_plot->xAxis->setLabel(QString());
    m_plot->yAxis->setLabel(QString());
    m_info->setText(tr("Train a model or import vectors to see the map."));
}

EmbeddingMap::~EmbeddingMap() = default;

void EmbeddingMap::setTable(
    std::shared_ptr<const WordVectors> table, const QString &source, bool live)
{
    const bool sameWords = m_table && table && m_table->size() == table->size();
    m_history.wanted = -1; // the map leaves the recorded steps for this table
    m_table = std::move(table);
    m_source = source;
    m_live = live && sameWords;
    if (!sameWords) {
        QStringList words;
        const std::size_t n = std::min<std::size_t>(
            m_table ? m_table->size() : 0, static_cast<std::size_t>(m_maxPoints));
        for (std::size_t i = 0; i < n; ++i)
            words << QString::fromStdString(m_table->word(i));
        m_words->setStringList(words);
        m_fitted = false;
        m_followData = true;
    }
    requestProjection();
}

void EmbeddingMap::clear()
{
    m_projection.cancel(); // a frame of the old table still on its way is not shown
    clearHistory();
    m_table.reset();
    m_frame.reset();
    m_coords.resize(0, Components);
    m_selected.clear();
    m_neighborRows.clear();
    m_words->setStringList({});
    m_source.clear();
    m_fitted = false;
    redraw(false);
    showEmpty();
}

void EmbeddingMap::setMaxPoints(int n)
{
    m_maxPoints = std::max(2, n);
    requestProjection();
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
    redraw(false);
}

void EmbeddingMap::requestProjection()
{
    if (!m_table)
        return;
    // The newest table wins: while one is projected, only the latest waits.
    m_projection.request<std::shared_ptr<Frame>>(
        [this]() -> std::function<std::shared_ptr<Frame>()> {
            emit busyChanged(true);
            auto table = m_table;
            const std::size_t rows
                = std::min<std::size_t>(table->size(), static_cast<std::size_t>(m_maxPoints));
            RowMatrixXf previous
                = m_live && m_frame && static_cast<std::size_t>(m_coords.rows()) == rows
                ? m_coords
                : RowMatrixXf();
            const ProjectionMethod *method = &projectionMethod(m_method);
            return [table, rows, previous, method]() -> std::shared_ptr<Frame> {
                auto f = std::make_shared<Frame>();
                f->table = table;
                try {
                    const int k = std::min(Components, table->dim());
                    ProjectionRequest request;
                    request.components = k;
                    request.rows = rows;
                    if (previous.rows() == static_cast<Eigen::Index>(rows) && previous.cols() == k)
                        request.previous = previous;
                    const Projection p = method->project(*table, request);
                    f->coords = RowMatrixXf::Zero(p.coords.rows(), Components);
                    f->coords.leftCols(k) = p.coords;
                    if (p.axisShare.size() == k) {
                        f->ratio = Eigen::VectorXf::Zero(Components);
                        f->ratio.head(k) = p.axisShare;
                    }
                    f->axisPrefix = QString::fromStdString(method->axisPrefix);
                    frequencyOrder(*table, rows, f->order, f->rank);
                } catch (const std::exception &e) {
                    f->error = QString::fromStdString(e.what());
                }
                return f;
            };
        },
        [this](std::shared_ptr<std::shared_ptr<Frame>> frame, QString error) {
            emit busyChanged(false);
            if (frame)
                showFrame(*frame);
            else
                m_info->setText(error);
        });
}

void EmbeddingMap::showFrame(std::shared_ptr<Frame> frame)
{
    if (!frame->error.isEmpty()) {
        m_info->setText(frame->error);
        return;
    }
    m_frame = std::move(frame);
    m_coords = m_frame->coords;
    redraw(m_fitted && !m_followData);
    emit projectionUpdated();
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
    m_labelItems.clear();
    m_neighborItems.clear();
    if (!m_frame || m_coords.rows() == 0) {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const int n = static_cast<int>(m_coords.rows());
    QVector<QVector<double>> xs(BandCount), ys(BandCount);
    for (int i = 0; i < n; ++i) {
        const int b = bandOf(m_frame->rank[i]);
        xs[b].append(m_coords(i, m_axisX));
        ys[b].append(m_coords(i, m_axisY));
    }
    for (int b = 0; b < BandCount; ++b)
        m_bands[b]->setData(xs[b], ys[b]);

    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor text = palette().color(QPalette::Text);
    QFont labelFont = font();
    labelFont.setPointSizeF(std::max(7.0, labelFont.pointSizeF() * 0.85));
    const int labels = std::min(n, m_labels->value());
    for (int j = 0; j < labels; ++j) {
        const int i = m_frame->order[j];
        auto *t = new QCPItemText(m_plot);
        t->position->setCoords(m_coords(i, m_axisX), m_coords(i, m_axisY));
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        t->setText(QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(i))));
        t->setFont(labelFont);
        t->setColor(j < BandEdges[0] ? text : bandColor(bandOf(j), dark).darker(dark ? 100 : 130));
        t->setPadding(QMargins(3, 0, 0, 1));
        m_labelItems.append(t);
    }
    updateNeighborLines();
    drawTrails();

    const auto axisLabel = [this](int c) {
        const QString axis = m_frame->axisPrefix + QString::number(c + 1);
        if (m_frame->ratio.size() == 0)
            return axis;
        return tr("%1 (%2% of variance)").arg(axis).arg(100.0 * m_frame->ratio(c), 0, 'f', 1);
    };
    m_plot->xAxis->setLabel(axisLabel(m_axisX));
    m_plot->yAxis->setLabel(axisLabel(m_axisY));
    if (!keepView || !m_fitted) {
        m_plot->rescaleAxes();
        for (QCPAxis *ax : { m_plot->xAxis, m_plot->yAxis })
            ax->scaleRange(1.08, ax->range().center());
        m_fitted = true;
    }
    m_info->setText(tr("%1 · %2 of %3 words · red = most frequent · double-click to fit")
                        .arg(m_source)
                        .arg(n)
                        .arg(m_frame->table->size()));
    m_info->setToolTip(m_info->text()); // the whole line when the dock cuts it
    m_plot->replot(QCustomPlot::rpQueuedReplot);
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
    if (row < 0 || row >= m_coords.rows()) {
        m_info->setText(tr("“%1” is not on the map").arg(word));
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
    // Centre the view on the word, keeping the zoom (and keep it there as the map moves).
    m_followData = false;
    m_plot->xAxis->setRange(m_coords(row, m_axisX), m_plot->xAxis->range().size(), Qt::AlignCenter);
    m_plot->yAxis->setRange(m_coords(row, m_axisY), m_plot->yAxis->range().size(), Qt::AlignCenter);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
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
    if (row < 0 || row >= m_coords.rows())
        return;
    const QColor accent = palette().color(QPalette::Highlight);
    for (int nb : std::as_const(m_neighborRows)) {
        if (nb >= m_coords.rows())
            continue;
        auto *line = new QCPItemLine(m_plot);
        line->start->setCoords(m_coords(row, m_axisX), m_coords(row, m_axisY));
        line->end->setCoords(m_coords(nb, m_axisX), m_coords(nb, m_axisY));
        QColor c = accent;
        c.setAlpha(170);
        line->setPen(QPen(c, 1.5));
        auto *t = new QCPItemText(m_plot);
        t->position->setCoords(m_coords(nb, m_axisX), m_coords(nb, m_axisY));
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        t->setText(QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(nb))));
        t->setColor(accent);
        m_neighborItems.append(t);
    }
    m_selectedGraph->setData({ m_coords(row, m_axisX) }, { m_coords(row, m_axisY) });
    auto *label = new QCPItemText(m_plot);
    label->position->setCoords(m_coords(row, m_axisX), m_coords(row, m_axisY));
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label->setText(m_selected);
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
    // frequency): a label that would overlap one already placed is hidden at this zoom.
    QVector<QRectF> placed;
    const QRectF area = m_plot->axisRect()->rect();
    const auto rectOf = [](QCPItemText *t) {
        const QFontMetricsF fm(t->font());
        const QPointF p = t->position->pixelPosition();
        const QMarginsF pad = t->padding();
        const QSizeF size
            = fm.size(0, t->text()) + QSizeF(pad.left() + pad.right(), pad.top() + pad.bottom());
        return QRectF(QPointF(p.x(), p.y() - size.height()), size);
    };
    for (QCPItemText *t : std::as_const(m_neighborItems))
        placed.append(rectOf(t));
    for (QCPItemText *t : std::as_const(m_labelItems)) {
        const QRectF r = rectOf(t);
        bool free = area.contains(r);
        for (const QRectF &q : std::as_const(placed))
            if (free && q.intersects(r))
                free = false;
        t->setVisible(free);
        if (free)
            placed.append(r);
    }
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
    if (row < 0 || row >= m_coords.rows())
        return { qQNaN(), qQNaN() };
    return { m_coords(row, m_axisX), m_coords(row, m_axisY) };
}

QString EmbeddingMap::wordAt(const QPointF &pixel) const
{
    if (!m_frame || m_coords.rows() == 0)
        return {};
    double best = 36; // within 6 pixels
    int bestRow = -1;
    for (int i = 0; i < m_coords.rows(); ++i) {
        const double dx = m_plot->xAxis->coordToPixel(m_coords(i, m_axisX)) - pixel.x();
        const double dy = m_plot->yAxis->coordToPixel(m_coords(i, m_axisY)) - pixel.y();
        const double d = dx * dx + dy * dy;
        if (d < best) {
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
    if (event->buttons() & Qt::LeftButton)
        m_followData = false; // dragging the view

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
    for (int c = 0; c < Components; ++c)
        out << '\t' << m_frame->axisPrefix.toLower() << (c + 1);
    out << '\n';
    for (int i = 0; i < m_coords.rows(); ++i) {
        out << QString::fromStdString(m_frame->table->word(static_cast<std::size_t>(i))) << '\t'
            << (m_frame->rank[static_cast<std::size_t>(i)] + 1);
        for (int c = 0; c < Components; ++c)
            out << '\t' << QString::number(m_coords(i, c), 'g', 9);
        out << '\n';
    }
    out.flush();
    return f.commit();
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
    for (int b = 0; b < BandCount; ++b) {
        QColor c = bandColor(b, dark);
        c.setAlpha(b == 0 ? 230 : 150);
        m_bands[b]->setScatterStyle(QCPScatterStyle(discPixmap(c, b < 2 ? 5 : 3)));
    }
    const QColor hl = pal.color(QPalette::Highlight);
    m_selectedGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(hl, 2), QBrush(hl.lighter(150)), 11));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingMap::setHistory(const QString &id, const QVector<qint64> &steps, StepLoader loader)
{
    auto &h = m_history;
    if (id != h.id || m_method != h.method || static_cast<std::size_t>(m_maxPoints) != h.rows) {
        const quint64 generation = h.generation + 1;
        h = History();
        h.generation = generation; // a task of the history before delivers nothing
        h.id = id;
        h.method = m_method;
        h.rows = static_cast<std::size_t>(m_maxPoints);
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
    f->axisPrefix = hf.axisPrefix;
    f->order = m_history.order;
    f->rank = m_history.rank;
    return f;
}

void EmbeddingMap::showHistoryFrame()
{
    auto &h = m_history;
    const auto it = h.frames.find(h.wanted);
    if (it == h.frames.end())
        return;
    auto frame = makeHistoryFrame(h.wanted);
    if (!m_table || m_table->size() != frame->table->size()) {
        QStringList words;
        const std::size_t n
            = std::min<std::size_t>(frame->table->size(), static_cast<std::size_t>(m_maxPoints));
        for (std::size_t i = 0; i < n; ++i)
            words << QString::fromStdString(frame->table->word(i));
        m_words->setStringList(words);
        m_fitted = false;
        m_followData = true;
    }
    m_table = frame->table;
    m_source = h.source;
    m_live = true; // a live frame that follows is aligned to this one
    m_frame = std::move(frame);
    m_coords = m_frame->coords;
    if (it->second.table)
        updateNeighborRows(); // else the lines keep the last step's neighbours until it is read
    redraw(m_fitted && !m_followData);
    emit projectionUpdated();
    if (it->second.table && h.delivered != h.wanted) {
        h.delivered = h.wanted;
        emit historyTableAvailable(h.wanted, it->second.table);
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

    // Aligned to the nearest projected step, or to the frame shown when there is none yet.
    RowMatrixXf previous;
    {
        qint64 nearest = -1;
        for (const auto &[s, f] : h.frames)
            if (s != next && (nearest < 0 || std::llabs(s - next) < std::llabs(nearest - next)))
                nearest = s;
        if (nearest >= 0)
            previous = h.frames.at(nearest).coords;
        else if (m_frame)
            previous = m_coords;
    }
    struct Result
    {
        std::shared_ptr<const WordVectors> table;
        HistoryFrame frame;
    };
    h.running = true;
    const quint64 generation = h.generation;
    const StepLoader loader = h.loader;
    const std::size_t maxRows = h.rows;
    const ProjectionMethod *method = &projectionMethod(h.method);
    runInBackground<Result>(
        this,
        [loader, next, tableOnly, maxRows, method, previous]() {
            Result r;
            r.table = std::make_shared<const WordVectors>(loader(next));
            if (tableOnly)
                return r;
            const std::size_t rows = std::min(maxRows, r.table->size());
            const int k = std::min(Components, r.table->dim());
            ProjectionRequest request;
            request.components = k;
            request.rows = rows;
            if (previous.rows() == static_cast<Eigen::Index>(rows) && previous.cols() >= k)
                request.previous = previous.leftCols(k);
            const Projection p = method->project(*r.table, request);
            r.frame.coords = RowMatrixXf::Zero(p.coords.rows(), Components);
            r.frame.coords.leftCols(k) = p.coords;
            if (p.axisShare.size() == k) {
                r.frame.ratio = Eigen::VectorXf::Zero(Components);
                r.frame.ratio.head(k) = p.axisShare;
            }
            r.frame.axisPrefix = QString::fromStdString(method->axisPrefix);
            return r;
        },
        [this, generation, next, tableOnly](std::shared_ptr<Result> r, QString error) {
            auto &h = m_history;
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
                frequencyOrder(*r->table, std::min(h.rows, r->table->size()), h.order, h.rank);
            }
            if (!tableOnly)
                h.frames[next] = std::move(r->frame);
            h.frames[next].table = r->table;
            h.tablesKept.removeAll(next);
            h.tablesKept.push_back(next);
            while (h.tablesKept.size() > HistoryTablesKept) {
                const qint64 old = h.tablesKept.takeFirst();
                if (old != h.wanted)
                    h.frames[old].table.reset();
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
        points.push_back({ it->second.coords(row, m_axisX), it->second.coords(row, m_axisY) });
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
    }
    QAction *clearAll = menu.addAction(tr("Clear All Trails"));
    clearAll->setEnabled(!m_trails.isEmpty());
    connect(clearAll, &QAction::triggered, this, [this] {
        for (const QString &w : m_trails.keys())
            setTrail(w, false);
    });
    menu.exec(m_plot->mapToGlobal(pos));
}

} // namespace embedlab
