// crash-test: the server under test as a child process — start, wait until
// it serves, SIGKILL.
//
// The server runs in its own process group, and the tester is a child
// subreaper, so Kill() also kills and reaps whatever the server forked (a
// redis-server BGSAVE or rewrite child), and nothing of the old server is
// left writing into the directory when the next one starts.
//
// stdout and stderr of every start go to <dir>/crash-test-server.log
// (appended), preceded by a marker line naming the cycle.
//
// Thread safety: the main thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace crash {

class ServerProcess {
 public:
  // argv: the binary and its arguments (port, dir, ... already in it).
  ServerProcess(std::vector<std::string> argv, std::string log_path, int port);
  ~ServerProcess();  // kills a running server
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server; "" or why it could not.
  std::string Start(const std::string& marker);
  // Waits until it answers PING and INFO persistence no longer says
  // loading:1 (when it has that field). "" or why not (it exited, or no
  // answer within timeout_ms). *ms: how long it took.
  std::string WaitReady(int timeout_ms, int64_t* ms);
  // SIGKILL to the process group; returns once every process of the
  // group is gone and reaped.
  void Kill();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  // The last n lines of the log (for failure messages).
  std::string LogTail(int n) const;

 private:
  void ReapOrphans();

  std::vector<std::string> argv_;
  std::string log_path_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace crash
