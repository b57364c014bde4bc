#pragma once
// The loss chart's data as CSV: one table with one header row (pandas.read_csv reads it), one
// row per observation, the rows in the order of the steps:
//   series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,lr_cut
// series is "train" for a training window (smoothed and grad_norm are its own, lr_cut empty),
// "train_epoch" for an epoch's mean training loss and "valid" for its validation loss (both at
// the epoch's last step, with the learning rate for the next epoch and lr_cut 1 when it was cut;
// smoothed and grad_norm empty). Perplexity is exp(loss), numbers are written in the shortest
// form that reads back exactly (integers without a decimal point or exponent), and a missing or
// non-finite value is empty.
#include <QString>
#include <QVector>

#include "ui/snapshots.h"

namespace embedlab {

// Writes to a temporary file and renames it into place; on failure the previous file is
// untouched and *error says why. smoothed[i] is window i's smoothed loss.
bool writeLossCsv(const QString &path, const QVector<LossPoint> &points,
    const QVector<double> &smoothed, const QVector<EpochPoint> &epochs, QString *error);

} // namespace embedlab
