#include "ui/losschart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSlider>
#include <QTemporaryFile>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include "ui/chartcsv.h"
#include "ui/chartformat.h"
#include "ui/filedialogs.h"
#include "ui/flowlayout.h"
#include "ui/thinning.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace embedlab {

namespace {

// The slider works in thousandths of the smoothing weight.
constexpr int SliderScale = 1000;
// exp() of a loss above this overflows a double, so it cannot be drawn as perplexity.
constexpr double MaxExpArgument = 709.0;

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// A run's colour as drawn: a dark colour chosen for a light background would nearly vanish on
// a dark one, so it is lightened there, keeping its hue so the run stays recognisable.
QColor forBackground(const QColor &c, bool dark)
{
    constexpr double MinLightnessOnDark = 0.6;
    if (!dark || c.lightnessF() >= MinLightnessOnDark)
        return c;
    return QColor::fromHslF(c.hslHueF(), c.hslSaturationF(), MinLightnessOnDark, c.alphaF());
}

// TensorBoard's smoothing: last = last*w + (1-w)*v; the average starts at 0, so dividing by
// 1 - w^n (n values accumulated) removes the bias towards 0 of the first values. A non-finite
// loss is passed through and does not enter the average.
double emaAdd(double v, double w, double &last, double &weightPow)
{
    if (!std::isfinite(v))
        return v;
    last = last * w + (1 - w) * v;
    weightPow *= w;
    const double debias = w < 1 ? 1 - weightPow : 1;
    return last / debias;
}

QVector<double> smoothedLosses(const QVector<LossPoint> &points, double w)
{
    QVector<double> out(points.size());
    double last = 0;
    double weightPow = 1;
    for (int i = 0; i < points.size(); ++i)
        out[i] = emaAdd(points[i].loss, w, last, weightPow);
    return out;
}

// Widgets that belong together (a label and its control) and wrap as one.
QWidget *controlGroup(QWidget *parent, std::initializer_list<QWidget *> widgets)
{
    auto *group = new QWidget(parent);
    auto *layout = new QHBoxLayout(group);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    for (QWidget *w : widgets)
        layout->addWidget(w);
    return group;
}

} // namespace

