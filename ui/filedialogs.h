#pragma once
// Where the file dialogs of every window start, and the names they suggest: the folder the last
// dialog went to (remembered in the settings), and file names made from what the user knows the
// text by.
#include <QString>

namespace embedlab {

// The folder the last file dialog went to, else the user's documents folder (never the folder
// the program happened to start in).
QString lastDialogFolder();
// lastDialogFolder() with `fileName` in it; the folder alone when fileName is empty.
QString dialogPath(const QString &fileName);
// Remembers the folder of a path a file dialog returned (nothing for an empty one), and returns
// the path.
QString rememberDialogPath(const QString &path);

// A file name stem from a name the user knows a text by, in characters every file system takes:
// "austen.txt" -> "austen", "Pride and Prejudice" -> "Pride-and-Prejudice"; `fallback` when
// nothing is left.
QString fileNameStem(const QString &name, const QString &fallback);

} // namespace embedlab
