// NetServer: the libevent loop, listeners (TCP and unix socket) and
// connections. One thread: it reads requests, hands each to
// Server::Dispatch, and writes replies at the end of the loop iteration
// (after each pass over the ready events, like Redis's beforeSleep; this is
// where the WAL's group commit will hook in).
//
// Limits enforced here: maxclients, client-query-buffer-limit,
// client-output-buffer-limit, idle timeout, protocol errors (reply, then
// close). A violation closes only the offending client.
//
// Thread safety: all methods on the loop thread.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/server.h"

struct event_base;
struct event;

namespace ordis {

class NetServer : public ClientHost {
 public:
  explicit NetServer(Server* server);
  ~NetServer() override;

  // Binds listeners per config. Returns "" or an error message.
  std::string Listen();
  // Runs until Stop(). Returns the process exit code.
  int Run();

  void CloseClient(Client* c) override;
  void WakeWriter(Client* c) override;
  void ClientUnblocked(Client* c) override;
  void Stop() override;
  int bound_port() const override { return bound_port_; }

  struct Conn;

 private:
  static void OnAccept(int fd, short what, void* arg);
  static void OnRead(int fd, short what, void* arg);
  static void OnWrite(int fd, short what, void* arg);
  static void OnCron(int fd, short what, void* arg);
  static void OnSignal(int sig, short what, void* arg);
  // The WAL's storage finished a job: release the replies it made durable.
  static void OnWal(int fd, short what, void* arg);
  // Replies written during one Dispatch or Cron depend on `dep`: hold c's
  // from `start` (stream position), and every other client's output that
  // was added meanwhile (pub/sub events, served blocked clients).
  void HoldOutput(Conn* conn, uint64_t start, uint64_t dep);
  void HoldWoken(uint64_t dep);
  void ReleaseHolds();
  // End of a loop pass: resumes unblocked clients, writes pending replies,
  // closes and frees dead connections.
  void EndOfPass();

  void Accept(int listen_fd, bool unix_socket);
  void HandleRead(Conn* conn);
  void ProcessInput(Conn* conn);
  bool WriteOut(Conn* conn);  // false if the connection was closed
  void ScheduleFlush(Conn* conn);
  void CheckOutputLimits(Conn* conn);
  // Closes the socket and unregisters the client at once; the Conn itself
  // is freed by FreeDead() at the end of the loop iteration.
  void Destroy(Conn* conn);
  void FreeDead();
  void CronClients();

  Server* server_;
  event_base* base_ = nullptr;
  std::vector<event*> listen_events_;
  std::vector<int> listen_fds_;
  event* cron_ev_ = nullptr;
  std::vector<event*> signal_events_;
  std::unordered_map<Client*, Conn*> conns_;
  std::vector<Conn*> pending_flush_;
  std::vector<Conn*> pending_close_;
  std::vector<Conn*> pending_resume_;  // unblocked, with input to run
  std::vector<Conn*> dead_;
  event* wal_ev_ = nullptr;
  // Clients given output while a command ran (see HoldWoken).
  bool collecting_ = false;
  std::vector<Conn*> woken_;
  std::vector<Conn*> held_;  // connections with holds (may hold duplicates)
  int bound_port_ = 0;
  int exit_code_ = 0;
};

}  // namespace ordis
