#include "server/log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace ordis {

static std::atomic<int> g_fd{1};
static std::atomic<int> g_level{kLogNotice};

bool LogInit(const std::string& path, int level) {
  g_level = level;
  if (path.empty()) {
    g_fd = 1;
    return true;
  }
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  g_fd = fd;
  return true;
}

void LogSetLevel(int level) {
  g_level = level;
}

void Log(int level, const char* fmt, ...) {
  if (level < g_level) return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char ts[64];
  size_t n = strftime(ts, sizeof ts, "%d %b %Y %H:%M:%S", &tm);
  snprintf(ts + n, sizeof ts - n, ".%03d", static_cast<int>(tv.tv_usec / 1000));
  static const char kMarks[] = ".-*#";
  char line[1200];
  int len = snprintf(line, sizeof line, "%d:M %s %c %s\n", static_cast<int>(getpid()), ts,
                     kMarks[level < 0 ? 0 : (level > 3 ? 3 : level)], msg);
  if (len > static_cast<int>(sizeof line)) len = sizeof line;
  ssize_t w = write(g_fd, line, static_cast<size_t>(len));
  (void)w;
}

}  // namespace ordis
