#pragma once
// The loss chart: every training window's loss (faint) and its TensorBoard-style smoothed curve,
// validation loss per epoch, epoch boundaries and learning-rate cuts, drawn with QCustomPlot,
// with other recorded runs overlaid behind it for comparison. All points are kept; only what is
// drawn is thinned to a few points per pixel column.
#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

#include "ui/snapshots.h"

class QCPGraph;
class QCPItemStraightLine;
class QCPItemLine;
class QCPItemText;
class QCPItemTracer;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QSlider;
class QToolButton;

namespace embedlab {

// Another recorded run, drawn behind the main one on the same axes for comparison.
struct RunCurve
{
    QString id;
    QString name; // in the legend and the hover read-out
    QColor colour;
    QVector<LossPoint> points; // in training order, as for LossChart::addPoints
    QVector<EpochPoint> epochs; // their validation losses become markers
};

class LossChart : public QWidget
{
    Q_OBJECT
public:
    enum class YMode { Loss, Perplexity };
    Q_ENUM(YMode)
    enum class XMode { Step, Tokens, Time };
    Q_ENUM(XMode)

    static constexpr double MaxSmoothing = 0.999;
    static constexpr double DefaultSmoothing = 0.9;

    explicit LossChart(QWidget *parent = nullptr);
    ~LossChart() override;

    // Points arrive in training order: step, tokens and seconds never decrease.
    void addPoints(const QVector<LossPoint> &points);
    void addEpoch(const EpochPoint &epoch);
    // Empties the main run; the overlays stay.
    void clear();

    // The other runs drawn behind the main one: each its smoothed curve (same weight and
    // average as the main curve), its windows faint and its validation markers, all in its
    // colour. Replaces the previous set; an empty vector removes them.
    void setOverlays(const QVector<RunCurve> &runs);
    int overlayCount() const { return m_overlays.size(); }
    const RunCurve &overlay(int run) const { return m_overlays.at(run).run; }
    double overlaySmoothedAt(int run, int index) const
    {
        return m_overlays.at(run).smoothed.at(index);
    }
    // The main run's name in the legend (shown once there are overlays) and its colour; an
    // invalid colour keeps the default, which follows the palette.
    void setMainRun(const QString &name, const QColor &colour = QColor());
    QString mainRunName() const;
    // The colour a run's curves are drawn in under the current palette: the run's own colour,
    // lightened on a dark background when it would have too little contrast there.
    QColor mainColour() const;
    QColor overlayColour(int run) const;

    int pointCount() const { return m_points.size(); }
    const QVector<LossPoint> &points() const { return m_points; }
    const QVector<EpochPoint> &epochs() const { return m_epochs; }
    // The debiased exponential moving average of the loss up to window `index` (TensorBoard's
    // smoothing); a non-finite loss is passed through and does not enter the average.
    double smoothedAt(int index) const { return m_smoothed.at(index); }

    double smoothing() const { return m_smoothing; }
    void setSmoothing(double weight); // clamped to [0, MaxSmoothing]
    YMode yMode() const { return m_yMode; }
    void setYMode(YMode mode);
    XMode xMode() const { return m_xMode; }
    void setXMode(XMode mode);
    bool logX() const { return m_logX; }
    void setLogX(bool on);
    bool logY() const { return m_logY; }
    void setLogY(bool on);
    bool autoFit() const { return m_autoFit; }
    void setAutoFit(bool on);

    // The read-out for the window nearest to `x` (in the current x unit), as shown on hover,
    // e.g. "step 1200 · loss 4.83 · smoothed 4.91 · ppl 125 · lr 20 · grad norm 0.25 · epoch 1";
    // in perplexity mode perplexities come first. Empty without points.
    // Smoothed perplexity is exp(smoothed loss), so both modes show the same curve.
    QString hoverText(double x) const;
    // The read-out under the plot in full (the label elides what does not fit on its one line).
    QString readoutText() const { return m_readoutText; }
    // Index of the window nearest to `x`, or -1 without points.
    int nearestIndex(double x) const;
    // With overlays, the run whose smoothed curve is nearest to the pixel `pos` of the plot
    // (vertically, at the window nearest to its x): -1 for the main run, else the overlay's
    // index. Hovering reads out that run, prefixed with its name.
    int nearestRun(const QPointF &pos) const;

