#pragma once
// The loss chart's data as CSV: two sections separated by one empty line, each with its own
// header row:
//   step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm   (one row per window)
//   epoch,step,tokens,seconds,train_loss,valid_loss,valid_perplexity,lr,lr_cut (per epoch)
// Perplexity is exp(loss), numbers are written in the shortest form that reads back exactly
// (integers without a decimal point or exponent), and a missing or non-finite value is empty.
#include <QString>
#include <QVector>

#include "ui/snapshots.h"

namespace embedlab {

// Writes to a temporary file and renames it into place; on failure the previous file is
// untouched and *error says why. smoothed[i] is window i's smoothed loss.
bool writeLossCsv(const QString &path, const QVector<LossPoint> &points,
    const QVector<double> &smoothed, const QVector<EpochPoint> &epochs, QString *error);

} // namespace embedlab
