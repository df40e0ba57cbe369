// String commands against Redis 7.0.15's replies, error texts, encodings,
// TTL handling and dirty accounting.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/string_ops.h"

using ordis::Entry;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

// A stand-in for a non-string value (lists etc. live in other families).
struct FakeObject : ordis::Object {
  Object* Clone() const override { return new FakeObject; }
  size_t MemoryUsage() const override { return 16; }
  const char* EncodingName() const override { return "listpack"; }
};

void AddList(TestServer& t, const std::string& key) {
  t.server().keyspace().db(0).Add(
      ordis::NewObjectEntry(key, ordis::ValueType::kList, new FakeObject));
}

Entry* Find(TestServer& t, const std::string& key) {
  return t.server().keyspace().db(0).FindQuiet(key);
}

std::string Encoding(TestServer& t, const std::string& key) {
  Entry* e = Find(t, key);
  return e ? e->EncodingName() : "(none)";
}

int64_t ExpireAt(TestServer& t, const std::string& key) {
  Entry* e = Find(t, key);
  return e ? t.server().keyspace().db(0).GetExpire(e) : -2;
}

uint64_t Dirty(TestServer& t) {
  return t.server().stats().dirty;
}

// The raw bytes a command writes (to check RESP3 encodings exactly).
std::string Raw(TestServer& t, const std::vector<std::string>& args) {
  ordis::Client& c = t.client();
  c.out.Clear();
  std::vector<std::string_view> views(args.begin(), args.end());
  t.server().Dispatch(c, views);
  std::string out(c.out.view());
  c.out.Clear();
  return out;
}

constexpr const char* kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";

}  // namespace

TEST_CASE("GET and SET basics", "[strings]") {
  TestServer t;
  CHECK(t.Run({"SET", "k", "v"}) == "OK");
  CHECK(t.Run({"GET", "k"}) == "v");
  CHECK(t.Run({"GET", "missing"}).is_null());
  CHECK(t.Run({"SET", "empty", ""}) == "OK");
  RespValue e = t.Run({"GET", "empty"});
  CHECK(e.type == RespValue::kBulk);
  CHECK(e.str.empty());
  std::string big(1 << 20, 'x');
  big[12345] = '\0';
  CHECK(t.Run({"SET", "big", big}) == "OK");
  CHECK(t.Run({"GET", "big"}).str == big);
  CHECK(t.Run({"SET", "k"}).is_error("ERR wrong number of arguments for 'set' command"));
  AddList(t, "lst");
  CHECK(t.Run({"GET", "lst"}).is_error(kWrongType));
  // Plain SET replaces any type.
  CHECK(t.Run({"SET", "lst", "s"}) == "OK");
  CHECK(t.Run({"GET", "lst"}) == "s");
}

TEST_CASE("SET encodings match Redis", "[strings]") {
  TestServer t;
  t.Run({"SET", "i", "12345"});
  CHECK(Encoding(t, "i") == "int");
  t.Run({"SET", "neg", "-9223372036854775808"});
  CHECK(Encoding(t, "neg") == "int");
  t.Run({"SET", "notint", "012"});
  CHECK(Encoding(t, "notint") == "embstr");
  t.Run({"SET", "huge", "9223372036854775808"});
  CHECK(Encoding(t, "huge") == "embstr");
  t.Run({"SET", "e", std::string(44, 'a')});
  CHECK(Encoding(t, "e") == "embstr");
  t.Run({"SET", "r", std::string(45, 'a')});
  CHECK(Encoding(t, "r") == "raw");
  // Overwriting a short value in place must not turn a 44-byte value raw.
  t.Run({"SET", "x", "a"});
  t.Run({"SET", "x", std::string(40, 'b')});
  CHECK(Encoding(t, "x") == "embstr");
  CHECK(t.Run({"GET", "x"}) == std::string(40, 'b'));
  t.Run({"SET", "x", "77"});
  CHECK(Encoding(t, "x") == "int");
  t.Run({"SET", "x", std::string(1000, 'c')});
  CHECK(Encoding(t, "x") == "raw");
  t.Run({"SET", "x", "short"});
  CHECK(Encoding(t, "x") == "embstr");
  CHECK(t.Run({"GET", "x"}) == "short");
}

