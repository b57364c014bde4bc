#pragma once
// Where a map label is drawn, in pixels: its text's box at the corner of its point that its
// alignment names, with its padding.
#include <QFontMetricsF>
#include <QRectF>

#include <qcustomplot.h>

inline QRectF labelRect(QCPItemText *t)
{
    const QFontMetricsF fm(t->font());
    const QPointF p = t->position->pixelPosition();
    const QMargins pad = t->padding();
    const QSizeF size
        = fm.size(0, t->text()) + QSizeF(pad.left() + pad.right(), pad.top() + pad.bottom());
    const double x = t->positionAlignment() & Qt::AlignRight ? p.x() - size.width() : p.x();
    const double y = t->positionAlignment() & Qt::AlignTop ? p.y() : p.y() - size.height();
    return QRectF(QPointF(x, y), size);
}