LossChart::LossChart(QWidget *parent)
    : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(280, 150);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    // Lines as separate segments: a jagged polyline of thousands of points is an order of
    // magnitude slower to stroke in one piece. Exports still draw true polylines.
    m_plot->setPlottingHints(m_plot->plottingHints() | QCP::phFastPolylines);
    m_plot->installEventFilter(this);
    m_plot->axisRect()->setRangeZoomFactor(0.85);
    m_plot->xAxis2->setVisible(true);
    m_plot->yAxis2->setVisible(true);
    for (QCPAxis *axis : { m_plot->xAxis2, m_plot->yAxis2 }) {
        axis->setTickLabels(false);
        axis->setTicks(false);
    }
    for (QCPAxis *axis : { m_plot->xAxis, m_plot->yAxis }) {
        axis->grid()->setSubGridVisible(false);
        axis->setTickLengthIn(0);
        axis->setTickLengthOut(4);
        axis->setSubTickLengthIn(0);
        axis->setSubTickLengthOut(2);
    }

    // Other runs draw behind the main run's curves and markers.
    m_plot->addLayer(
        QStringLiteral("runs"), m_plot->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    // Named, coloured and given axes in updateAxes() and applyPalette().
    m_rawGraph = m_plot->addGraph();
    m_smoothGraph = m_plot->addGraph();
    m_validGraph = m_plot->addGraph();
    // The drawn data is already thinned to the pixels.
    for (QCPGraph *g : { m_rawGraph, m_smoothGraph, m_validGraph })
        g->setAdaptiveSampling(false);

    m_plot->legend->setVisible(true);
    m_plot->legend->setIconSize(18, 10);
    m_plot->legend->setRowSpacing(0);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    // Room above the plot for the learning-rate labels, and on the right for half of the last
    // tick label.
    m_plot->axisRect()->setMinimumMargins(QMargins(0, fontMetrics().height() + 4,
        fontMetrics().horizontalAdvance(QStringLiteral("200k")) / 2 + 4, 0));

    m_tracer = new QCPItemTracer(m_plot);
    m_tracer->setLayer(QStringLiteral("overlay"));
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(9);
    m_tracer->setVisible(false);

    // Toolbar row.
    auto *smoothingLabel = new QLabel(tr("Smoothing"), this);
    m_smoothingSlider = new QSlider(Qt::Horizontal, this);
    m_smoothingSlider->setObjectName(QStringLiteral("smoothingSlider"));
    m_smoothingSlider->setRange(0, qRound(MaxSmoothing * SliderScale));
    m_smoothingSlider->setPageStep(50);
    m_smoothingSlider->setFixedWidth(120);
    m_smoothingSlider->setToolTip(
        tr("Weight of TensorBoard's debiased exponential moving average (0 = raw)"));
    smoothingLabel->setBuddy(m_smoothingSlider);
    m_smoothingValue = new QLabel(this);
    m_smoothingValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.999")) + 4);

    auto *yLabel = new QLabel(tr("y"), this);
    m_yCombo = new QComboBox(this);
    m_yCombo->setObjectName(QStringLiteral("yModeCombo"));
    m_yCombo->addItem(tr("Loss"), static_cast<int>(YMode::Loss));
    m_yCombo->addItem(tr("Perplexity"), static_cast<int>(YMode::Perplexity));
    yLabel->setBuddy(m_yCombo);
    auto *xLabel = new QLabel(tr("x"), this);
    m_xCombo = new QComboBox(this);
    m_xCombo->setObjectName(QStringLiteral("xModeCombo"));
    m_xCombo->addItem(tr("Step"), static_cast<int>(XMode::Step));
    m_xCombo->addItem(tr("Tokens"), static_cast<int>(XMode::Tokens));
    m_xCombo->addItem(tr("Time"), static_cast<int>(XMode::Time));
    xLabel->setBuddy(m_xCombo);
    m_logXBox = new QCheckBox(tr("Log x"), this);
    m_logYBox = new QCheckBox(tr("Log y"), this);
    m_autoFitBox = new QCheckBox(tr("Auto-fit"), this);
    m_autoFitBox->setChecked(m_autoFit);
    m_autoFitBox->setToolTip(tr("Keep all data in view; dragging or zooming turns this off, "
                                "a double-click on the chart turns it back on"));

    m_exportButton = new QToolButton(this);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_exportButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(
        tr("PNG Image…"), this, [this] { exportWithDialog(QStringLiteral("png")); });
    exportMenu->addAction(
        tr("PDF Document…"), this, [this] { exportWithDialog(QStringLiteral("pdf")); });
    exportMenu->addAction(
        tr("CSV Data…"), this, [this] { exportWithDialog(QStringLiteral("csv")); });
    m_exportButton->setMenu(exportMenu);

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // One line of a fixed height: a long read-out neither widens the window nor, wrapping,
    // pushes the plot up and down as the mouse moves; what does not fit is elided, and the whole
    // text is the tooltip.
    m_readout->setMinimumWidth(1);
    m_readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_readout->setWordWrap(false);
    m_readout->setFixedHeight(m_readout->fontMetrics().height() + 2);
    hideHover();

    // The controls wrap to a second row in a narrow panel; Export stays top right.
    auto *controls = new FlowLayout(14, 4);
    controls->addWidget(
        controlGroup(this, { smoothingLabel, m_smoothingSlider, m_smoothingValue }));
    controls->addWidget(controlGroup(this, { yLabel, m_yCombo }));
    controls->addWidget(controlGroup(this, { xLabel, m_xCombo }));
    controls->addWidget(controlGroup(this, { m_logXBox, m_logYBox, m_autoFitBox }));
    auto *bar = new QHBoxLayout;
    bar->addLayout(controls, 1);
    bar->addWidget(m_exportButton, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_readout);

    connect(m_smoothingSlider, &QSlider::valueChanged, this,
        [this](int v) { setSmoothing(double(v) / SliderScale); });
    connect(m_yCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
        [this] { setYMode(static_cast<YMode>(m_yCombo->currentData().toInt())); });
    connect(m_xCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
        [this] { setXMode(static_cast<XMode>(m_xCombo->currentData().toInt())); });
    connect(m_logXBox, &QCheckBox::toggled, this, &LossChart::setLogX);
    connect(m_logYBox, &QCheckBox::toggled, this, &LossChart::setLogY);
    connect(m_autoFitBox, &QCheckBox::toggled, this, &LossChart::setAutoFit);

    // Thinning and fitting happen once per paint, however many batches arrived before it.
    connect(m_plot, &QCustomPlot::beforeReplot, this,
        [this] { prepareReplot(std::max(64, m_plot->width()), false); });
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
        [this] { m_thinDirty = true; });
    // The signals come before QCustomPlot applies the drag or zoom.
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { setAutoFit(false); });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        if (event->buttons() & Qt::LeftButton) {
            setAutoFit(false);
            hideHover();
        } else {
            updateHover(event->position());
        }
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { setAutoFit(true); });

    const QSignalBlocker blocker(m_smoothingSlider);
    m_smoothingSlider->setValue(qRound(m_smoothing * SliderScale));
    m_smoothingValue->setText(QString::number(m_smoothing, 'f', 3));
    updateAxes();
    applyPalette();
}

LossChart::~LossChart() = default;

double LossChart::xOf(const LossPoint &p) const
{
    switch (m_xMode) {
    case XMode::Tokens:
        return p.tokens;
    case XMode::Time:
        return p.seconds;
    case XMode::Step:
        break;
    }
    return static_cast<double>(p.step);
}

double LossChart::xOf(const EpochPoint &e) const
{
    switch (m_xMode) {
    case XMode::Tokens:
        return e.tokens;
    case XMode::Time:
        return e.seconds;
    case XMode::Step:
        break;
    }
    return static_cast<double>(e.step);
}

double LossChart::yOf(double loss) const
{
    return m_yMode == YMode::Perplexity ? std::exp(loss) : loss;
}

bool LossChart::xDrawable(double x) const
{
    return std::isfinite(x) && (!m_logX || x > 0);
}

// The rule thin() applies through ThinSpec::lossLo and lossHi.
bool LossChart::lossDrawable(double loss) const
{
    if (!std::isfinite(loss))
        return false;
    if (m_yMode == YMode::Perplexity)
        return loss < MaxExpArgument;
    return !m_logY || loss > 0;
}

void LossChart::addPoints(const QVector<LossPoint> &points)
{
    if (points.isEmpty())
        return;
    const int first = m_points.size();
    m_points += points;
    smoothFrom(first);
    if (first == 0 && !m_overlays.isEmpty())
        updateLegend();
    m_thinDirty = true;
    requestReplot();
}

