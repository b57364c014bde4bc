#include "ui/chartcsv.h"

#include <QByteArray>
#include <QSaveFile>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace embedlab {

namespace {

// Shortest text that reads back to the same double; integers without a decimal point or
// exponent; nothing for NaN or infinity.
void appendNumber(QByteArray &out, double v)
{
    if (!std::isfinite(v))
        return;
    char buf[32];
    std::to_chars_result r;
    if (v == std::trunc(v) && std::abs(v) < 1e15)
        r = std::to_chars(buf, buf + sizeof buf, static_cast<qint64>(v));
    else
        r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<int>(r.ptr - buf));
}

void appendInt(QByteArray &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<int>(r.ptr - buf));
}

} // namespace

bool writeLossCsv(const QString &path, const QVector<LossPoint> &points,
    const QVector<double> &smoothed, const QVector<EpochPoint> &epochs, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    constexpr int ChunkBytes = 1 << 20;
    QByteArray out;
    out.reserve(ChunkBytes + 4096);
    auto flush = [&] {
        file.write(out); // QSaveFile remembers a failure and refuses to commit
        out.clear();
    };
    out += "series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,lr_cut\n";
    // An epoch's two rows: its mean training loss and its validation loss.
    auto appendEpoch = [&](const EpochPoint &e) {
        for (const bool valid : { false, true }) {
            out += valid ? "valid," : "train_epoch,";
            appendInt(out, e.step);
            out += ',';
            appendNumber(out, e.tokens);
            out += ',';
            appendNumber(out, e.seconds);
            out += ',';
            appendInt(out, e.epoch);
            out += ',';
            appendNumber(out, valid ? e.validLoss : e.trainLoss);
            out += ",,";
            appendNumber(out, valid ? e.validPerplexity : std::exp(e.trainLoss));
            out += ',';
            appendNumber(out, e.lr);
            out += ",,";
            out += e.lrCut ? '1' : '0';
            out += '\n';
        }
    };
    // In the order of the steps: an epoch's rows follow its last window.
    QVector<EpochPoint> byStep = epochs;
    std::stable_sort(byStep.begin(), byStep.end(),
        [](const EpochPoint &a, const EpochPoint &b) { return a.step < b.step; });
    int nextEpoch = 0;
    for (int i = 0; i < points.size(); ++i) {
        const LossPoint &p = points[i];
        while (nextEpoch < byStep.size() && byStep[nextEpoch].step < p.step)
            appendEpoch(byStep[nextEpoch++]);
        out += "train,";
        appendInt(out, p.step);
        out += ',';
        appendNumber(out, p.tokens);
        out += ',';
        appendNumber(out, p.seconds);
        out += ',';
        appendInt(out, p.epoch);
        out += ',';
        appendNumber(out, p.loss);
        out += ',';
        appendNumber(out, smoothed[i]);
        out += ',';
        appendNumber(out, std::exp(p.loss));
        out += ',';
        appendNumber(out, p.lr);
        out += ',';
        appendNumber(out, p.gradNorm);
        out += ",\n";
        if (out.size() >= ChunkBytes)
            flush();
    }
    while (nextEpoch < byStep.size())
        appendEpoch(byStep[nextEpoch++]);
    flush();
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace embedlab
