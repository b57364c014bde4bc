#pragma once
// Lays its items out left to right, each at its size hint and centred in its row, and wraps
// to a new row when the width runs out (after Qt's Flow Layout example).
#include <QLayout>
#include <QVector>
#include <QWidget>

#include <algorithm>

namespace embedlab {

class FlowLayout : public QLayout
{
public:
    FlowLayout(int horizontalSpacing, int verticalSpacing);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override { m_items.append(item); }
    void insertWidget(int index, QWidget *widget)
    {
        addChildWidget(widget);
        m_items.insert(std::clamp<int>(index, 0, m_items.size()), new QWidgetItem(widget));
        invalidate();
    }
    int count() const override { return m_items.size(); }
    QLayoutItem *itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem *takeAt(int index) override
    {
        return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
    }
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    void setGeometry(const QRect &rect) override;
    // Everything in one row.
    QSize sizeHint() const override;
    // The widest single item.
    QSize minimumSize() const override;

private:
    // Returns the height used; places the items only when `apply`.
    int arrange(const QRect &rect, bool apply) const;

    QVector<QLayoutItem *> m_items;
    int m_hSpacing;
    int m_vSpacing;
};

} // namespace embedlab