TEST_CASE("SET NX/XX/GET combinations", "[strings]") {
  TestServer t;
  CHECK(t.Run({"SET", "k", "v1", "NX"}) == "OK");
  CHECK(t.Run({"SET", "k", "v2", "NX"}).is_null());
  CHECK(t.Run({"GET", "k"}) == "v1");
  CHECK(t.Run({"SET", "m", "v", "XX"}).is_null());
  CHECK(t.Run({"GET", "m"}).is_null());
  CHECK(t.Run({"SET", "k", "v3", "xx"}) == "OK");
  CHECK(t.Run({"GET", "k"}) == "v3");

  CHECK(t.Run({"SET", "k", "v4", "GET"}) == "v3");
  CHECK(t.Run({"SET", "new", "v", "GET"}).is_null());
  CHECK(t.Run({"GET", "new"}) == "v");
  // GET with NX on an existing key returns the old value and sets nothing.
  CHECK(t.Run({"SET", "k", "v5", "NX", "GET"}) == "v4");
  CHECK(t.Run({"GET", "k"}) == "v4");
  CHECK(t.Run({"SET", "nx2", "v", "NX", "GET"}).is_null());
  CHECK(t.Run({"GET", "nx2"}) == "v");
  CHECK(t.Run({"SET", "xx2", "v", "XX", "GET"}).is_null());
  CHECK(t.Run({"GET", "xx2"}).is_null());
  CHECK(t.Run({"SET", "k", "v6", "XX", "GET"}) == "v4");
  CHECK(t.Run({"GET", "k"}) == "v6");
  // GET against a non-string fails before anything is written.
  AddList(t, "lst");
  CHECK(t.Run({"SET", "lst", "v", "GET"}).is_error(kWrongType));
  CHECK(Find(t, "lst")->type == ordis::ValueType::kList);
  // Repeated flags are allowed, as in Redis.
  CHECK(t.Run({"SET", "k", "v", "GET", "GET"}) == "v6");
  CHECK(t.Run({"SET", "k", "v", "NX", "NX"}).is_null());
}

TEST_CASE("SET syntax errors", "[strings]") {
  TestServer t;
  const char* bad[][5] = {
      {"NX", "XX", "", "", ""},         {"XX", "NX", "", "", ""},
      {"EX", "", "", "", ""},           {"EX", "10", "PX", "100", ""},
      {"EX", "10", "KEEPTTL", "", ""},  {"KEEPTTL", "EX", "10", "", ""},
      {"PERSIST", "", "", "", ""},      {"foo", "", "", "", ""},
      {"EXAT", "10", "PXAT", "10", ""}, {"PX", "10", "EXAT", "10", ""},
  };
  for (auto& opts : bad) {
    std::vector<std::string> cmd = {"SET", "k", "v"};
    for (const char* o : opts)
      if (*o) cmd.push_back(o);
    INFO(cmd.size());
    CHECK(t.Run(cmd).is_error("ERR syntax error"));
  }
  CHECK(t.Run({"GET", "k"}).is_null());
  // The same option twice is accepted (the last value wins).
  CHECK(t.Run({"SET", "k", "v", "EX", "10", "EX", "20"}) == "OK");
  CHECK(t.Run({"SET", "k", "v", "KEEPTTL", "KEEPTTL"}) == "OK");
}

TEST_CASE("SET expire options", "[strings][expire]") {
  TestServer t;
  int64_t before = Server::NowMs();
  CHECK(t.Run({"SET", "k", "v", "EX", "100"}) == "OK");
  int64_t at = ExpireAt(t, "k");
  CHECK(at >= before + 100000);
  CHECK(at <= Server::NowMs() + 100000);
  CHECK(t.Run({"SET", "k", "v", "PX", "5000"}) == "OK");
  CHECK(ExpireAt(t, "k") <= Server::NowMs() + 5000);
  CHECK(ExpireAt(t, "k") > Server::NowMs() + 4000);
  CHECK(t.Run({"SET", "k", "v", "EXAT", "4000000000"}) == "OK");
  CHECK(ExpireAt(t, "k") == 4000000000000);
  CHECK(t.Run({"SET", "k", "v", "PXAT", "4000000000123"}) == "OK");
  CHECK(ExpireAt(t, "k") == 4000000000123);
  // KEEPTTL keeps it; a plain SET clears it.
  CHECK(t.Run({"SET", "k", "v2", "KEEPTTL"}) == "OK");
  CHECK(ExpireAt(t, "k") == 4000000000123);
  CHECK(t.Run({"SET", "k", std::string(100, 'z'), "KEEPTTL"}) == "OK");
  CHECK(ExpireAt(t, "k") == 4000000000123);
  CHECK(t.Run({"SET", "k", "v3"}) == "OK");
  CHECK(ExpireAt(t, "k") == -1);
  CHECK(t.Run({"SET", "k", "v", "PXAT", "4000000000123"}) == "OK");
  CHECK(t.Run({"SET", "k", std::string(100, 'z')}) == "OK");
  CHECK(ExpireAt(t, "k") == -1);
  // A time in the past stores the key already expired.
  CHECK(t.Run({"SET", "old", "v", "EXAT", "1"}) == "OK");
  CHECK(t.Run({"GET", "old"}).is_null());
}