void LossChart::addEpoch(const EpochPoint &epoch)
{
    m_epochs.append(epoch);
    if (!m_overlays.isEmpty())
        updateLegend(); // perhaps the first validation marker
    EpochMark mark;
    mark.line = new QCPItemStraightLine(m_plot);
    mark.line->setLayer(QStringLiteral("grid"));
    mark.line->setSelectable(false);
    for (QCPItemPosition *p : { mark.line->point1, mark.line->point2 }) {
        p->setTypeX(QCPItemPosition::ptPlotCoords);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    if (epoch.lrCut) {
        mark.label = new QCPItemText(m_plot);
        mark.label->setSelectable(false);
        mark.label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        mark.label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        // In the margin above the plot, where neither the legend nor the data can cover it.
        mark.label->setClipToAxisRect(false);
        mark.label->setPadding(QMargins(2, 0, 2, 1));
        mark.label->setText(tr("lr %1").arg(QString::number(epoch.lr, 'g', 3)));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        mark.label->setFont(f);
    }
    m_epochMarks.append(mark);
    applyPalette(); // colours the new items
    m_thinDirty = true;
    requestReplot();
}

void LossChart::clear()
{
    m_points.clear();
    m_smoothed.clear();
    m_epochs.clear();
    for (const EpochMark &mark : std::as_const(m_epochMarks)) {
        m_plot->removeItem(mark.line);
        if (mark.label)
            m_plot->removeItem(mark.label);
    }
    m_epochMarks.clear();
    m_emaLast = 0;
    m_emaWeightPow = 1;
    for (QCPGraph *g : { m_rawGraph, m_smoothGraph, m_validGraph })
        g->data()->clear();
    if (!m_overlays.isEmpty())
        updateLegend();
    hideHover();
    if (m_overlays.isEmpty()) {
        // Nothing left to fit: the axes of the curve before would stay (QCustomPlot's own
        // start, 0 to 5, or 1 to 10 on a log axis).
        m_plot->xAxis->setRange(m_logX ? QCPRange(1, 10) : QCPRange(0, 5));
        m_plot->yAxis->setRange(m_logY ? QCPRange(1, 10) : QCPRange(0, 5));
    }
    m_refitX = m_refitY = true;
    m_thinDirty = true;
    requestReplot();
}

void LossChart::recomputeSmoothing()
{
    m_emaLast = 0;
    m_emaWeightPow = 1;
    smoothFrom(0);
}

void LossChart::smoothFrom(int first)
{
    m_smoothed.resize(m_points.size());
    for (int i = first; i < m_points.size(); ++i)
        m_smoothed[i] = emaAdd(m_points[i].loss, m_smoothing, m_emaLast, m_emaWeightPow);
}

void LossChart::smoothOverlays()
{
    for (Overlay &o : m_overlays)
        o.smoothed = smoothedLosses(o.run.points, m_smoothing);
}

void LossChart::setOverlays(const QVector<RunCurve> &runs)
{
    for (const Overlay &o : std::as_const(m_overlays)) {
        for (QCPGraph *g : { o.raw, o.smooth, o.valid })
            m_plot->removeGraph(g);
        for (QCPItemLine *tick : o.epochTicks)
            m_plot->removeItem(tick);
    }
    m_overlays.clear();
    m_overlays.reserve(runs.size());
    for (const RunCurve &run : runs) {
        Overlay o;
        o.run = run;
        o.smoothed = smoothedLosses(run.points, m_smoothing);
        o.raw = m_plot->addGraph();
        o.smooth = m_plot->addGraph();
        o.valid = m_plot->addGraph();
        o.raw->setObjectName(QStringLiteral("run:%1:raw").arg(run.id));
        o.smooth->setObjectName(QStringLiteral("run:%1:smoothed").arg(run.id));
        o.valid->setObjectName(QStringLiteral("run:%1:validation").arg(run.id));
        o.raw->setName(tr("%1, per window").arg(run.name));
        o.smooth->setName(run.name);
        o.valid->setName(tr("%1, validation").arg(run.name));
        for (QCPGraph *g : { o.raw, o.smooth, o.valid }) {
            g->setLayer(QStringLiteral("runs"));
            g->setAdaptiveSampling(false);
            g->setSelectable(QCP::stNone);
        }
        o.valid->setLineStyle(QCPGraph::lsNone);
        for (int e = 0; e < run.epochs.size(); ++e) {
            auto *tick = new QCPItemLine(m_plot);
            tick->setObjectName(QStringLiteral("run:%1:epoch").arg(run.id));
            tick->setLayer(QStringLiteral("runs"));
            tick->setSelectable(false);
            // x on the axis, y from the bottom edge of the plot up a few percent.
            for (QCPItemPosition *p : { tick->start, tick->end })
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            o.epochTicks.append(tick);
        }
        m_overlays.append(o);
    }
    hideHover();
    updateLegend();
    applyPalette(); // colours the new graphs and requests the replot
    m_thinDirty = true;
    requestReplot();
}

void LossChart::setMainRun(const QString &name, const QColor &colour)
{
    m_mainName = name;
    m_mainColour = colour;
    updateLegend();
    applyPalette();
}

QString LossChart::mainRunName() const
{
    return m_mainName.isEmpty() ? tr("this run") : m_mainName;
}

QColor LossChart::mainColour() const
{
    if (m_mainColour.isValid())
        return forBackground(m_mainColour, m_dark);
    return m_dark ? QColor(0x6c, 0xb4, 0xee) : QColor(0x1f, 0x6f, 0xb4);
}

QColor LossChart::overlayColour(int run) const
{
    return forBackground(m_overlays.at(run).run.colour, m_dark);
}

// One run: the three series of the main run, as always. Several: one entry per run, named and
// drawn like its smoothed curve, and one for the validation markers when there are any (every
// run draws them in its own colour); the faint windows need no entry once the runs are told
// apart by colour.
void LossChart::updateLegend()
{
    const bool perplexity = m_yMode == YMode::Perplexity;
    m_plot->legend->clearItems();
    if (m_overlays.isEmpty()) {
        m_rawGraph->setName(
            perplexity ? tr("train perplexity, per window") : tr("train loss, per window"));
        m_smoothGraph->setName(
            perplexity ? tr("train perplexity, smoothed") : tr("train loss, smoothed"));
        for (QCPGraph *g : { m_rawGraph, m_smoothGraph, m_validGraph })
            g->addToLegend();
        return;
    }
    m_rawGraph->setName(tr("%1, per window").arg(mainRunName()));
    m_smoothGraph->setName(mainRunName());
    if (!m_points.isEmpty())
        m_smoothGraph->addToLegend();
    const auto validated = [](const QVector<EpochPoint> &epochs) {
        return std::any_of(epochs.cbegin(), epochs.cend(),
            [](const EpochPoint &e) { return std::isfinite(e.validLoss); });
    };
    bool anyValidation = validated(m_epochs);
    for (const Overlay &o : std::as_const(m_overlays)) {
        o.smooth->addToLegend();
        anyValidation = anyValidation || validated(o.run.epochs);
    }
    if (anyValidation)
        m_validGraph->addToLegend();
}

void LossChart::setSmoothing(double weight)
{
    weight = std::isfinite(weight) ? std::clamp(weight, 0.0, MaxSmoothing) : 0.0;
    {
        const QSignalBlocker blocker(m_smoothingSlider);
        m_smoothingSlider->setValue(qRound(weight * SliderScale));
    }
    m_smoothingValue->setText(QString::number(weight, 'f', 3));
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    recomputeSmoothing();
    smoothOverlays();
    m_thinDirty = true;
    requestReplot();
}

void LossChart::setYMode(YMode mode)
{
    {
        const QSignalBlocker blocker(m_yCombo);
        m_yCombo->setCurrentIndex(m_yCombo->findData(static_cast<int>(mode)));
    }
    if (mode == m_yMode)
        return;
    m_yMode = mode;
    m_refitY = true;
    m_thinDirty = true;
    updateAxes();
    requestReplot();
}

void LossChart::setXMode(XMode mode)
{
    {
        const QSignalBlocker blocker(m_xCombo);
        m_xCombo->setCurrentIndex(m_xCombo->findData(static_cast<int>(mode)));
    }
    if (mode == m_xMode)
        return;
    m_xMode = mode;
    // The old range means nothing in the new unit.
    m_refitX = m_refitY = true;
    m_thinDirty = true;
    hideHover();
    updateAxes();
    requestReplot();
}

void LossChart::setLogX(bool on)
{
    {
        const QSignalBlocker blocker(m_logXBox);
        m_logXBox->setChecked(on);
    }
    if (on == m_logX)
        return;
    m_logX = on;
    m_refitX = m_refitY = true;
    m_thinDirty = true;
    updateAxes();
    requestReplot();
}

void LossChart::setLogY(bool on)
{
    {
        const QSignalBlocker blocker(m_logYBox);
        m_logYBox->setChecked(on);
    }
    if (on == m_logY)
        return;
    m_logY = on;
    m_refitY = true;
    m_thinDirty = true;
    updateAxes();
    requestReplot();
}

void LossChart::setAutoFit(bool on)
{
    {
        const QSignalBlocker blocker(m_autoFitBox);
        m_autoFitBox->setChecked(on);
    }
    if (on == m_autoFit)
        return;
    m_autoFit = on;
    if (on)
        requestReplot();
}

void LossChart::requestReplot()
{
    // A hidden chart (another tab) does the work when it is shown again.
    if (m_plot->isVisible())
        m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// Runs right before every paint (and before exports): fit the ranges, then rebuild the drawn,
// thinned data if the data, the visible x range or the width changed.
void LossChart::prepareReplot(int columns, bool forExport)
{
    // An export draws differently (see ThinSpec::breakEvery); the screen's next paint rethins.
    if (forExport || m_thinnedForExport)
        m_thinDirty = true;
    m_thinnedForExport = forExport;
    if (m_autoFit || m_refitX)
        fitX();
    if (m_thinDirty || columns != m_thinColumns)
        thin(columns, forExport);
    if (m_autoFit || m_refitY)
        fitY();
    m_refitX = m_refitY = false;

    if (auto time = qSharedPointerDynamicCast<QCPAxisTickerTime>(m_plot->xAxis->ticker())) {
        const bool hours = m_plot->xAxis->range().upper >= 3600;
        time->setTimeFormat(hours ? QStringLiteral("%h:%m:%s") : QStringLiteral("%m:%s"));
        time->setFieldWidth(QCPAxisTickerTime::tuMinutes, hours ? 2 : 1);
        m_plot->xAxis->setLabel(hours ? tr("time (h:mm:ss)") : tr("time (m:ss)"));
    }
    updateEpochMarks();
}

void LossChart::fitX()
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    // Every run in view, the longest sets the right end.
    const auto span = [&](const QVector<LossPoint> &points, const QVector<EpochPoint> &epochs) {
        if (!points.isEmpty()) {
            // Points are in training order, so the x values are sorted.
            auto begin = points.cbegin();
            if (m_logX)
                begin = std::upper_bound(points.cbegin(), points.cend(), 0.0,
                    [this](double x, const LossPoint &p) { return x < xOf(p); });
            if (begin != points.cend()) {
                lo = std::min(lo, xOf(*begin));
                hi = std::max(hi, xOf(points.last()));
            }
        }
        for (const EpochPoint &e : epochs) {
            const double x = xOf(e);
            if (xDrawable(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
        }
    };
    span(m_points, m_epochs);
    for (const Overlay &o : std::as_const(m_overlays))
        span(o.run.points, o.run.epochs);
    if (!(lo <= hi))
        return;
    if (lo == hi) {
        if (m_logX) {
            lo /= 2;
            hi *= 2;
        } else {
            lo -= 1;
            hi += 1;
        }
    } else if (m_logX) {
        hi *= std::pow(hi / lo, 0.015);
    } else {
        // A little room on the right for the last marker; none on the left, where the run
        // starts, so the axis does not begin at a negative step.
        hi += 0.015 * (hi - lo);
    }
    m_plot->xAxis->setRange(lo, hi);
}

void LossChart::fitY()
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    const QCPRange xRange = m_plot->xAxis->range();
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        for (const QCPGraphData &d : *m_plot->graph(i)->data()) {
            if (d.key >= xRange.lower && d.key <= xRange.upper) {
                lo = std::min(lo, d.value);
                hi = std::max(hi, d.value);
            }
        }
    }
    if (!(lo <= hi))
        return;
    if (m_logY) {
        const double pad = hi > lo ? std::pow(hi / lo, 0.05) : 1.1;
        m_plot->yAxis->setRange(lo / pad, hi * pad);
    } else {
        const double span = hi > lo ? hi - lo : std::max(std::abs(hi) * 0.1, 1e-6);
        m_plot->yAxis->setRange(lo - 0.05 * span, hi + 0.05 * span);
    }
}

// Min/max per pixel column over the visible windows: at most four points per column and
// series, so a run of any length draws in bounded time and every spike stays visible.
void LossChart::thin(int columns, bool forExport)
{
    m_thinDirty = false;
    m_thinColumns = columns;
    ThinSpec spec;
    spec.x = m_xMode == XMode::Step ? ThinX::Step
        : m_xMode == XMode::Tokens  ? ThinX::Tokens
                                    : ThinX::Seconds;
    spec.columns = columns;
    spec.breakEvery = forExport ? 8 : 0;
    spec.range = m_plot->xAxis->range();
    spec.logX = m_logX;
    spec.perplexity = m_yMode == YMode::Perplexity;
    // Drawable losses are lossLo < v < lossHi, decided on the loss so that only the survivors
    // of thinning go through exp(); NaN fails both comparisons.
    spec.lossLo = m_yMode == YMode::Loss && m_logY ? 0.0 : -std::numeric_limits<double>::infinity();
    spec.lossHi = spec.perplexity ? MaxExpArgument : std::numeric_limits<double>::infinity();

    QVector<QCPGraphData> raw;
    QVector<QCPGraphData> smooth;
    thinWindows(m_points.constData(), m_smoothed.constData(), m_points.size(), spec, raw, smooth);

    const auto validOf = [this](const QVector<EpochPoint> &epochs) {
        QVector<QCPGraphData> valid;
        for (const EpochPoint &e : epochs) {
            const double x = xOf(e);
            if (xDrawable(x) && lossDrawable(e.validLoss))
                valid.append(QCPGraphData(x, yOf(e.validLoss)));
        }
        return valid;
    };
    m_rawGraph->data()->set(raw, true);
    m_smoothGraph->data()->set(smooth, true);
    m_validGraph->data()->set(validOf(m_epochs), true);

    for (const Overlay &o : std::as_const(m_overlays)) {
        raw.clear();
        smooth.clear();
        thinWindows(o.run.points.constData(), o.smoothed.constData(), o.run.points.size(), spec,
            raw, smooth);
        o.raw->data()->set(raw, true);
        o.smooth->data()->set(smooth, true);
        o.valid->data()->set(validOf(o.run.epochs), true);
    }
}

void LossChart::updateAxes()
{
    QCPAxis *x = m_plot->xAxis;
    QCPAxis *y = m_plot->yAxis;
    QSharedPointer<QCPAxisTicker> xTicker;
    if (m_logX) {
        if (m_xMode == XMode::Time)
            xTicker.reset(new QCPAxisTickerLog);
        else
            xTicker.reset(new CompactTicker<QCPAxisTickerLog>);
    } else if (m_xMode == XMode::Time) {
        auto time = QSharedPointer<QCPAxisTickerTime>::create();
        time->setTickCount(7);
        xTicker = time;
    } else if (m_xMode == XMode::Step) {
        xTicker.reset(new IntegerTicker);
    } else {
        xTicker.reset(new CompactTicker<QCPAxisTicker>);
    }
    if (auto log = qSharedPointerDynamicCast<QCPAxisTickerLog>(xTicker))
        log->setSubTickCount(8);
    x->setTicker(xTicker);
    x->setScaleType(m_logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    switch (m_xMode) {
    case XMode::Step:
        x->setLabel(tr("step (windows)"));
        break;
    case XMode::Tokens:
        x->setLabel(tr("tokens"));
        break;
    case XMode::Time:
        x->setLabel(m_logX ? tr("time (s)") : tr("time (m:ss)"));
        break;
    }

    const bool perplexity = m_yMode == YMode::Perplexity;
    QSharedPointer<QCPAxisTicker> yTicker;
    if (m_logY) {
        if (perplexity)
            yTicker.reset(new CompactTicker<QCPAxisTickerLog>);
        else
            yTicker.reset(new QCPAxisTickerLog);
        qSharedPointerDynamicCast<QCPAxisTickerLog>(yTicker)->setSubTickCount(8);
    } else if (perplexity) {
        yTicker.reset(new CompactTicker<QCPAxisTicker>);
    } else {
        yTicker.reset(new QCPAxisTicker);
    }
    y->setTicker(yTicker);
    y->setScaleType(m_logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    y->setLabel(perplexity ? tr("perplexity") : tr("loss (nats per token)"));
    // Names follow the unit, so the legend says what is drawn.
    m_validGraph->setName(perplexity ? tr("validation perplexity") : tr("validation loss"));
    updateLegend();
}

void LossChart::updateEpochMarks()
{
    for (const Overlay &o : std::as_const(m_overlays))
        for (int e = 0; e < o.epochTicks.size(); ++e) {
            const double x = xOf(o.run.epochs[e]);
            o.epochTicks[e]->setVisible(xDrawable(x));
            o.epochTicks[e]->start->setCoords(x, 1.0);
            o.epochTicks[e]->end->setCoords(x, 0.955);
        }
    const QCPRange range = m_plot->xAxis->range();
    double lastRight = -std::numeric_limits<double>::infinity(); // of the last label shown, px
    for (int i = 0; i < m_epochMarks.size(); ++i) {
        const EpochMark &mark = m_epochMarks[i];
        const double x = xOf(m_epochs[i]);
        const bool drawable = xDrawable(x);
        mark.line->setVisible(drawable);
        mark.line->point1->setCoords(x, 0);
        mark.line->point2->setCoords(x, 1);
        if (!mark.label)
            continue;
        // Where the line is in the view, 0..1; the label is not clipped, so hide it outside.
        const double t = m_logX && range.lower > 0 && x > 0
            ? std::log(x / range.lower) / std::log(range.upper / range.lower)
            : (x - range.lower) / range.size();
        mark.label->setVisible(drawable && t >= 0 && t <= 1);
        mark.label->position->setCoords(x, 0);
        // Centred over its line, except near the ends of the axis where it would stick out.
        const Qt::Alignment side = t > 0.97 ? Qt::AlignRight
            : t < 0.03                      ? Qt::AlignLeft
                                            : Qt::AlignHCenter;
        mark.label->setPositionAlignment(Qt::AlignBottom | side);
        // Cuts close together (short epochs) would write over each other: a label that would
        // touch the one before it is left out; hovering still tells each window's rate.
        if (!mark.label->visible())
            continue;
        const QMargins pad = mark.label->padding();
        const double width = QFontMetricsF(mark.label->font()).horizontalAdvance(mark.label->text())
            + pad.left() + pad.right();
        const double px = m_plot->xAxis->coordToPixel(x);
        const double left = side == Qt::AlignRight ? px - width
            : side == Qt::AlignLeft                ? px
                                                   : px - width / 2;
        if (left < lastRight + 4) {
            mark.label->setVisible(false);
            continue;
        }
        lastRight = left + width;
    }
}

void LossChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::WindowText);
    const bool dark = base.lightnessF() < 0.5;
    m_dark = dark;
    // Series colours are fixed hues, lighter on a dark background so they keep their contrast.
    const QColor train = mainColour();
    // Beside other runs, the main run's validation markers take its colour, as theirs do.
    const QColor valid = !m_overlays.isEmpty() ? train
        : dark                                 ? QColor(0xff, 0xa6, 0x57)
                                               : QColor(0xd9, 0x5f, 0x0e);
    const QColor cut = dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc6, 0x28, 0x28);

    m_plot->setBackground(window);
    m_plot->axisRect()->setBackground(base);
    const QColor frame = withAlpha(text, 150);
    for (QCPAxis *axis : m_plot->axisRect()->axes()) {
        axis->setBasePen(QPen(frame, 1));
        axis->setTickPen(QPen(frame, 1));
        axis->setSubTickPen(QPen(frame, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(withAlpha(text, dark ? 38 : 30), 1, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }

    m_rawGraph->setPen(QPen(withAlpha(train, dark ? 80 : 60), 1));
    m_smoothGraph->setPen(QPen(train, 2));
    m_validGraph->setPen(QPen(valid, 2));
    m_validGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(valid, 2), base, 7));
    // Beside other runs, a line joining the main run's markers would read as one more curve.
    m_validGraph->setLineStyle(m_overlays.isEmpty() ? QCPGraph::lsLine : QCPGraph::lsNone);
    // Other runs a step quieter than the main one: thinner smoothed lines, fainter windows.
    for (int i = 0; i < m_overlays.size(); ++i) {
        const Overlay &o = m_overlays[i];
        const QColor c = overlayColour(i);
        o.raw->setPen(QPen(withAlpha(c, dark ? 38 : 32), 1));
        o.smooth->setPen(QPen(c, 1.5));
        o.valid->setPen(QPen(c, 1.5));
        o.valid->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.5), base, 6));
        for (QCPItemLine *tick : o.epochTicks)
            tick->setPen(QPen(c, 2));
    }

    m_plot->legend->setBrush(withAlpha(base, 225));
    m_plot->legend->setBorderPen(QPen(withAlpha(text, 60), 1));
    m_plot->legend->setTextColor(text);

    for (int i = 0; i < m_epochMarks.size(); ++i) {
        const EpochMark &mark = m_epochMarks[i];
        if (m_epochs[i].lrCut)
            mark.line->setPen(QPen(withAlpha(cut, 200), 1.5, Qt::DashLine));
        else
            mark.line->setPen(QPen(withAlpha(text, dark ? 80 : 70), 1, Qt::DashLine));
        if (mark.label) {
            mark.label->setColor(cut);
            mark.label->setBrush(Qt::NoBrush);
            mark.label->setPen(Qt::NoPen);
        }
    }

    m_tracer->setPen(QPen(train, 2));
    m_tracer->setBrush(base);
    requestReplot();
}

void LossChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

bool LossChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot) {
        if (event->type() == QEvent::Leave)
            hideHover();
        else if (event->type() == QEvent::Show)
            m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    return QWidget::eventFilter(watched, event);
}

int LossChart::nearestIndex(double x) const
{
    return nearestIndexIn(m_points, x);
}

int LossChart::nearestIndexIn(const QVector<LossPoint> &points, double x) const
{
    if (points.isEmpty())
        return -1;
    const auto it = std::lower_bound(points.cbegin(), points.cend(), x,
        [this](const LossPoint &p, double v) { return xOf(p) < v; });
    int i = static_cast<int>(it - points.cbegin());
    if (i >= points.size())
        return points.size() - 1;
    if (i > 0) {
        // Nearest as the eye sees it: on a log axis, by ratio.
        const double a = xOf(points[i - 1]);
        const double b = xOf(points[i]);
        const bool useLog = m_logX && a > 0 && x > 0;
        const double da = useLog ? std::log(x / a) : x - a;
        const double db = useLog ? std::log(b / x) : b - x;
        if (da <= db)
            --i;
    }
    return i;
}

int LossChart::nearestRun(const QPointF &pos) const
{
    if (m_overlays.isEmpty())
        return -1;
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    int best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    // By the distance on screen to the run's smoothed curve at its window nearest to the cursor,
    // so a run that ended to the left of the cursor is only chosen when nothing else is close.
    const auto consider
        = [&](int run, const QVector<LossPoint> &points, const QVector<double> &smoothed) {
              const int i = nearestIndexIn(points, x);
              if (i < 0 || !xDrawable(xOf(points[i])) || !lossDrawable(smoothed[i]))
                  return;
              const double dx = m_plot->xAxis->coordToPixel(xOf(points[i])) - pos.x();
              const double dy = m_plot->yAxis->coordToPixel(yOf(smoothed[i])) - pos.y();
              const double distance = std::hypot(dx, dy);
              if (distance < bestDistance) {
                  bestDistance = distance;
                  best = run;
              }
          };
    consider(-1, m_points, m_smoothed);
    for (int r = 0; r < m_overlays.size(); ++r)
        consider(r, m_overlays[r].run.points, m_overlays[r].smoothed);
    return best;
}

