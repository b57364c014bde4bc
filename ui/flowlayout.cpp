#include "ui/flowlayout.h"

#include <algorithm>

namespace embedlab {

FlowLayout::FlowLayout(int horizontalSpacing, int verticalSpacing)
    : m_hSpacing(horizontalSpacing)
    , m_vSpacing(verticalSpacing)
{
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

QSize FlowLayout::sizeHint() const
{
    QSize size;
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        size.rwidth() += (size.width() > 0 ? m_hSpacing : 0) + hint.width();
        size.setHeight(std::max(size.height(), hint.height()));
    }
    return size.grownBy(contentsMargins());
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (QLayoutItem *item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize().expandedTo(item->sizeHint()));
    return size.grownBy(contentsMargins());
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    QVector<QLayoutItem *> row;
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    auto placeRow = [&] {
        if (apply) {
            int left = area.x();
            for (QLayoutItem *item : row) {
                const QSize hint = item->sizeHint();
                const int top = y + (rowHeight - hint.height()) / 2;
                item->setGeometry(QRect(QPoint(left, top), hint));
                left += hint.width() + m_hSpacing;
            }
        }
        row.clear();
    };
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        if (!row.isEmpty() && x + hint.width() > area.right() + 1) {
            placeRow();
            x = area.x();
            y += rowHeight + m_vSpacing;
            rowHeight = 0;
        }
        row.append(item);
        x += hint.width() + m_hSpacing;
        rowHeight = std::max(rowHeight, hint.height());
    }
    placeRow();
    return y + rowHeight - rect.y() + contentsMargins().bottom();
}

} // namespace embedlab
