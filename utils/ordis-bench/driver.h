// Driver: one thread, one epoll loop, N connections each keeping P requests
// in flight (closed loop: every reply is answered by a new request).
//
// Replies are scanned (resp_scan.h), not parsed into objects: only their
// top-level shape is kept, which is all the workload needs, so the
// generator stays cheap next to the server it measures (they share a 2-core
// machine). Latency is the time
// from queueing a request (just before it is written) to parsing its reply.
//
// A connection the server closes, a protocol error or a failed connect end
// the process with a message (exit status 2): the run would be meaningless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common.h"
#include "stats.h"
#include "workload.h"

namespace bench {

struct DriverConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  int conns = 50;
  int pipeline = 1;
  Target target = Target::kOrdis;
};

class Driver {
 public:
  Driver(const DriverConfig& config, Workload* workload);
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // Runs the mix for `seconds`; replies that arrive in the window count in
  // *stats. Requests still in flight at the end are abandoned.
  void RunTimed(double seconds, RunStats* stats);
  // Places exactly n orders (NextPrefill 0..n-1) over min(conns, 8)
  // connections with 64 in flight each and waits for every reply; returns
  // the seconds it took. Errors go to *stats.
  double RunPrefill(uint64_t n, RunStats* stats);

 private:
  struct Conn;
  void Open(int count);
  void Issue(Conn& c, int64_t now);
  void Flush(Conn& c);
  void Read(Conn& c);

  DriverConfig c_;
  Workload* w_;
  RunStats* stats_ = nullptr;
  OpStats late_;  // replies after the deadline of a timed run
  std::vector<Conn*> conns_;
  int ep_ = -1;
  bool timed_ = false;
  int64_t deadline_ = 0;
  uint64_t prefill_next_ = 0, prefill_total_ = 0, prefill_done_ = 0;
};

// Connects to host:port (TCP, blocking); returns the fd or -1 with a message.
int ConnectTcp(const std::string& host, int port, std::string* error);

}  // namespace bench
