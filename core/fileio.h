#pragma once
// Crash-safe file writing: a file on disk is either the old version or the complete new one.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace embedlab {

// Writes via a temporary file in the same directory (name.tmp-XXXXXX), fsync, then rename over
// path; an existing file's permission bits are kept. On any failure the temporary file is
// removed and the previous file at path is untouched. I/O failures throw Error naming path and
// strerror; an exception thrown by writer is rethrown unchanged. writer need not check fwrite:
// ferror/fflush are checked afterwards.
void writeFileAtomically(const std::string &path, const std::function<void(std::FILE *)> &writer);
void writeFileAtomically(const std::string &path, std::string_view contents);

// Creates the directory and every missing parent, as mkdir -p; throws Error naming the first
// part that cannot be made (a file in the way, no permission).
void makeDirectories(const std::string &path);

// dir + "/" + name, without doubling a trailing slash of dir; name alone when dir is empty.
std::string joinPath(const std::string &dir, const std::string &name);

// Whether path names a regular file (following symbolic links).
bool fileExists(const std::string &path);

// The whole file as bytes; throws Error naming path and strerror, or (before allocating
// anything) when the file is larger than this machine's memory.
std::string readFile(const std::string &path);

// This machine's physical memory in bytes (the maximum value if the system does not say).
std::uint64_t physicalMemory();

// Throws Error "path: the file is X GB, more than this machine's Y GB of memory" when bytes
// (the size of a file about to be read whole) exceed physicalMemory().
void checkFileFitsInMemory(const std::string &path, std::uint64_t bytes);

} // namespace embedlab