TEST_CASE("Invalid expire times", "[strings][expire]") {
  TestServer t;
  const std::string set_err = "ERR invalid expire time in 'set' command";
  for (auto [opt, val] : std::vector<std::pair<std::string, std::string>>{
           {"EX", "0"},
           {"EX", "-1"},
           {"PX", "0"},
           {"EXAT", "0"},
           {"PXAT", "-5"},
           {"EX", "9223372036854776"},     // * 1000 overflows
           {"PX", "9223372036854775807"},  // + now overflows
           {"EX", "9223372036854775"},     // * 1000 fits, + now overflows
           {"EXAT", "9223372036854776"},
       }) {
    INFO(opt << " " << val);
    CHECK(t.Run({"SET", "k", "v", opt, val}).str == set_err);
  }
  CHECK(t.Run({"SET", "k", "v", "EX", "abc"})
            .is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"SET", "k", "v", "EX", "1.5"}).is_error("ERR value is not an integer*"));
  // Absolute times that fit are fine even when huge.
  CHECK(t.Run({"SET", "k", "v", "PXAT", "9223372036854775807"}) == "OK");
  CHECK(t.Run({"SET", "k", "v", "EXAT", "9223372036854775"}) == "OK");
  CHECK(t.Run({"SETEX", "k", "0", "v"}).str == "ERR invalid expire time in 'setex' command");
  CHECK(t.Run({"PSETEX", "k", "-1", "v"}).str == "ERR invalid expire time in 'psetex' command");
  CHECK(t.Run({"SETEX", "k", "x", "v"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"SET", "e", "v"}) == "OK");
  CHECK(t.Run({"GETEX", "e", "EX", "0"}).str == "ERR invalid expire time in 'getex' command");
}

TEST_CASE("SETNX SETEX PSETEX GETSET", "[strings]") {
  TestServer t;
  CHECK(t.Run({"SETNX", "k", "a"}) == 1);
  CHECK(t.Run({"SETNX", "k", "b"}) == 0);
  CHECK(t.Run({"GET", "k"}) == "a");
  AddList(t, "lst");
  CHECK(t.Run({"SETNX", "lst", "b"}) == 0);

  CHECK(t.Run({"SETEX", "se", "10", "v"}) == "OK");
  CHECK(t.Run({"GET", "se"}) == "v");
  CHECK(ExpireAt(t, "se") > Server::NowMs() + 9000);
  CHECK(t.Run({"PSETEX", "pse", "100000", "v"}) == "OK");
  CHECK(ExpireAt(t, "pse") > Server::NowMs() + 90000);
  CHECK(ExpireAt(t, "pse") <= Server::NowMs() + 100000);

  // SETNX on an expired volatile key succeeds.
  CHECK(t.Run({"SET", "vol", "10", "PXAT", "1"}) == "OK");
  CHECK(t.Run({"SETNX", "vol", "20"}) == 1);
  CHECK(t.Run({"GET", "vol"}) == "20");

  CHECK(t.Run({"GETSET", "gs", "a"}).is_null());
  CHECK(t.Run({"GETSET", "gs", "b"}) == "a");
  CHECK(t.Run({"GET", "gs"}) == "b");
  CHECK(t.Run({"GETSET", "lst", "b"}).is_error(kWrongType));
  // GETSET clears the TTL, as SET does.
  CHECK(t.Run({"GETSET", "se", "w"}) == "v");
  CHECK(ExpireAt(t, "se") == -1);
}

