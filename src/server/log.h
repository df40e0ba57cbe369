// Redis-style log lines: "<pid>:M 25 Nov 2026 22:30:00.123 * message".
// Levels: debug '.', verbose '-', notice '*', warning '#'.
//
// Thread safety: Log() may be called from any thread (one write() per line).
#pragma once

#include <string>

namespace ordis {

enum LogLevel { kLogDebug = 0, kLogVerbose = 1, kLogNotice = 2, kLogWarning = 3, kLogNothing = 4 };

// Directs output to a file ("" = stdout) and sets the minimum level.
// Returns false if the file cannot be opened.
bool LogInit(const std::string& path, int level);
void LogSetLevel(int level);
void Log(int level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace ordis