QString LossChart::hoverText(double x) const
{
    return hoverTextFor(m_points, m_smoothed, nearestIndex(x));
}

QString LossChart::hoverTextFor(
    const QVector<LossPoint> &points, const QVector<double> &smoothed, int i) const
{
    if (i < 0)
        return QString();
    const LossPoint &p = points[i];
    QStringList parts;
    parts << tr("step %1").arg(p.step);
    if (m_xMode == XMode::Tokens)
        parts << tr("%1 tokens").arg(compactNumber(p.tokens));
    else if (m_xMode == XMode::Time)
        parts << formatDuration(p.seconds);
    const QString loss = formatLoss(p.loss);
    const QString smoothedLoss = formatLoss(smoothed[i]);
    const QString perplexity = formatPerplexity(std::exp(p.loss));
    if (m_yMode == YMode::Perplexity) {
        parts << tr("ppl %1").arg(perplexity)
              << tr("smoothed %1").arg(formatPerplexity(std::exp(smoothed[i])))
              << tr("loss %1").arg(loss);
    } else {
        parts << tr("loss %1").arg(loss) << tr("smoothed %1").arg(smoothedLoss)
              << tr("ppl %1").arg(perplexity);
    }
    parts << tr("lr %1").arg(QString::number(p.lr, 'g', 4))
          << tr("grad norm %1").arg(QString::number(p.gradNorm, 'g', 3))
          << tr("epoch %1").arg(p.epoch);
    return parts.join(QStringLiteral(" · "));
}

