#include "ui/runspanel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QColorDialog>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

#include <array>

namespace embedlab {

namespace {

constexpr int SwatchSize = 12;
constexpr int LineSpacing = 1;
constexpr int RowPadding = 3;

QIcon swatchIcon(const QColor &colour)
{
    // Drawn at twice the size so it stays sharp on high-DPI screens. The dark outline keeps a
    // light colour visible on a light background, the white ring inside it a colour near the
    // selection's on the highlighted row; the fill a viewer samples stays the run's colour.
    QPixmap pixmap(SwatchSize * 2, SwatchSize * 2);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.fillRect(pixmap.rect(), colour.darker(170));
    painter.fillRect(pixmap.rect().adjusted(2, 2, -2, -2), Qt::white);
    painter.fillRect(pixmap.rect().adjusted(4, 4, -4, -4), colour);
    painter.end();
    // The same on a selected row: no style tints it towards the highlight.
    QIcon icon(pixmap);
    icon.addPixmap(pixmap, QIcon::Selected);
    return icon;
}

QString statusText(const RunEntry &run)
{
    if (run.live)
        return RunsPanel::tr("● training");
    // A folder still marked "running" while nothing trains it was cut off (a crash or a kill).
    if (run.status == QLatin1String("running"))
        return RunsPanel::tr("interrupted");
    if (run.status == QLatin1String("stopped"))
        return RunsPanel::tr("stopped");
    if (run.status == QLatin1String("finished"))
        return RunsPanel::tr("finished");
    if (run.status == QLatin1String("diverged"))
        return RunsPanel::tr("diverged");
    if (run.status == QLatin1String("failed"))
        return RunsPanel::tr("failed");
    return run.status;
}

QString stepsText(qint64 steps)
{
    if (steps == 1)
        return RunsPanel::tr("1 step");
    return RunsPanel::tr("%1 steps").arg(QLocale().toString(steps));
}

QString secondaryText(const RunEntry &run)
{
    const QString separator = QStringLiteral(" · ");
    QString text = statusText(run) + separator + stepsText(run.steps);
    if (!run.detail.isEmpty())
        text += separator + run.detail;
    return text;
}

QString toolTipText(const RunEntry &run)
{
    QStringList lines;
    lines << run.name.toHtmlEscaped();
    lines << statusText(run).toHtmlEscaped() + QStringLiteral(" · ")
            + stepsText(run.steps).toHtmlEscaped();
    if (!run.detail.isEmpty())
        lines << run.detail.toHtmlEscaped();
    if (!run.created.isEmpty()) {
        // In the user's time zone and format; as written when it is not ISO 8601.
        const QDateTime created = QDateTime::fromString(run.created, Qt::ISODate);
        const QString when = created.isValid()
            ? QLocale().toString(created.toLocalTime(), QLocale::ShortFormat)
            : run.created;
        lines << RunsPanel::tr("Created %1").arg(when).toHtmlEscaped();
    }
    lines << QStringLiteral("<i>%1</i>").arg(run.id.toHtmlEscaped());
    return QStringLiteral("<p style='white-space:pre'>%1</p>")
        .arg(lines.join(QStringLiteral("<br>")));
}

QFont secondaryFont(const QFont &base)
{
    QFont font = base;
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 0.9);
    else
        font.setPixelSize(qMax(1, font.pixelSize() * 9 / 10));
    return font;
}

// Draws a row as two lines (the name, then status · steps · detail) after the check box and the
// swatch, edits only the name, and reports clicks on the swatch. Committed names go to the panel
// rather than the model: the window renames the folder and answers with the new entry.
class RunDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    RunDelegate(int secondaryRole, int liveRole, int idRole, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_secondaryRole(secondaryRole)
        , m_liveRole(liveRole)
        , m_idRole(idRole)
    { }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget)
                                   .adjusted(2, RowPadding, -2, -RowPadding);
        opt.text.clear();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
            : (opt.state & QStyle::State_Active)                                ? QPalette::Active
                                                 : QPalette::Inactive;
        QFont nameFont = opt.font;
        nameFont.setBold(index.data(m_liveRole).toBool());
        const QFont detailFont = secondaryFont(opt.font);
        const QFontMetrics nameMetrics(nameFont), detailMetrics(detailFont);