TEST_CASE("GETDEL and GETEX", "[strings][expire]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  CHECK(t.Run({"GETDEL", "k"}) == "v");
  CHECK(t.Run({"GET", "k"}).is_null());
  CHECK(t.Run({"GETDEL", "k"}).is_null());
  AddList(t, "lst");
  CHECK(t.Run({"GETDEL", "lst"}).is_error(kWrongType));
  t.Run({"SET", "n", "42"});
  CHECK(t.Run({"GETDEL", "n"}) == "42");

  t.Run({"SET", "g", "bar"});
  CHECK(t.Run({"GETEX", "g"}) == "bar");
  CHECK(ExpireAt(t, "g") == -1);
  CHECK(t.Run({"GETEX", "g", "EX", "10"}) == "bar");
  CHECK(ExpireAt(t, "g") > Server::NowMs() + 9000);
  CHECK(t.Run({"GETEX", "g", "PX", "10000"}) == "bar");
  CHECK(ExpireAt(t, "g") <= Server::NowMs() + 10000);
  CHECK(t.Run({"GETEX", "g", "EXAT", "4000000000"}) == "bar");
  CHECK(ExpireAt(t, "g") == 4000000000000);
  CHECK(t.Run({"GETEX", "g", "PXAT", "4000000000001"}) == "bar");
  CHECK(ExpireAt(t, "g") == 4000000000001);
  CHECK(t.Run({"GETEX", "g", "PERSIST"}) == "bar");
  CHECK(ExpireAt(t, "g") == -1);
  // A past absolute time deletes the key after replying with it.
  CHECK(t.Run({"GETEX", "g", "EXAT", "1"}) == "bar");
  CHECK(Find(t, "g") == nullptr);

  t.Run({"SET", "g", "bar"});
  CHECK(t.Run({"GETEX", "g", "KEEPTTL"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "NX"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "EX"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "EX", "10", "PX", "10"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "PERSIST", "EX", "10"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "EX", "10", "PERSIST"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX"}).is_error("ERR wrong number of arguments for 'getex' command"));
  // The expire value is only checked when the key exists.
  CHECK(t.Run({"GETEX", "missing", "EX", "abc"}).is_null());
  CHECK(t.Run({"GETEX", "missing", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GETEX", "g", "EX", "abc"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"GETEX", "lst", "EX", "abc"}).is_error(kWrongType));
  CHECK(t.Run({"GETEX", "lst"}).is_error(kWrongType));
}

TEST_CASE("MGET MSET MSETNX", "[strings]") {
  TestServer t;
  CHECK(t.Run({"MSET", "a", "1", "b", "2"}) == "OK");
  AddList(t, "lst");
  RespValue r = t.Run({"MGET", "a", "missing", "b", "lst"});
  REQUIRE(r.size() == 4);
  CHECK(r[0] == "1");
  CHECK(r[1].is_null());
  CHECK(r[2] == "2");
  CHECK(r[3].is_null());
  CHECK(
      t.Run({"MSET", "a", "1", "b"}).is_error("ERR wrong number of arguments for 'mset' command"));
  CHECK(t.Run({"MSETNX", "a", "1", "b"})
            .is_error("ERR wrong number of arguments for 'msetnx' command"));
  CHECK(t.Run({"MSETNX", "x", "1", "a", "9"}) == 0);
  CHECK(t.Run({"GET", "x"}).is_null());
  CHECK(t.Run({"GET", "a"}) == "1");
  CHECK(t.Run({"MSETNX", "x", "1", "y", "2"}) == 1);
  CHECK(t.Run({"MGET", "x", "y"}).strings() == std::vector<std::string>{"1", "2"});
  // The same new key twice: set, last value wins.
  CHECK(t.Run({"MSETNX", "z", "1", "z", "2"}) == 1);
  CHECK(t.Run({"GET", "z"}) == "2");
  CHECK(t.Run({"MSETNX", "z", "3", "z", "4"}) == 0);
  // MSET replaces other types and clears TTLs.
  t.Run({"SET", "ttl", "v", "EX", "100"});
  CHECK(t.Run({"MSET", "lst", "s", "ttl", "w"}) == "OK");
  CHECK(t.Run({"GET", "lst"}) == "s");
  CHECK(ExpireAt(t, "ttl") == -1);
}

TEST_CASE("APPEND and STRLEN", "[strings]") {
  TestServer t;
  CHECK(t.Run({"APPEND", "k", "hello"}) == 5);
  CHECK(t.Run({"APPEND", "k", " world"}) == 11);
  CHECK(t.Run({"GET", "k"}) == "hello world");
  CHECK(Encoding(t, "k") == "raw");
  CHECK(t.Run({"STRLEN", "k"}) == 11);
  CHECK(t.Run({"STRLEN", "missing"}) == 0);
  CHECK(t.Run({"APPEND", "e", ""}) == 0);
  CHECK(Find(t, "e") != nullptr);
  // A new key created by APPEND gets SET's encoding.
  CHECK(t.Run({"APPEND", "n", "123"}) == 3);
  CHECK(Encoding(t, "n") == "int");
  CHECK(t.Run({"APPEND", "n", "456"}) == 6);
  CHECK(t.Run({"GET", "n"}) == "123456");
  CHECK(Encoding(t, "n") == "raw");
  t.Run({"SET", "i", "-123"});
  CHECK(t.Run({"STRLEN", "i"}) == 4);
  t.Run({"SET", "m", "-9223372036854775808"});
  CHECK(t.Run({"STRLEN", "m"}) == 20);
  AddList(t, "lst");
  CHECK(t.Run({"APPEND", "lst", "x"}).is_error(kWrongType));
  CHECK(t.Run({"STRLEN", "lst"}).is_error(kWrongType));
  // Many appends grow past the inline buffer and stay correct.
  std::string expect;
  for (int i = 0; i < 300; ++i) {
    std::string piece = "p" + std::to_string(i);
    expect += piece;
    CHECK(t.Run({"APPEND", "grow", piece}) == static_cast<int64_t>(expect.size()));
  }
  CHECK(t.Run({"GET", "grow"}) == expect);
  // APPEND keeps the TTL.
  t.Run({"SET", "ttl", "v", "PXAT", "4000000000000"});
  t.Run({"APPEND", "ttl", "w"});
  CHECK(ExpireAt(t, "ttl") == 4000000000000);
}

TEST_CASE("proto-max-bulk-len limits growth", "[strings]") {
  ordis::Config cfg;
  cfg.proto_max_bulk_len = 100;
  TestServer t(cfg);
  const char* too_big = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
  t.Run({"SET", "k", std::string(60, 'a')});
  CHECK(t.Run({"APPEND", "k", std::string(40, 'b')}) == 100);
  CHECK(t.Run({"APPEND", "k", "c"}).str == too_big);
  CHECK(t.Run({"STRLEN", "k"}) == 100);
  CHECK(t.Run({"SETRANGE", "n", "99", "x"}) == 100);
  CHECK(t.Run({"SETRANGE", "n2", "100", "x"}).str == too_big);
  CHECK(t.Run({"SETRANGE", "k", "50", std::string(51, 'z')}).str == too_big);
  CHECK(t.Run({"SETRANGE", "n3", "9223372036854775807", "A"}).str == too_big);
  CHECK(Find(t, "n2") == nullptr);
  // An empty SETRANGE never grows, so it is not checked.
  CHECK(t.Run({"SETRANGE", "k", "1000", ""}) == 100);
}

TEST_CASE("GETRANGE index rules", "[strings]") {
  TestServer t;
  t.Run({"SET", "k", "Hello World"});
  auto gr = [&](const char* s, const char* e) { return t.Run({"GETRANGE", "k", s, e}).str; };
  CHECK(gr("0", "3") == "Hell");
  CHECK(gr("0", "-1") == "Hello World");
  CHECK(gr("-3", "-1") == "rld");
  CHECK(gr("-1", "-5") == "");
  CHECK(gr("5", "3") == "");
  CHECK(gr("0", "-100") == "H");
  CHECK(gr("-100", "-50") == "H");
  CHECK(gr("0", "10000") == "Hello World");
  CHECK(gr("20", "30") == "");
  CHECK(gr("0", "9223372036854775807") == "Hello World");
  CHECK(gr("-9223372036854775808", "-1") == "Hello World");
  CHECK(t.Run({"GETRANGE", "k", "a", "1"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"GETRANGE", "missing", "0", "1"}) == "");
  CHECK(t.Run({"GETRANGE", "missing", "x", "1"}).is_error("ERR value is not an integer*"));
  t.Run({"SET", "n", "1234"});
  CHECK(t.Run({"GETRANGE", "n", "1", "2"}) == "23");
  CHECK(t.Run({"SUBSTR", "k", "6", "-1"}) == "World");
  t.Run({"SET", "e", ""});
  CHECK(t.Run({"GETRANGE", "e", "0", "-1"}) == "");
  AddList(t, "lst");
  CHECK(t.Run({"GETRANGE", "lst", "0", "1"}).is_error(kWrongType));
}

TEST_CASE("SETRANGE", "[strings]") {
  TestServer t;
  CHECK(t.Run({"SETRANGE", "k", "0", "foo"}) == 3);
  CHECK(t.Run({"GET", "k"}) == "foo");
  CHECK(t.Run({"SETRANGE", "k2", "1", "foo"}) == 4);
  CHECK(t.Run({"GET", "k2"}) == std::string("\0foo", 4));
  CHECK(Encoding(t, "k2") == "raw");
  CHECK(t.Run({"SETRANGE", "none", "5", ""}) == 0);
  CHECK(Find(t, "none") == nullptr);
  t.Run({"SET", "s", "foo"});
  CHECK(t.Run({"SETRANGE", "s", "1", "b"}) == 3);
  CHECK(t.Run({"GET", "s"}) == "fbo");
  CHECK(t.Run({"SETRANGE", "s", "4", "bar"}) == 7);
  CHECK(t.Run({"GET", "s"}) == std::string("fbo\0bar", 7));
  CHECK(t.Run({"SETRANGE", "s", "-1", "x"}).is_error("ERR offset is out of range"));
  CHECK(t.Run({"SETRANGE", "s", "x", "x"}).is_error("ERR value is not an integer*"));

  // Integer-encoded values become raw only when something is written.
  t.Run({"SET", "i", "1234"});
  CHECK(t.Run({"SETRANGE", "i", "0", ""}) == 4);
  CHECK(Encoding(t, "i") == "int");
  CHECK(t.Run({"SETRANGE", "i", "0", "2"}) == 4);
  CHECK(Encoding(t, "i") == "raw");
  CHECK(t.Run({"GET", "i"}) == "2234");
  t.Run({"SET", "i", "1234"});
  CHECK(t.Run({"SETRANGE", "i", "5", "2"}) == 6);
  CHECK(t.Run({"GET", "i"}) == std::string("1234\0002", 6));
  AddList(t, "lst");
  CHECK(t.Run({"SETRANGE", "lst", "0", "x"}).is_error(kWrongType));
  CHECK(t.Run({"SETRANGE", "lst", "0", ""}).is_error(kWrongType));
}

TEST_CASE("INCR family", "[strings][incr]") {
  TestServer t;
  CHECK(t.Run({"INCR", "n"}) == 1);
  CHECK(t.Run({"INCR", "n"}) == 2);
  CHECK(t.Run({"INCRBY", "n", "10"}) == 12);
  CHECK(t.Run({"DECR", "n"}) == 11);
  CHECK(t.Run({"DECRBY", "n", "20"}) == -9);
  CHECK(Encoding(t, "n") == "int");
  t.Run({"SET", "big", "17179869184"});
  CHECK(t.Run({"INCRBY", "big", "17179869184"}) == 34359738368);
  CHECK(t.Run({"DECRBY", "big", "34359738369"}) == -1);

  const char* not_int = "ERR value is not an integer or out of range";
  for (const char* v : {"  11", "11  ", "1.5", "abc", "00", "-0", "+5", ""}) {
    t.Run({"SET", "bad", v});
    INFO(v);
    CHECK(t.Run({"INCR", "bad"}).str == not_int);
  }
  CHECK(t.Run({"INCRBY", "n", "abc"}).str == not_int);
  CHECK(t.Run({"INCRBY", "n", "9223372036854775808"}).str == not_int);
  t.Run({"SET", "max", "9223372036854775807"});
  CHECK(t.Run({"INCR", "max"}).str == "ERR increment or decrement would overflow");
  t.Run({"SET", "min", "-9223372036854775808"});
  CHECK(t.Run({"DECR", "min"}).str == "ERR increment or decrement would overflow");
  CHECK(t.Run({"DECRBY", "n", "-9223372036854775808"}).str == "ERR decrement would overflow");
  AddList(t, "lst");
  CHECK(t.Run({"INCR", "lst"}).is_error(kWrongType));
  // The increment is parsed before the key is looked at.
  CHECK(t.Run({"INCRBY", "lst", "x"}).str == not_int);

  // A string that looks like an integer works and becomes int-encoded.
  t.Run({"APPEND", "ap", "4"});
  t.Run({"APPEND", "ap", "1"});
  CHECK(Encoding(t, "ap") == "raw");
  CHECK(t.Run({"INCR", "ap"}) == 42);
  CHECK(Encoding(t, "ap") == "int");
}

TEST_CASE("INCR modifies in place and keeps the TTL", "[strings][incr]") {
  TestServer t;
  t.Run({"SET", "n", "20000", "PXAT", "4000000000000"});
  Entry* before = Find(t, "n");
  CHECK(t.Run({"INCR", "n"}) == 20001);
  CHECK(Find(t, "n") == before);
  CHECK(ExpireAt(t, "n") == 4000000000000);
  CHECK(t.Run({"INCRBYFLOAT", "n", "0.5"}) == "20001.5");
  CHECK(ExpireAt(t, "n") == 4000000000000);
}

TEST_CASE("INCRBYFLOAT", "[strings][incr]") {
  TestServer t;
  CHECK(t.Run({"INCRBYFLOAT", "f", "1"}) == "1");
  CHECK(t.Run({"INCRBYFLOAT", "f", "0.25"}) == "1.25");
  CHECK(t.Run({"GET", "f"}) == "1.25");
  t.Run({"SET", "f2", "1.5"});
  CHECK(t.Run({"INCRBYFLOAT", "f2", "1.5"}) == "3");
  t.Run({"SET", "f3", "17179869184"});
  CHECK(t.Run({"INCRBYFLOAT", "f3", "1.5"}) == "17179869185.5");
  CHECK(t.Run({"INCRBYFLOAT", "f4", "0.1"}) == "0.1");
  CHECK(t.Run({"INCRBYFLOAT", "f4", "0.2"}) == "0.3");
  CHECK(t.Run({"INCRBYFLOAT", "f5", "3.0e3"}) == "3000");
  t.Run({"SET", "f6", "1"});
  CHECK(t.Run({"INCRBYFLOAT", "f6", "-1.1"}) == "-0.1");
  // No negative zero.
  CHECK(t.Run({"INCRBYFLOAT", "z", "10.5"}) == "10.5");
  CHECK(t.Run({"INCRBYFLOAT", "z", "-10.5"}) == "0");

  const char* not_float = "ERR value is not a valid float";
  for (const char* v : {"    11", "11    ", " 11 ", "abc", "1.5.5", ""}) {
    t.Run({"SET", "bad", v});
    CHECK(t.Run({"INCRBYFLOAT", "bad", "1"}).str == not_float);
  }
  t.Run({"SET", "nul", "1"});
  t.Run({"SETRANGE", "nul", "2", "2"});
  CHECK(t.Run({"INCRBYFLOAT", "nul", "1"}).str == not_float);
  CHECK(t.Run({"INCRBYFLOAT", "f", "abc"}).str == not_float);
  CHECK(t.Run({"INCRBYFLOAT", "f", "nan"}).str == not_float);
  CHECK(t.Run({"INCRBYFLOAT", "f", "1e5000"}).str == not_float);
  CHECK(t.Run({"INCRBYFLOAT", "f", "+inf"}).str == "ERR increment would produce NaN or Infinity");
  CHECK(t.Run({"GET", "f"}) == "1.25");
  AddList(t, "lst");
  // The type check comes before the increment is parsed.
  CHECK(t.Run({"INCRBYFLOAT", "lst", "abc"}).is_error(kWrongType));
}

TEST_CASE("LCS", "[strings][lcs]") {
  TestServer t;
  t.Run({"MSET", "a", "ohmytext", "b", "mynewtext"});
  CHECK(t.Run({"LCS", "a", "b"}) == "mytext");
  CHECK(t.Run({"LCS", "a", "b", "LEN"}) == 6);
  RespValue r = t.Run({"LCS", "a", "b", "IDX"});
  REQUIRE(r.size() == 4);
  CHECK(r[0] == "matches");
  REQUIRE(r[1].size() == 2);
  CHECK(r[1][0][0].strings() == std::vector<std::string>{"4", "7"});
  CHECK(r[1][0][1].strings() == std::vector<std::string>{"5", "8"});
  CHECK(r[1][1][0].strings() == std::vector<std::string>{"2", "3"});
  CHECK(r[1][1][1].strings() == std::vector<std::string>{"0", "1"});
  CHECK(r[2] == "len");
  CHECK(r[3] == 6);
  r = t.Run({"LCS", "a", "b", "IDX", "WITHMATCHLEN"});
  CHECK(r[1][0].size() == 3);
  CHECK(r[1][0][2] == 4);
  CHECK(r[1][1][2] == 2);
  r = t.Run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"});
  REQUIRE(r[1].size() == 1);
  CHECK(r[1][0][2] == 4);
  CHECK(t.Run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"})[1].size() == 2);
  CHECK(t.Run({"LCS", "a", "missing"}) == "");
  CHECK(t.Run({"LCS", "x1", "x2", "LEN"}) == 0);

  t.Run({"MSET", "r1", "rosettacode", "r2", "raisethysword"});
  CHECK(t.Run({"LCS", "r1", "r2"}) == "rsetod");
  // Ties break the way Redis does.
  t.Run({"MSET", "s1", "aaaaaa", "s2", "aa"});
  r = t.Run({"LCS", "s1", "s2", "IDX", "WITHMATCHLEN"});
  REQUIRE(r[1].size() == 1);
  CHECK(r[1][0][0].strings() == std::vector<std::string>{"4", "5"});
  CHECK(r[1][0][1].strings() == std::vector<std::string>{"0", "1"});
  t.Run({"MSET", "n1", "12345", "n2", "2424"});
  CHECK(t.Run({"LCS", "n1", "n2"}) == "24");

  CHECK(t.Run({"LCS", "a", "b", "IDX", "LEN"}).str ==
        "ERR If you want both the length and indexes, please just use IDX.");
  CHECK(t.Run({"LCS", "a", "b", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"LCS", "a", "b", "MINMATCHLEN"}).str == "ERR syntax error");
  CHECK(t.Run({"LCS", "a", "b", "MINMATCHLEN", "x"}).is_error("ERR value is not an integer*"));
  AddList(t, "lst");
  CHECK(t.Run({"LCS", "a", "lst", "foo"}).str ==
        "ERR The specified keys must contain string values");
}

TEST_CASE("LCS table is bounded by proto-max-bulk-len", "[strings][lcs]") {
  ordis::Config cfg;
  cfg.proto_max_bulk_len = 1000;
  TestServer t(cfg);
  t.Run({"MSET", "a", std::string(20, 'a'), "b", std::string(20, 'a')});
  // 21 * 21 cells of 4 bytes = 1764 > 1000.
  CHECK(t.Run({"LCS", "a", "b", "LEN"}).str ==
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  t.Run({"MSET", "c", std::string(10, 'a'), "d", std::string(10, 'a')});
  CHECK(t.Run({"LCS", "c", "d", "LEN"}) == 10);  // 484 bytes
}

TEST_CASE("RESP3 replies", "[strings][resp3]") {
  TestServer t;
  UseResp3(t);
  CHECK(Raw(t, {"GET", "missing"}) == "_\r\n");
  CHECK(Raw(t, {"SET", "k", "v", "NX", "GET"}) == "_\r\n");
  CHECK(Raw(t, {"SET", "k", "w", "NX"}) == "_\r\n");
  CHECK(Raw(t, {"MGET", "missing", "k"}) == "*2\r\n_\r\n$1\r\nv\r\n");
  CHECK(Raw(t, {"GETDEL", "missing"}) == "_\r\n");
  t.Run({"MSET", "a", "ohmytext", "b", "mynewtext"});
  RespValue r = t.Run({"LCS", "a", "b", "IDX"});
  CHECK(r.type == RespValue::kMap);
  CHECK(r.at("len") == 6);
  CHECK(Raw(t, {"INCRBYFLOAT", "f", "1.5"}) == "$3\r\n1.5\r\n");
}

TEST_CASE("String commands count dirty like Redis", "[strings][dirty]") {
  TestServer t;
  struct Case {
    std::vector<std::string> cmd;
    uint64_t delta;
  };
  std::vector<Case> cases = {
      {{"SET", "k", "v"}, 1},
      {{"SET", "k", "v", "NX"}, 0},
      {{"SET", "k2", "v", "XX"}, 0},
      {{"SET", "k", "v", "XX", "GET"}, 1},
      {{"SETNX", "k", "v"}, 0},
      {{"APPEND", "k", ""}, 1},
      {{"APPEND", "newk", ""}, 1},
      {{"SETRANGE", "k", "0", ""}, 0},
      {{"SETRANGE", "nk", "0", ""}, 0},
      {{"SETRANGE", "k", "1", "x"}, 1},
      {{"MSET", "a", "1", "b", "2", "c", "3"}, 3},
      {{"MSETNX", "a", "1", "z", "2"}, 0},
      {{"MSETNX", "y", "1", "z", "2"}, 2},
      {{"GETEX", "k", "PERSIST"}, 0},
      {{"GETEX", "k", "EX", "100"}, 1},
      {{"GETEX", "k", "PERSIST"}, 1},
      {{"GETEX", "k"}, 0},
      {{"GETDEL", "nope"}, 0},
      {{"GETDEL", "k"}, 1},
      {{"INCRBYFLOAT", "f", "1.5"}, 1},
      {{"INCR", "i"}, 1},
      {{"INCR", "f"}, 0},
      {{"GETSET", "i", "5"}, 1},
      {{"SETEX", "se", "10", "v"}, 1},
      {{"SET", "s", "v", "EXAT", "1"}, 1},
      {{"LCS", "a", "b"}, 0},
      {{"GET", "a"}, 0},
  };
  for (const Case& c : cases) {
    uint64_t before = Dirty(t);
    t.Run(c.cmd);
    INFO(c.cmd[0] << " " << c.cmd[1]);
    CHECK(Dirty(t) - before == c.delta);
  }
}

TEST_CASE("ComputeLcs directly", "[strings][lcs]") {
  ordis::LcsOptions opt;
  opt.want_matches = true;
  auto r = ordis::ComputeLcs("", "abc", opt, 1 << 20);
  REQUIRE(r.ok());
  CHECK(r->len == 0);
  CHECK(r->matches.empty());
  r = ordis::ComputeLcs("abc", "abc", opt, 1 << 20);
  REQUIRE(r.ok());
  CHECK(r->lcs == "abc");
  REQUIRE(r->matches.size() == 1);
  CHECK(r->matches[0].a_start == 0);
  CHECK(r->matches[0].a_end == 2);
  CHECK(r->matches[0].len == 3);
  CHECK(ordis::ComputeLcs("abc", "abc", opt, 63).status() == ordis::OpStatus::kTooBig);
  CHECK(ordis::ComputeLcs("abc", "abc", opt, 64).ok());
}

TEST_CASE("SET's key flags depend on GET, without movablekeys", "[strings][command]") {
  ordis::test::TestServer t;
  auto r = t.Run({"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1"});
  REQUIRE(r.size() == 1);
  CHECK(r[0][0] == "k1");
  CHECK(r[0][1].strings() == std::vector<std::string>{"OW", "update"});
  r = t.Run({"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1", "get"});
  CHECK(r[0][1].strings() == std::vector<std::string>{"RW", "access", "update"});
  auto info = t.Run({"COMMAND", "INFO", "set"});
  auto flags = info[0][2].strings();
  CHECK(std::find(flags.begin(), flags.end(), "movablekeys") == flags.end());
}