void LossChart::updateHover(const QPointF &pos)
{
    const bool anyPoints = !m_points.isEmpty()
        || std::any_of(m_overlays.cbegin(), m_overlays.cend(),
            [](const Overlay &o) { return !o.run.points.isEmpty(); });
    if (!anyPoints || !m_plot->axisRect()->rect().contains(pos.toPoint())) {
        hideHover();
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const int run = nearestRun(pos);
    const bool main = run < 0;
    if (main && m_points.isEmpty()) {
        hideHover(); // only overlays, none of them drawable here
        return;
    }
    const QVector<LossPoint> &points = main ? m_points : m_overlays[run].run.points;
    const QVector<double> &smoothed = main ? m_smoothed : m_overlays[run].smoothed;
    const int i = nearestIndexIn(points, x);
    QString text = hoverTextFor(points, smoothed, i);
    if (!m_overlays.isEmpty())
        text = (main ? mainRunName() : m_overlays[run].run.name) + QStringLiteral(" · ") + text;
    setReadout(text);
    const double value = smoothed[i];
    const bool visible = xDrawable(xOf(points[i])) && lossDrawable(value);
    m_tracer->setVisible(visible);
    m_tracer->setPen(QPen(main ? mainColour() : overlayColour(run), 2));
    if (visible)
        m_tracer->position->setCoords(xOf(points[i]), yOf(value));
    // The tracer has a buffered layer of its own: moving it repaints only that layer.
    m_plot->layer(QStringLiteral("overlay"))->replot();
}

void LossChart::setReadout(const QString &text)
{
    m_readoutText = text;
    m_readout->setToolTip(text);
    m_readout->setText(
        m_readout->fontMetrics().elidedText(text, Qt::ElideRight, m_readout->width()));
}

void LossChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    setReadout(m_readoutText); // elided anew for the new width
}