        const int total = nameMetrics.height() + LineSpacing + detailMetrics.height();
        const int top = textRect.top() + qMax(0, (textRect.height() - total) / 2);
        const QRect nameRect(textRect.left(), top, textRect.width(), nameMetrics.height());
        const QRect detailRect(textRect.left(), nameRect.bottom() + 1 + LineSpacing,
            textRect.width(), detailMetrics.height());

        painter->save();
        painter->setFont(nameFont);
        painter->setPen(
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
            nameMetrics.elidedText(
                index.data(Qt::DisplayRole).toString(), Qt::ElideRight, nameRect.width()));
        painter->setFont(detailFont);
        QColor detailColour
            = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        // Dimmed by blending towards the background, which reads in light and dark themes alike.
        detailColour.setAlphaF(selected ? 0.85 : 0.6);
        painter->setPen(detailColour);
        painter->drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
            detailMetrics.elidedText(
                index.data(m_secondaryRole).toString(), Qt::ElideRight, detailRect.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        QFont nameFont = option.font;
        nameFont.setBold(true);
        const int height = QFontMetrics(nameFont).height() + LineSpacing
            + QFontMetrics(secondaryFont(option.font)).height() + 2 * RowPadding + 2;
        size.setHeight(qMax(size.height(), height));
        return size;
    }

    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        // Over the name line only, so the status line stays readable while renaming.
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
        const int height = qMin(rect.height(), editor->sizeHint().height());
        rect.setTop(opt.rect.top() + qMax(0, RowPadding - 1));
        rect.setHeight(height);
        editor->setGeometry(rect);
    }

    void setModelData(
        QWidget *editor, QAbstractItemModel *, const QModelIndex &index) const override
    {
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            emit nameCommitted(index.data(m_idRole).toString(), line->text());
    }

    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
        const QModelIndex &index) override
    {
        if (event->type() == QEvent::MouseButtonRelease) {
            const auto *mouse = static_cast<QMouseEvent *>(event);
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            const QWidget *widget = opt.widget;
            QStyle *style = widget ? widget->style() : QApplication::style();
            const QRect swatch
                = style->subElementRect(QStyle::SE_ItemViewItemDecoration, &opt, widget);
            if (mouse->button() == Qt::LeftButton && swatch.contains(mouse->position().toPoint())) {
                emit swatchClicked(index.data(m_idRole).toString());
                return true;
            }
        }
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    }

signals:
    void nameCommitted(const QString &id, const QString &name) const;
    void swatchClicked(const QString &id);

private:
    int m_secondaryRole, m_liveRole, m_idRole;
};

} // namespace