    // Exports write to a temporary file and rename it into place; on failure the previous file
    // is untouched and lastError() says why. PNG: width x height pixels times `scale`.
    bool exportPng(const QString &path, int width, int height, double scale = 1.0);
    // PDF: a vector page of width x height points (the chart's size when 0).
    bool exportPdf(const QString &path, int width = 0, int height = 0);
    // CSV, one table with one header row (ui/chartcsv.h), a row per window and two per epoch:
    //   series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,lr_cut
    // `smoothed` uses the current smoothing weight, perplexity is exp(loss), numbers are written
    // in the shortest form that reads back exactly, and a missing or non-finite value is empty.
    bool exportCsv(const QString &path);
    // The stem of the names the export dialog suggests ("austen" -> "austen_loss.csv"); empty:
    // "loss.csv".
    void setExportStem(const QString &stem) { m_exportStem = stem; }
    QString lastError() const { return m_lastError; }

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Overlay
    {
        RunCurve run;
        QVector<double> smoothed;
        QCPGraph *raw = nullptr;
        QCPGraph *smooth = nullptr;
        QCPGraph *valid = nullptr;
        // Its epoch ends: short ticks in its colour along the bottom of the plot.
        QVector<QCPItemLine *> epochTicks;
    };

    struct EpochMark
    {
        QCPItemStraightLine *line = nullptr;
        QCPItemText *label = nullptr; // only for a learning-rate cut
    };

    double xOf(const LossPoint &p) const;
    double xOf(const EpochPoint &e) const;
    double yOf(double loss) const;
    bool xDrawable(double x) const;
    bool lossDrawable(double loss) const;
    int nearestIndexIn(const QVector<LossPoint> &points, double x) const;
    QString hoverTextFor(
        const QVector<LossPoint> &points, const QVector<double> &smoothed, int index) const;
    void updateLegend();
    void smoothOverlays();
    void recomputeSmoothing();
    void smoothFrom(int first);
    void requestReplot();
    void prepareReplot(int columns, bool forExport);
    void fitX();
    void fitY();
    void thin(int columns, bool forExport);
    void updateAxes();
    void updateEpochMarks();
    void applyPalette();
    void updateHover(const QPointF &pos);
    void hideHover();
    void setReadout(const QString &text);
    void exportWithDialog(const QString &format);

    QVector<LossPoint> m_points;
    QVector<double> m_smoothed;
    QVector<EpochPoint> m_epochs;
    QVector<EpochMark> m_epochMarks;
    QVector<Overlay> m_overlays;
    QString m_mainName;
    QColor m_mainColour; // invalid: the palette's default
    bool m_dark = false;
    // Running state of the moving average, so new points cost O(batch).
    double m_emaLast = 0;
    double m_emaWeightPow = 1;

    double m_smoothing = DefaultSmoothing;
    YMode m_yMode = YMode::Loss;
    XMode m_xMode = XMode::Step;
    bool m_logX = false;
    bool m_logY = false;
    bool m_autoFit = true;
    // One-shot fits after a change of unit or scale, even with auto-fit off.
    bool m_refitX = true;
    bool m_refitY = true;
    bool m_thinDirty = true;
    bool m_thinnedForExport = false;
    int m_thinColumns = 0;
    QString m_lastError;
    QString m_exportStem;

    QCustomPlot *m_plot = nullptr;
    QCPGraph *m_rawGraph = nullptr;
    QCPGraph *m_smoothGraph = nullptr;
    QCPGraph *m_validGraph = nullptr;
    QCPItemTracer *m_tracer = nullptr;
    QSlider *m_smoothingSlider = nullptr;
    QLabel *m_smoothingValue = nullptr;
    QComboBox *m_yCombo = nullptr;
    QComboBox *m_xCombo = nullptr;
    QCheckBox *m_logXBox = nullptr;
    QCheckBox *m_logYBox = nullptr;
    QCheckBox *m_autoFitBox = nullptr;
    QToolButton *m_exportButton = nullptr;
    QLabel *m_readout = nullptr;
    QString m_readoutText;
};

} // namespace embedlab