void LossChart::hideHover()
{
    const bool ticks = std::any_of(m_overlays.cbegin(), m_overlays.cend(),
        [](const Overlay &o) { return !o.epochTicks.isEmpty(); });
    setReadout(ticks ? tr("Drag: pan · wheel: zoom · double-click: fit · hover: values · ticks at "
                          "the bottom: epoch ends")
                     : tr("Drag: pan · wheel: zoom · double-click: fit · hover: values"));
    if (m_tracer->visible()) {
        m_tracer->setVisible(false);
        m_plot->layer(QStringLiteral("overlay"))->replot();
    }
}

bool LossChart::exportPng(const QString &path, int width, int height, double scale)
{
    if (width <= 0 || height <= 0 || !(scale > 0)) {
        m_lastError = tr("Cannot export an image of %1 x %2 pixels").arg(width).arg(height);
        return false;
    }
    // Thinned to the chart's own pixels: a finer drawing would look the same and cost more.
    prepareReplot(width, true);
    const QPixmap pixmap = m_plot->toPixmap(width, height, scale);
    m_plot->replot(); // back to the widget's own size and thinning
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_lastError = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (pixmap.isNull() || !pixmap.save(&file, "PNG")) {
        file.cancelWriting();
        m_lastError = tr("Cannot write %1: the image could not be encoded").arg(path);
        return false;
    }
    if (!file.commit()) {
        m_lastError = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool LossChart::exportPdf(const QString &path, int width, int height)
{
    if (width <= 0 || height <= 0) {
        // A chart that was never shown has no layout yet.
        width = m_plot->width() >= 320 ? m_plot->width() : 800;
        height = m_plot->height() >= 200 ? m_plot->height() : 500;
    }
    // QCustomPlot writes PDFs only by file name: write a temporary file, then copy it into
    // place atomically.
    QTemporaryFile temp(QDir::temp().filePath(QStringLiteral("embedlab-chart-XXXXXX.pdf")));
    if (!temp.open()) {
        m_lastError = tr("Cannot create a temporary file: %1").arg(temp.errorString());
        return false;
    }
    temp.close();
    prepareReplot(width, true);
    const bool drawn = m_plot->savePdf(temp.fileName(), width, height, QCP::epAllowCosmetic,
        QStringLiteral("Embedding Lab"), tr("Training loss"));
    m_plot->replot();
    QFile pdf(temp.fileName());
    if (!drawn || !pdf.open(QIODevice::ReadOnly) || pdf.size() == 0) {
        m_lastError = tr("Cannot write %1: the PDF could not be drawn").arg(path);
        return false;
    }
    const QByteArray bytes = pdf.readAll();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        m_lastError = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool LossChart::exportCsv(const QString &path)
{
    QString error;
    if (!writeLossCsv(path, m_points, m_smoothed, m_epochs, &error)) {
        m_lastError = tr("Cannot write %1: %2").arg(path, error);
        return false;
    }
    return true;
}

void LossChart::exportWithDialog(const QString &format)
{
    QString filter;
    if (format == QLatin1String("png"))
        filter = tr("PNG image (*.png)");
    else if (format == QLatin1String("pdf"))
        filter = tr("PDF document (*.pdf)");
    else
        filter = tr("CSV file (*.csv)");
    const QString name = (m_exportStem.isEmpty() ? QString() : m_exportStem + QLatin1Char('_'))
        + QStringLiteral("loss.") + format;
    QString path = rememberDialogPath(
        QFileDialog::getSaveFileName(this, tr("Export Loss Chart"), dialogPath(name), filter));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive))
        path += QLatin1Char('.') + format;
    bool ok = false;
    if (format == QLatin1String("png")) {
        // At the screen's pixel density, so the image is as sharp as the chart.
        const double scale = std::max(1.0, devicePixelRatioF());
        ok = exportPng(path, m_plot->width(), m_plot->height(), scale);
    } else if (format == QLatin1String("pdf")) {
        ok = exportPdf(path);
    } else {
        ok = exportCsv(path);
    }
    if (!ok)
        QMessageBox::warning(this, tr("Export Failed"), m_lastError);
}

} // namespace embedlab