RunsPanel::RunsPanel(QWidget *parent)
    : QWidget(parent)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("runsFilter"));
    m_filter->setPlaceholderText(tr("Filter runs"));
    m_filter->setToolTip(tr("Shows the runs whose name or detail contains this text (a plain "
                            "substring, not case-sensitive)"));
    m_filter->setClearButtonEnabled(true);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("runsList"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->setIconSize(QSize(SwatchSize, SwatchSize));
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->installEventFilter(this);
    auto *delegate = new RunDelegate(SecondaryRole, LiveRole, IdRole, m_list);
    m_list->setItemDelegate(delegate);

    auto makeHint = [this](const QString &text, const char *name) {
        auto *label = new QLabel(text, this);
        label->setObjectName(QLatin1String(name));
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setMargin(12);
        QPalette palette = label->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        label->setPalette(palette);
        return label;
    };
    m_emptyHint = makeHint(tr("No runs yet. Start training to record one."), "runsEmptyHint");
    m_noMatchHint = makeHint(tr("No run matches the filter."), "runsNoMatchHint");

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_list);
    m_stack->addWidget(m_emptyHint);
    m_stack->addWidget(m_noMatchHint);

    auto makeButton = [this](const QString &text, const QString &toolTip, const char *name) {
        auto *button = new QToolButton(this);
        button->setObjectName(QLatin1String(name));
        button->setText(text);
        button->setToolTip(toolTip);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(false);
        return button;
    };
    m_showAllButton = makeButton(tr("Show all"), tr("Draw every run's curves"), "showAllButton");
    m_hideOthersButton = makeButton(
        tr("Hide others"), tr("Draw only the selected runs' curves"), "hideOthersButton");
    m_compareButton = makeButton(tr("Compare…"),
        tr("Start a sibling of the selected run that differs in one setting"), "compareButton");

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->setSpacing(4);
    buttons->addWidget(m_showAllButton);
    buttons->addWidget(m_hideOthersButton);
    buttons->addStretch(1);
    buttons->addWidget(m_compareButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);

    connect(m_filter, &QLineEdit::textChanged, this, &RunsPanel::applyFilter);
    connect(m_list, &QListWidget::itemChanged, this, &RunsPanel::onItemChanged);
    connect(m_list, &QListWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        emitSelectionIfChanged();
    });
    connect(m_list, &QListWidget::currentItemChanged, this, &RunsPanel::emitSelectionIfChanged);
    connect(m_list, &QWidget::customContextMenuRequested, this, &RunsPanel::showContextMenu);
    connect(delegate, &RunDelegate::nameCommitted, this, &RunsPanel::commitName);
    connect(delegate, &RunDelegate::swatchClicked, this, &RunsPanel::chooseColour);
    connect(m_showAllButton, &QToolButton::clicked, this, &RunsPanel::showAll);
    connect(m_hideOthersButton, &QToolButton::clicked, this, &RunsPanel::hideOthers);
    connect(m_compareButton, &QToolButton::clicked, this, &RunsPanel::requestCompare);

    updateEmptyState();
    updateButtons();
}

RunsPanel::~RunsPanel() = default;

QColor RunsPanel::runColour(int index)
{
    static constexpr std::array<QRgb, 10> Tab10 = { 0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
        0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf };
    const int n = static_cast<int>(Tab10.size());
    return QColor::fromRgb(Tab10[static_cast<std::size_t>(((index % n) + n) % n)]);
}

void RunsPanel::setRuns(const QVector<RunEntry> &runs)
{
    const QString current = selectedId();
    QStringList selected;
    for (const QListWidgetItem *item : m_list->selectedItems())
        selected << item->data(IdRole).toString();
    const int scroll = m_list->verticalScrollBar()->value();

    m_runs = runs;
    m_filling = true;
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        for (const RunEntry &run : m_runs) {
            auto *item = new QListWidgetItem(m_list);
            fillItem(item, run);
            const QString id = run.id;
            if (id == current)
                m_list->setCurrentItem(item, QItemSelectionModel::NoUpdate);
            if (selected.contains(id))
                item->setSelected(true);
        }
    }
    m_filling = false;
    m_list->verticalScrollBar()->setValue(scroll);
    applyFilter();
    updateEmptyState();
    updateButtons();
    emitSelectionIfChanged();
}

void RunsPanel::updateRun(const RunEntry &run)
{
    const int row = indexOf(run.id);
    if (row < 0) {
        m_runs.append(run);
        m_filling = true;
        fillItem(new QListWidgetItem(m_list), run);
        m_filling = false;
        applyFilter();
        updateEmptyState();
    } else {
        m_runs[row] = run;
        m_filling = true;
        fillItem(m_list->item(row), run);
        m_filling = false;
        applyFilter();
    }
    updateButtons();
}

QString RunsPanel::selectedId() const
{
    const QListWidgetItem *current = m_list->currentItem();
    if (current && current->isSelected())
        return current->data(IdRole).toString();
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->isSelected())
            return m_list->item(row)->data(IdRole).toString();
    }
    return {};
}

void RunsPanel::setSelectedId(const QString &id)
{
    QListWidgetItem *item = itemFor(id);
    if (item) {
        m_list->setCurrentItem(item, QItemSelectionModel::ClearAndSelect);
        m_list->scrollToItem(item);
    } else {
        m_list->clearSelection();
    }
    emitSelectionIfChanged();
}

