// The Runs list: rows for the runs given, show/hide boxes and the buttons that set them, the
// filter, renaming in place, deleting (never the live run), colour swatches and the colour
// dialog, live updates that keep the selection, the empty hint, and a look at it in a dock-wide
// rendering.
#include <QtTest>

#include <QApplication>
#include <QColorDialog>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollBar>
#include <QStackedWidget>
#include <QToolButton>

#include <algorithm>

#include "ui/runspanel.h"

using namespace embedlab;

namespace {

RunEntry run(const QString &id, const QString &name, const QString &status, qint64 steps,
    const QString &detail = {}, bool live = false)
{
    RunEntry entry;
    entry.id = QStringLiteral("/runs/") + id;
    entry.name = name;
    entry.status = status;
    entry.steps = steps;
    entry.created = QStringLiteral("2026-11-30T09:15:00Z");
    entry.detail = detail;
    entry.live = live;
    return entry;
}

QVector<RunEntry> sampleRuns()
{
    QVector<RunEntry> runs {
        run(QStringLiteral("a"), QStringLiteral("baseline"), QStringLiteral("finished"), 12400,
            QStringLiteral("pride-and-prejudice")),
        run(QStringLiteral("b"), QStringLiteral("glove-frozen"), QStringLiteral("stopped"), 3100,
            QStringLiteral("GloVe 100d, frozen")),
        run(QStringLiteral("c"), QStringLiteral("随机初始化 对比 GloVe"),
            QStringLiteral("finished"), 12400, QStringLiteral("random init")),
        run(QStringLiteral("d"),
            QStringLiteral("a rather long run name that will not fit in a narrow dock at all"),
            QStringLiteral("diverged"), 870, QStringLiteral("lr 40, no clipping")),
        run(QStringLiteral("e"), QStringLiteral("lstm-2-layers"), QStringLiteral("running"), 1,
            QStringLiteral("wikitext-2")),
        run(QStringLiteral("f"), QStringLiteral("current"), QStringLiteral("running"), 1200,
            QStringLiteral("GloVe 100d, fine-tuned"), true),
    };
    for (int i = 0; i < runs.size(); ++i)
        runs[i].colour = RunsPanel::runColour(i);
    return runs;
}

int shownRows(QListWidget *list)
{
    int shown = 0;
    for (int row = 0; row < list->count(); ++row)
        shown += list->item(row)->isHidden() ? 0 : 1;
    return shown;
}

} // namespace

class TestRunsPanel : public QObject
{
    Q_OBJECT

private:
    struct Fixture
    {
        RunsPanel panel;
        QListWidget *list = nullptr;
        QLineEdit *filter = nullptr;
        explicit Fixture(const QVector<RunEntry> &runs = sampleRuns())
        {
            panel.resize(260, 420);
            panel.setRuns(runs);
            panel.show();
            list = panel.findChild<QListWidget *>(QStringLiteral("runsList"));
            filter = panel.findChild<QLineEdit *>(QStringLiteral("runsFilter"));
        }
    };

private slots:
    void showsOneRowPerRun()
    {
        Fixture f;
        QVERIFY(f.list);
        QVERIFY(f.filter);
        QCOMPARE(f.list->count(), 6);
        QCOMPARE(f.list->item(2)->text(), QStringLiteral("随机初始化 对比 GloVe"));
        QCOMPARE(f.panel.runs().size(), 6);
        QCOMPARE(f.panel.visibleIds().size(), 6);
        QVERIFY(f.list->isVisible());
        QVERIFY(!f.panel.findChild<QLabel *>(QStringLiteral("runsEmptyHint"))->isVisible());
    }

