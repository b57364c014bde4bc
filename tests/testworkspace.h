#pragma once
// Suites that open the main window record their runs in a temporary workspace, so that no run
// of one test (or of an earlier test run) appears in another's Runs list.
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

inline void useTemporaryWorkspace()
{
    QStandardPaths::setTestModeEnabled(true); // settings and recent files go to a test location
    static const auto dir = std::make_unique<QTemporaryDir>();
    QSettings().setValue(QStringLiteral("workspace"), dir->filePath(QStringLiteral("runs")));
}