QStringList RunsPanel::visibleIds() const
{
    QStringList ids;
    for (const RunEntry &run : m_runs) {
        if (run.visible)
            ids << run.id;
    }
    return ids;
}

QString RunsPanel::filterText() const
{
    return m_filter->text();
}

void RunsPanel::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void RunsPanel::fillItem(QListWidgetItem *item, const RunEntry &run)
{
    item->setFlags(
        Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
    item->setText(run.name);
    item->setData(IdRole, run.id);
    item->setData(SecondaryRole, secondaryText(run));
    item->setData(Qt::AccessibleDescriptionRole, secondaryText(run));
    item->setData(LiveRole, run.live);
    item->setCheckState(run.visible ? Qt::Checked : Qt::Unchecked);
    item->setIcon(swatchIcon(run.colour.isValid() ? run.colour : runColour(indexOf(run.id))));
    item->setToolTip(toolTipText(run));
}

int RunsPanel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id == id)
            return i;
    }
    return -1;
}

QListWidgetItem *RunsPanel::itemFor(const QString &id) const
{
    const int row = indexOf(id);
    return row >= 0 ? m_list->item(row) : nullptr;
}

QStringList RunsPanel::deletableSelection() const
{
    QStringList ids;
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->isSelected() && !m_runs[row].live)
            ids << m_runs[row].id;
    }
    return ids;
}

void RunsPanel::applyFilter()
{
    const QString needle = m_filter->text().trimmed();
    for (int row = 0; row < m_list->count(); ++row) {
        const RunEntry &run = m_runs[row];
        const bool match = needle.isEmpty() || run.name.contains(needle, Qt::CaseInsensitive)
            || run.detail.contains(needle, Qt::CaseInsensitive);
        m_list->item(row)->setHidden(!match);
    }
    updateEmptyState();
}

void RunsPanel::updateEmptyState()
{
    if (m_runs.isEmpty()) {
        m_stack->setCurrentWidget(m_emptyHint);
        return;
    }
    bool anyShown = false;
    for (int row = 0; row < m_list->count() && !anyShown; ++row)
        anyShown = !m_list->item(row)->isHidden();
    m_stack->setCurrentWidget(anyShown ? static_cast<QWidget *>(m_list) : m_noMatchHint);
}

void RunsPanel::updateButtons()
{
    const bool hasSelection = !selectedId().isEmpty();
    m_showAllButton->setEnabled(!m_runs.isEmpty());
    m_hideOthersButton->setEnabled(hasSelection);
    m_compareButton->setEnabled(hasSelection && m_compareAvailable);
    m_compareButton->setToolTip(m_compareAvailable
            ? tr("Start a sibling of the selected run that differs in one setting")
            : m_compareReason);
    m_filter->setEnabled(!m_runs.isEmpty());
}

void RunsPanel::emitSelectionIfChanged()
{
    const QString id = selectedId();
    if (id == m_lastSelectedId)
        return;
    m_lastSelectedId = id;
    emit selectionChanged(id);
}

void RunsPanel::onItemChanged(QListWidgetItem *item)
{
    if (m_filling)
        return;
    const int row = m_list->row(item);
    if (row < 0 || row >= m_runs.size())
        return;
    const bool visible = item->checkState() == Qt::Checked;
    if (m_runs[row].visible == visible)
        return;
    m_runs[row].visible = visible;
    emit visibilityChanged(visibleIds());
}

void RunsPanel::commitName(const QString &id, const QString &name)
{
    const int row = indexOf(id);
    const QString trimmed = name.trimmed();
    if (row < 0 || trimmed.isEmpty() || trimmed == m_runs[row].name)
        return;
    emit renameRequested(id, trimmed);
}