    void uncheckingHidesTheRun()
    {
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::visibilityChanged);
        f.list->item(1)->setCheckState(Qt::Unchecked);
        QCOMPARE(spy.count(), 1);
        const QStringList ids = spy.at(0).at(0).toStringList();
        QCOMPARE(ids.size(), 5);
        QVERIFY(!ids.contains(QStringLiteral("/runs/b")));
        QCOMPARE(f.panel.visibleIds(), ids);
    }

    void uncheckingByClickOnTheBox()
    {
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::visibilityChanged);
        const QRect rect = f.list->visualItemRect(f.list->item(0));
        QStyleOptionViewItem option;
        option.initFrom(f.list);
        option.rect = rect;
        option.features = QStyleOptionViewItem::HasCheckIndicator
            | QStyleOptionViewItem::HasDecoration | QStyleOptionViewItem::HasDisplay;
        const QRect box = f.list->style()->subElementRect(
            QStyle::SE_ItemViewItemCheckIndicator, &option, f.list);
        QTest::mouseClick(f.list->viewport(), Qt::LeftButton, {}, box.center());
        QCOMPARE(spy.count(), 1);
        QVERIFY(!spy.at(0).at(0).toStringList().contains(QStringLiteral("/runs/a")));
    }

    void showAllAndHideOthers()
    {
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::visibilityChanged);
        f.panel.setSelectedId(QStringLiteral("/runs/c"));
        f.panel.findChild<QToolButton *>(QStringLiteral("hideOthersButton"))->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList { QStringLiteral("/runs/c") });
        QCOMPARE(f.list->item(0)->checkState(), Qt::Unchecked);
        QCOMPARE(f.list->item(2)->checkState(), Qt::Checked);
        f.panel.findChild<QToolButton *>(QStringLiteral("showAllButton"))->click();
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toStringList().size(), 6);
    }

    void filterHidesRowsAndKeepsVisibility()
    {
        Fixture f;
        f.list->item(0)->setCheckState(Qt::Unchecked);
        QTest::keyClicks(f.filter, QStringLiteral("GLOVE"));
        // "glove-frozen" and "随机初始化 对比 GloVe" by name, "current" by its detail.
        QCOMPARE(shownRows(f.list), 3);
        QVERIFY(f.list->item(0)->isHidden());
        QVERIFY(!f.list->item(1)->isHidden());
        QVERIFY(!f.list->item(5)->isHidden());
        QCOMPARE(f.panel.visibleIds().size(), 5);

        f.filter->setText(QStringLiteral("no such run"));
        QCOMPARE(shownRows(f.list), 0);
        QVERIFY(f.panel.findChild<QLabel *>(QStringLiteral("runsNoMatchHint"))->isVisible());

        f.filter->clear();
        QCOMPARE(shownRows(f.list), 6);
        QVERIFY(f.list->isVisible());
        QCOMPARE(f.list->item(0)->checkState(), Qt::Unchecked);
        QCOMPARE(f.panel.visibleIds().size(), 5);
    }

    void renameInPlace_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("requested"); // empty: no request
        QTest::newRow("new name") << QStringLiteral("tuned lr") << QStringLiteral("tuned lr");
        QTest::newRow("trimmed") << QStringLiteral("  spaced  ") << QStringLiteral("spaced");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("blank") << QStringLiteral("   ") << QString();
        QTest::newRow("unchanged") << QStringLiteral("glove-frozen") << QString();
    }

    void renameInPlace()
    {
        QFETCH(QString, typed);
        QFETCH(QString, requested);
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::renameRequested);
        f.panel.setSelectedId(QStringLiteral("/runs/b"));
        f.list->setFocus();
        QTest::keyClick(f.list, Qt::Key_F2);
        QPointer<QLineEdit> editor = f.list->viewport()->findChild<QLineEdit *>();
        QVERIFY(editor);
        QCOMPARE(editor->text(), QStringLiteral("glove-frozen"));
        editor->selectAll();
        editor->setText(typed);
        QTest::keyClick(editor, Qt::Key_Return);
        // The view commits and closes the editor from the event loop.
        QTRY_VERIFY(editor.isNull());
        if (requested.isEmpty()) {
            QCOMPARE(spy.count(), 0);
        } else {
            QCOMPARE(spy.count(), 1);
            QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("/runs/b"));
            QCOMPARE(spy.at(0).at(1).toString(), requested);
        }
        // The name changes only when the window answers.
        QCOMPARE(f.list->item(1)->text(), QStringLiteral("glove-frozen"));
        QCOMPARE(f.panel.runs().at(1).name, QStringLiteral("glove-frozen"));
    }

    void deleteKey()
    {
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::deleteRequested);
        f.list->setFocus();
        f.panel.setSelectedId(QStringLiteral("/runs/d"));
        QTest::keyClick(f.list, Qt::Key_Delete);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList { QStringLiteral("/runs/d") });

        f.panel.setSelectedId(QStringLiteral("/runs/f")); // live
        QTest::keyClick(f.list, Qt::Key_Delete);
        QCOMPARE(spy.count(), 1);

        // With the live run among several, only the others are offered.
        f.list->item(4)->setSelected(true);
        QTest::keyClick(f.list, Qt::Key_Delete);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toStringList(), QStringList { QStringLiteral("/runs/e") });
        // Nothing is deleted by the panel.
        QCOMPARE(f.list->count(), 6);
    }

    void updateRunKeepsSelectionAndScroll()
    {
        QVector<RunEntry> runs = sampleRuns();
        for (int i = 0; i < 40; ++i) {
            RunEntry extra = run(QStringLiteral("x%1").arg(i), QStringLiteral("old %1").arg(i),
                QStringLiteral("finished"), 100 * i);
            extra.colour = RunsPanel::runColour(i);
            runs.append(extra);
        }
        Fixture f(runs);
        f.panel.setSelectedId(QStringLiteral("/runs/x30"));
        const int scroll = f.list->verticalScrollBar()->value();
        QVERIFY(scroll > 0);
        QSignalSpy selection(&f.panel, &RunsPanel::selectionChanged);

        RunEntry live = runs[5];
        live.steps = 1800;
        live.status = QStringLiteral("running");
        f.panel.updateRun(live);
        QCOMPARE(f.panel.selectedId(), QStringLiteral("/runs/x30"));
        QCOMPARE(f.list->verticalScrollBar()->value(), scroll);
        QCOMPARE(selection.count(), 0);
        QCOMPARE(f.panel.runs().at(5).steps, 1800);
        QVERIFY(
            f.list->item(5)->data(Qt::UserRole + 2).toString().contains(QStringLiteral("1,800")));

        // A full refresh keeps the selection by id, even when rows move.
        runs.removeFirst();
        f.panel.setRuns(runs);
        QCOMPARE(f.panel.selectedId(), QStringLiteral("/runs/x30"));
        QCOMPARE(selection.count(), 0);
        // and drops it when the run is gone.
        runs.erase(std::remove_if(runs.begin(), runs.end(),
                       [](const RunEntry &r) { return r.id == QStringLiteral("/runs/x30"); }),
            runs.end());
        f.panel.setRuns(runs);
        QCOMPARE(f.panel.selectedId(), QString());
        QCOMPARE(selection.count(), 1);
        QCOMPARE(selection.at(0).at(0).toString(), QString());
    }

    void swatchIsTheRunsColour()
    {
        QVector<RunEntry> runs = sampleRuns();
        runs[3].colour = QColor(0x12, 0x9a, 0xf0);
        Fixture f(runs);
        for (int row = 0; row < runs.size(); ++row) {
            const QImage image = f.list->item(row)
                                     ->icon()
                                     .pixmap(QSize(12, 12))
                                     .toImage()
                                     .convertToFormat(QImage::Format_ARGB32);
            QVERIFY(!image.isNull());
            QCOMPARE(image.pixelColor(image.width() / 2, image.height() / 2).rgb(),
                runs[row].colour.rgb());
        }
    }

    void colourDialogRequestsTheChange()
    {
        Fixture f;
        QSignalSpy spy(&f.panel, &RunsPanel::colourChangeRequested);
        // Click the swatch of the second row, found where its colour is drawn.
        const QRect rect = f.list->visualItemRect(f.list->item(1));
        const QImage shot = f.list->viewport()->grab().toImage();
        const qreal ratio = shot.devicePixelRatio();
        QPoint swatch(-1, -1);
        for (int y = rect.top(); y <= rect.bottom() && swatch.x() < 0; ++y) {
            for (int x = rect.left(); x <= rect.right() && swatch.x() < 0; ++x) {
                const QPoint at(qRound(x * ratio), qRound(y * ratio));
                if (shot.pixelColor(at).rgb() == RunsPanel::runColour(1).rgb())
                    swatch = QPoint(x + 2, y + 2); // inside the square, clear of its outline
            }
        }
        QVERIFY(swatch.x() >= 0);
        QTest::mouseClick(f.list->viewport(), Qt::LeftButton, {}, swatch);
        auto *dialog = f.panel.findChild<QColorDialog *>(QStringLiteral("runColourDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->currentColor(), RunsPanel::runColour(1));
        dialog->setCurrentColor(Qt::magenta);
        dialog->accept();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("/runs/b"));
        QCOMPARE(spy.at(0).at(1).value<QColor>(), QColor(Qt::magenta));
        // The box was not toggled by the click on the swatch.
        QCOMPARE(f.panel.visibleIds().size(), 6);
    }

    void emptyHint()
    {
        Fixture f(QVector<RunEntry> {});
        auto *hint = f.panel.findChild<QLabel *>(QStringLiteral("runsEmptyHint"));
        QVERIFY(hint);
        QVERIFY(hint->isVisible());
        QVERIFY(!f.list->isVisible());
        QCOMPARE(hint->text(), QStringLiteral("No runs yet. Start training to record one."));
        QVERIFY(!f.panel.findChild<QToolButton *>(QStringLiteral("compareButton"))->isEnabled());
        f.panel.setRuns(sampleRuns());
        QVERIFY(!hint->isVisible());
        QVERIFY(f.list->isVisible());
        f.panel.setRuns({});
        QVERIFY(hint->isVisible());
    }

    void selectionAndCompare()
    {
        Fixture f;
        QSignalSpy selection(&f.panel, &RunsPanel::selectionChanged);
        QSignalSpy compare(&f.panel, &RunsPanel::compareRequested);
        auto *button = f.panel.findChild<QToolButton *>(QStringLiteral("compareButton"));
        QVERIFY(button);
        QVERIFY(!button->isEnabled());
        QTest::mouseClick(f.list->viewport(), Qt::LeftButton, {},
            f.list->visualItemRect(f.list->item(2)).center());
        QCOMPARE(selection.count(), 1);
        QCOMPARE(selection.at(0).at(0).toString(), QStringLiteral("/runs/c"));
        QCOMPARE(f.panel.selectedId(), QStringLiteral("/runs/c"));
        QVERIFY(button->isEnabled());
        button->click();
        QCOMPARE(compare.count(), 1);
        QCOMPARE(compare.at(0).at(0).toString(), QStringLiteral("/runs/c"));

        f.panel.setSelectedId(QStringLiteral("/runs/a"));
        QCOMPARE(selection.count(), 2);
        QCOMPARE(selection.at(1).at(0).toString(), QStringLiteral("/runs/a"));
        f.panel.setSelectedId(QStringLiteral("/runs/a")); // no change, no signal
        QCOMPARE(selection.count(), 2);

        // While the window cannot start a sibling, Compare is disabled and says why.
        const QString tip = button->toolTip();
        f.panel.setCompareAvailable(false, QStringLiteral("a run is training"));
        QVERIFY(!button->isEnabled());
        QCOMPARE(button->toolTip(), QStringLiteral("a run is training"));
        button->click();
        QCOMPARE(compare.count(), 1);
        f.panel.setCompareAvailable(true);
        QVERIFY(button->isEnabled());
        QCOMPARE(button->toolTip(), tip);
    }

    void paletteCyclesThroughDistinctColours()
    {
        QSet<QRgb> seen;
        for (int i = 0; i < 10; ++i)
            seen.insert(RunsPanel::runColour(i).rgb());
        QCOMPARE(seen.size(), 10);
        QCOMPARE(RunsPanel::runColour(10), RunsPanel::runColour(0));
        QCOMPARE(RunsPanel::runColour(-1), RunsPanel::runColour(9));
        QCOMPARE(RunsPanel::runColour(0), QColor(0x1f, 0x77, 0xb4));
    }

    void rendersAtDockWidth()
    {
        // Written for a person to look at (EMBEDLAB_RUNSPANEL_PNG=path); the checks are that
        // every row fits without a horizontal scroll bar and the rows are tall enough for both
        // lines.
        Fixture f;
        f.panel.setSelectedId(QStringLiteral("/runs/c"));
        QVERIFY(!f.list->horizontalScrollBar()->isVisible());
        const int rowHeight = f.list->visualItemRect(f.list->item(0)).height();
        QVERIFY(rowHeight >= 2 * f.list->fontMetrics().height());
        const QImage image = f.panel.grab().toImage();
        QCOMPARE(image.width(), 260);
        const QString path = qEnvironmentVariable("EMBEDLAB_RUNSPANEL_PNG");
        if (path.isEmpty())
            return;
        QVERIFY(image.save(path));
        const QString base = path.endsWith(QLatin1String(".png")) ? path.chopped(4) : path;

        // A dark theme, with a name being edited.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        for (QPalette::ColorRole role :
            { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
            dark.setColor(role, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        f.panel.setPalette(dark);
        f.list->editItem(f.list->item(1));
        QVERIFY(f.panel.grab().save(base + QStringLiteral("-dark.png")));

        Fixture empty(QVector<RunEntry> {});
        QVERIFY(empty.panel.grab().save(base + QStringLiteral("-empty.png")));
    }
};

QTEST_MAIN(TestRunsPanel)
#include "tst_runspanel.moc"
