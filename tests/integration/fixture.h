// Integration-test fixture: runs the server binary named by $ORDIS_SERVER
// as a child process on a free port, plus the clients that talk to it:
//
//   ServerProcess srv({"--maxclients", "10"});  // started, answers PING
//   Redis r(srv.port());                         // hiredis, well-formed traffic
//   CHECK(r.Cmd({"SET", "k", "v"}) == "OK");
//   RawConn raw(srv.port());                     // arbitrary bytes
//   raw.Send("*1\r\nfoo\r\n");
//   CHECK(raw.Read().is_error("ERR Protocol error: expected '$', got 'f'"));
//   CHECK(raw.WaitClosed());
//
// Options use redis.conf names, so ORDIS_SERVER=/usr/bin/redis-server runs
// the same tests against the reference (tests tagged [ordis-only] check
// limits real Redis does not have).
//
// Failures to start or connect are REQUIRE failures (they abort the test).
// Thread safety: none.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace ordis::it {

// One decoded RESP2/RESP3 reply.
struct Reply {
  enum Type {
    kNone,
    kSimple,
    kError,
    kInteger,
    kBulk,
    kNull,
    kArray,
    kMap,
    kSet,
    kPush,
    kDouble,
    kBool,
    kBigNum,
    kVerbatim
  };
  Type type = kNone;  // kNone: no reply (timeout, EOF, connection error)
  std::string str;    // simple/error/bulk/double/bignum/verbatim text
  int64_t integer = 0;
  std::vector<Reply> elems;  // arrays; maps flattened as k1, v1, k2, v2...

  bool ok() const { return type != kNone; }
  bool is_null() const { return type == kNull; }
  // Error whose full text (without '-') equals msg, or starts with it when
  // msg ends in '*'.
  bool is_error(std::string_view msg) const;
  bool operator==(std::string_view s) const;  // simple or bulk text
  bool operator==(int64_t v) const { return type == kInteger && integer == v; }
  bool operator==(int v) const { return *this == static_cast<int64_t>(v); }
  // Value of a map entry or flat key/value array entry; kNone if absent.
  Reply at(std::string_view key) const;
  std::string ToString() const;
};

// Decodes one reply from buf at *pos and advances *pos. Returns false (and
// leaves *pos) if buf holds only part of it; *bad is set on garbage.
bool DecodeReply(std::string_view buf, size_t* pos, Reply* out, bool* bad);

class ServerProcess {
 public:
  // Starts `$ORDIS_SERVER --port P --bind 127.0.0.1 --save '' --appendonly
  // no --loglevel warning <extra...>` and waits until it answers PING.
  explicit ServerProcess(std::vector<std::string> extra = {});
  // SIGTERM, then SIGKILL after 5 s. Prints the log tail if the server died.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // True while the process runs (false once it exited or crashed).
  bool Alive();
  // A /proc/PID/status field in kB ("VmRSS", "VmHWM" = peak RSS), or -1.
  int64_t StatusKb(const char* field) const;
  // utime + stime of the process in seconds.
  double CpuSeconds() const;
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  bool Start(const std::vector<std::string>& extra);
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = 0;
  std::string log_path_;
};

// A hiredis connection (synchronous). Every reply is converted to Reply.
class Redis {
 public:
  explicit Redis(int port);
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  // Sends one command and waits for its reply (kNone on connection error).
  Reply Cmd(const std::vector<std::string>& args);
  // Pipelining: queue commands, then read their replies in order.
  void Append(const std::vector<std::string>& args);
  Reply GetReply();
  bool connected() const;
  redisContext* ctx() { return ctx_; }

 private:
  redisContext* ctx_ = nullptr;
};

// A raw TCP connection for malformed input. Reads decode RESP2/RESP3.
class RawConn {
 public:
  explicit RawConn(int port);
  ~RawConn();
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  // Writes all bytes (blocking). False if the peer closed or reset.
  bool Send(std::string_view bytes);
  // Next reply, or kNone after timeout_ms / EOF / reset.
  Reply Read(int timeout_ms = 5000);
  // The bytes of the reply Read() returned last (to tell RESP2 from RESP3).
  const std::string& last_raw() const { return last_raw_; }
  // True if the server closes the connection (EOF or reset) within
  // timeout_ms. Bytes that arrive meanwhile are discarded, counted in
  // *discarded when given.
  bool WaitClosed(int timeout_ms = 5000, size_t* discarded = nullptr);
  // Closes at once with RST (no TIME_WAIT).
  void Abort();
  void Close();
  int fd() const { return fd_; }

 private:
  // Reads what is available within timeout_ms. 0 timeout, -1 EOF/error.
  int Fill(int timeout_ms);
  int fd_ = -1;
  std::string buf_;
  size_t pos_ = 0;
  std::string last_raw_;
};

// Puts sentinel keys (binary values with NUL, CR and LF) into the server
// and keeps a connection open; Verify() then CHECKs that the server is
// alive, that this old connection and a fresh one both answer, and that
// every sentinel key still holds its value. Use around hostile input.
class Witness {
 public:
  explicit Witness(ServerProcess& srv, int keys = 100);
  void Verify();

 private:
  static std::string Value(int i);
  ServerProcess& srv_;
  Redis keeper_;
  int keys_;
};

// Raises RLIMIT_NOFILE of the test process to at least n (up to the hard
// limit). Returns the resulting soft limit.
uint64_t RaiseFdLimit(uint64_t n);

// Encodes a multibulk request.
std::string Resp(const std::vector<std::string>& args);

// For Catch's failure messages (found by argument-dependent lookup).
inline std::ostream& operator<<(std::ostream& os, const Reply& r) {
  return os << r.ToString();
}

}  // namespace ordis::it