void RunsPanel::chooseColour(const QString &id)
{
    const int row = indexOf(id);
    if (row < 0)
        return;
    // Opened window-modal rather than exec()'d, so a training run's updates keep arriving.
    auto *dialog = new QColorDialog(m_runs[row].colour, this);
    dialog->setObjectName(QStringLiteral("runColourDialog"));
    dialog->setWindowTitle(tr("Colour of “%1”").arg(m_runs[row].name));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QColorDialog::colorSelected, this, [this, id](const QColor &colour) {
        const int at = indexOf(id);
        if (at >= 0 && colour.isValid() && colour != m_runs[at].colour)
            emit colourChangeRequested(id, colour);
    });
    dialog->open();
}

void RunsPanel::requestDelete()
{
    const QStringList ids = deletableSelection();
    if (!ids.isEmpty())
        emit deleteRequested(ids);
}

void RunsPanel::setCompareAvailable(bool available, const QString &reason)
{
    m_compareAvailable = available;
    m_compareReason = reason;
    updateButtons();
}

void RunsPanel::requestCompare()
{
    const QString id = selectedId();
    if (!id.isEmpty() && m_compareAvailable)
        emit compareRequested(id);
}

void RunsPanel::showAll()
{
    bool changed = false;
    m_filling = true;
    for (int row = 0; row < m_runs.size(); ++row) {
        if (!m_runs[row].visible) {
            m_runs[row].visible = true;
            m_list->item(row)->setCheckState(Qt::Checked);
            changed = true;
        }
    }
    m_filling = false;
    if (changed)
        emit visibilityChanged(visibleIds());
}

void RunsPanel::hideOthers()
{
    bool changed = false;
    m_filling = true;
    for (int row = 0; row < m_runs.size(); ++row) {
        const bool visible = m_list->item(row)->isSelected();
        if (m_runs[row].visible != visible) {
            m_runs[row].visible = visible;
            m_list->item(row)->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
            changed = true;
        }
    }
    m_filling = false;
    if (changed)
        emit visibilityChanged(visibleIds());
}

void RunsPanel::showContextMenu(const QPoint &pos)
{
    QListWidgetItem *item = m_list->itemAt(pos);
    if (item && !item->isSelected())
        m_list->setCurrentItem(item, QItemSelectionModel::ClearAndSelect);
    const QString id = item ? item->data(IdRole).toString() : QString();

    QMenu menu(this);
    menu.setToolTipsVisible(true);
    // By id: the list may be refilled while the menu is open.
    QAction *rename = menu.addAction(tr("Rename…"), this, [this, id] {
        if (QListWidgetItem *current = itemFor(id))
            m_list->editItem(current);
    });
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    rename->setEnabled(item != nullptr);
    QAction *colour = menu.addAction(tr("Colour…"), this, [this, id] { chooseColour(id); });
    colour->setEnabled(item != nullptr);
    QAction *compare = menu.addAction(tr("Compare…"), this, &RunsPanel::requestCompare);
    compare->setEnabled(!selectedId().isEmpty() && m_compareAvailable);
    if (!m_compareAvailable)
        compare->setToolTip(m_compareReason);
    menu.addSeparator();
    QAction *all = menu.addAction(tr("Show all"), this, &RunsPanel::showAll);
    all->setEnabled(!m_runs.isEmpty());
    QAction *others = menu.addAction(tr("Hide others"), this, &RunsPanel::hideOthers);
    others->setEnabled(!selectedId().isEmpty());
    menu.addSeparator();
    QAction *remove = menu.addAction(tr("Delete…"), this, &RunsPanel::requestDelete);
    remove->setShortcut(QKeySequence::Delete);
    // The run being trained is written to as we speak; it cannot go.
    remove->setEnabled(!deletableSelection().isEmpty());
    if (item && item->data(LiveRole).toBool())
        remove->setToolTip(tr("The run being trained cannot be deleted"));
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

bool RunsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // A key filter rather than a shortcut: it fires only while the list itself has focus,
    // whatever shortcuts the window defines.
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        bool remove = key->matches(QKeySequence::Delete);
#ifdef Q_OS_MACOS
        remove = remove || key->key() == Qt::Key_Backspace; // the Mac keyboard's delete key
#endif
        if (remove) {
            requestDelete();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace embedlab

#include "runspanel.moc"
