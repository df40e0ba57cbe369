// In-process command tests: a Server with no sockets and one Client.
//
//   TestServer t;
//   CHECK(t.Run({"SET", "k", "v"}) == "OK");
//   CHECK(t.Run({"GET", "k"}) == "v");
//   CHECK(t.Run({"GET", "nokey"}).is_null());
//   CHECK(t.Run({"INCR", "k"}).is_error("ERR value is not an integer*"));
//
// Run() dispatches exactly as the network layer does and decodes the one
// reply the command wrote. RespValue compares equal to a string for simple
// strings, bulk strings and (decimal text of) integers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "server/server.h"
#include "util/strutil.h"

namespace ordis::test {

struct RespValue {
  enum Type {
    kSimple,
    kError,
    kInteger,
    kBulk,
    kNull,
    kArray,
    kMap,
    kSet,
    kDouble,
    kBool,
    kBigNum,
    kVerbatim,
    kPush,
    kNullArray
  };
  Type type = kNull;
  std::string str;  // simple/error/bulk/double/bignum/verbatim text
  int64_t integer = 0;
  std::vector<RespValue> elems;  // arrays; maps as k1,v1,k2,v2...

  bool is_null() const { return type == kNull || type == kNullArray; }
  bool is_error() const { return type == kError; }
  // Error whose text matches a glob, e.g. "ERR wrong number*".
  bool is_error(std::string_view glob) const { return type == kError && GlobMatch(glob, str); }
  bool is_array() const { return type == kArray || type == kSet || type == kPush; }
  size_t size() const { return elems.size(); }
  const RespValue& operator[](size_t i) const { return elems.at(i); }
  // Map/flat-array lookup by key; throws if absent.
  const RespValue& at(std::string_view key) const;
  std::vector<std::string> strings() const;  // elements as text

  bool operator==(std::string_view s) const;
  bool operator==(int64_t v) const { return type == kInteger && integer == v; }
  bool operator==(int v) const { return *this == static_cast<int64_t>(v); }
  std::string ToString() const;  // for Catch's failure messages
};

// Decodes one RESP value from buf starting at *pos; advances *pos.
// Returns false if the buffer holds an incomplete value.
bool DecodeResp(const std::string& buf, size_t* pos, RespValue* out);

class TestServer {
 public:
  explicit TestServer(Config cfg = Config());
  ~TestServer();

  // Runs a command on the default client.
  RespValue Run(std::initializer_list<std::string> args) {
    return Run(std::vector<std::string>(args));
  }
  RespValue Run(const std::vector<std::string>& args);
  // Runs a command on another client (created on first use, by index).
  RespValue RunOn(int client, const std::vector<std::string>& args);
  // All replies currently queued for a client (e.g. MONITOR feed).
  std::vector<RespValue> Drain(int client = 0);

  Server& server() { return *server_; }
  Client& client(int i = 0);
  // Advances the keyspace clock used for expiry decisions is real time;
  // tests that need expiry use PX/PEXPIREAT with past or short times.

 private:
  std::unique_ptr<Server> server_;
  std::vector<std::unique_ptr<Client>> clients_;
};

}  // namespace ordis::test

namespace ordis::test {
// Switches a test client to RESP3 (as HELLO 3 would).
inline void UseResp3(TestServer& t, int client = 0) {
  t.client(client).proto = 3;
  t.client(client).reply.set_proto(3);
}
}  // namespace ordis::test

// Lets Catch print RespValue.
#include <ostream>
inline std::ostream& operator<<(std::ostream& os, const ordis::test::RespValue& v) {
  return os << v.ToString();
}
