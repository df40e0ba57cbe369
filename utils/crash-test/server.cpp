#include "server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include "common.h"

namespace crash {

ServerProcess::ServerProcess(std::vector<std::string> argv, std::string log_path, int port)
    : argv_(std::move(argv)), log_path_(std::move(log_path)), port_(port) {
  // Orphans of the server (a fork that outlived it) become our children,
  // so Kill() can reap them.
  (void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

ServerProcess::~ServerProcess() {
  Kill();
}

std::string ServerProcess::Start(const std::string& marker) {
  int fd = open(log_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + log_path_ + ": " + strerror(errno);
  std::string line = "=== crash-test: " + marker + "\n";
  (void)!write(fd, line.data(), line.size());
  std::vector<char*> args;
  for (std::string& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    return std::string("fork: ") + strerror(errno);
  }
  if (pid == 0) {
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(args[0], args.data());
    dprintf(2, "crash-test: exec %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);  // also here: no window where Kill() would miss the group
  close(fd);
  pid_ = pid;
  return "";
}

std::string ServerProcess::WaitReady(int timeout_ms, int64_t* ms) {
  int64_t start = NowMs();
  *ms = 0;
  while (NowMs() - start < timeout_ms) {
    int status;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string how = WIFEXITED(status)
                            ? "exited with status " + std::to_string(WEXITSTATUS(status))
                            : "was killed by signal " + std::to_string(WTERMSIG(status));
      return "the server " + how + " while starting; log tail:\n" + LogTail(15);
    }
    Conn c;
    if (c.Connect(port_, 1000)) {
      Reply info = c.Command({"INFO", "persistence"});
      if (info && info->type == REDIS_REPLY_STRING) {
        bool has = false;
        std::string loading = InfoField(std::string_view(info->str, info->len), "loading", &has);
        if (!has || loading == "0") {
          Reply pong = c.Command({"PING"});
          if (pong && pong->type == REDIS_REPLY_STATUS &&
              std::string_view(pong->str, pong->len) == "PONG") {
            *ms = NowMs() - start;
            return "";
          }
        }
      }
    }
    SleepMs(10);
  }
  *ms = NowMs() - start;
  return "the server did not become ready within " + std::to_string(timeout_ms) +
         " ms; log tail:\n" + LogTail(15);
}

void ServerProcess::ReapOrphans() {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  (void)waitpid(pid_, nullptr, 0);
  // Wait until nothing of the group is left (forked children die too).
  int64_t start = NowMs();
  while (kill(-pid_, 0) == 0 && NowMs() - start < 5000) {
    kill(-pid_, SIGKILL);
    ReapOrphans();
    SleepMs(1);
  }
  ReapOrphans();
  pid_ = -1;
}

std::string ServerProcess::LogTail(int n) const {
  std::ifstream in(log_path_);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > static_cast<size_t>(n)) lines.pop_front();
  }
  std::string out;
  for (const std::string& l : lines) out += "    | " + l + "\n";
  return out;
}

}  // namespace crash
