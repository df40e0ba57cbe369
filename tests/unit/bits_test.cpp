// Bitmap commands against Redis 7.0.15's replies and error texts, plus
// randomized cross-checks of the word-at-a-time code against bit loops.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/bit_ops.h"

using ordis::BitRange;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

struct FakeObject : ordis::Object {
  Object* Clone() const override { return new FakeObject; }
  size_t MemoryUsage() const override { return 16; }
  const char* EncodingName() const override { return "listpack"; }
};

void AddList(TestServer& t, const std::string& key) {
  t.server().keyspace().db(0).Add(
      ordis::NewObjectEntry(key, ordis::ValueType::kList, new FakeObject));
}

ordis::Entry* Find(TestServer& t, const std::string& key) {
  return t.server().keyspace().db(0).FindQuiet(key);
}

uint64_t Dirty(TestServer& t) {
  return t.server().stats().dirty;
}

std::vector<int64_t> Ints(const RespValue& v) {
  std::vector<int64_t> out;
  for (const RespValue& e : v.elems) out.push_back(e.is_null() ? -999999 : e.integer);
  return out;
}

int Bit(const std::string& s, int64_t pos) {
  if (pos / 8 >= static_cast<int64_t>(s.size())) return 0;
  return (static_cast<unsigned char>(s[static_cast<size_t>(pos / 8)]) >> (7 - pos % 8)) & 1;
}

constexpr const char* kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr const char* kNotInt = "ERR value is not an integer or out of range";
constexpr const char* kBadOffset = "ERR bit offset is not an integer or out of range";
constexpr const char* kBadType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";

}  // namespace

TEST_CASE("SETBIT and GETBIT", "[bits]") {
  TestServer t;
  CHECK(t.Run({"SETBIT", "k", "1", "1"}) == 0);
  CHECK(t.Run({"GET", "k"}) == "\x40");
  CHECK(t.Run({"SETBIT", "k", "1", "1"}) == 1);
  CHECK(t.Run({"SETBIT", "k", "1", "0"}) == 1);
  CHECK(t.Run({"GET", "k"}) == std::string(1, '\0'));
  CHECK(t.Run({"SETBIT", "k", "100", "1"}) == 0);
  CHECK(t.Run({"GET", "k"}).str.size() == 13);
  CHECK(t.Run({"GETBIT", "k", "100"}) == 1);
  CHECK(t.Run({"GETBIT", "k", "99"}) == 0);
  CHECK(t.Run({"GETBIT", "k", "100000"}) == 0);
  CHECK(t.Run({"GETBIT", "missing", "0"}) == 0);
  CHECK(std::string(Find(t, "k")->EncodingName()) == "raw");

  CHECK(t.Run({"SETBIT", "k", "-1", "1"}).str == kBadOffset);
  CHECK(t.Run({"SETBIT", "k", "x", "1"}).str == kBadOffset);
  CHECK(t.Run({"SETBIT", "k", "4294967296", "1"}).str == kBadOffset);  // >= 512MB * 8
  CHECK(t.Run({"GETBIT", "k", "4294967296"}).str == kBadOffset);
  CHECK(t.Run({"GETBIT", "k", "-1"}).str == kBadOffset);
  for (const char* v : {"2", "-1", "abc", "1.0"})
    CHECK(t.Run({"SETBIT", "k", "0", v}).str == "ERR bit is not an integer or out of range");

  // Integer-encoded values are read as their decimal text.
  t.Run({"SET", "n", "1"});  // '1' = 0x31 = 00110001
  CHECK(t.Run({"GETBIT", "n", "2"}) == 1);
  CHECK(t.Run({"GETBIT", "n", "3"}) == 1);
  CHECK(t.Run({"GETBIT", "n", "4"}) == 0);
  CHECK(t.Run({"GETBIT", "n", "7"}) == 1);
  CHECK(t.Run({"SETBIT", "n", "6", "1"}) == 0);  // 0x33 = '3'
  CHECK(t.Run({"GET", "n"}) == "3");
  CHECK(std::string(Find(t, "n")->EncodingName()) == "raw");

  AddList(t, "lst");
  CHECK(t.Run({"SETBIT", "lst", "0", "1"}).is_error(kWrongType));
  CHECK(t.Run({"GETBIT", "lst", "0"}).is_error(kWrongType));
}

TEST_CASE("SETBIT respects proto-max-bulk-len", "[bits]") {
  ordis::Config cfg;
  cfg.proto_max_bulk_len = 10;
  TestServer t(cfg);
  CHECK(t.Run({"SETBIT", "k", "79", "1"}) == 0);
  CHECK(t.Run({"SETBIT", "k", "80", "1"}).str == kBadOffset);
  CHECK(t.Run({"BITFIELD", "k", "GET", "u8", "80"}).str == kBadOffset);
  CHECK(t.Run({"BITFIELD", "k", "GET", "u8", "#10"}).str == kBadOffset);
  CHECK(Ints(t.Run({"BITFIELD", "k", "GET", "u8", "#9"})) == std::vector<int64_t>{1});
}

TEST_CASE("SETBIT fuzzing against a model", "[bits]") {
  TestServer t;
  std::mt19937 rng(7);
  std::string model;
  for (int i = 0; i < 500; ++i) {
    int64_t off = rng() % 4096;
    int bit = static_cast<int>(rng() % 2);
    size_t byte = static_cast<size_t>(off / 8);
    if (model.size() <= byte) model.resize(byte + 1, '\0');
    int old = Bit(model, off);
    auto mask = static_cast<unsigned char>(1u << (7 - off % 8));
    model[byte] = static_cast<char>(bit ? (model[byte] | mask) : (model[byte] & ~mask));
    REQUIRE(t.Run({"SETBIT", "k", std::to_string(off), std::to_string(bit)}) == old);
  }
  CHECK(t.Run({"GET", "k"}) == model);
}

TEST_CASE("BITCOUNT", "[bits]") {
  TestServer t;
  CHECK(t.Run({"BITCOUNT", "missing"}) == 0);
  CHECK(t.Run({"BITCOUNT", "missing", "a", "b"}) == 0);  // missing key: args unchecked
  t.Run({"SET", "s", "foobar"});
  CHECK(t.Run({"BITCOUNT", "s"}) == 26);
  CHECK(t.Run({"BITCOUNT", "s", "0", "0"}) == 4);
  CHECK(t.Run({"BITCOUNT", "s", "1", "1"}) == 6);
  CHECK(t.Run({"BITCOUNT", "s", "1", "1", "BIT"}) == 1);
  CHECK(t.Run({"BITCOUNT", "s", "5", "30", "bit"}) == 17);
  CHECK(t.Run({"BITCOUNT", "s", "-3", "-1", "BIT"}) == 1);
  CHECK(t.Run({"BITCOUNT", "s", "0", "-1", "BYTE"}) == 26);
  CHECK(t.Run({"BITCOUNT", "s", "100", "200"}) == 0);
  CHECK(t.Run({"BITCOUNT", "s", "-1", "-100"}) == 0);
  CHECK(t.Run({"BITCOUNT", "s", "-100", "-1"}) == 26);
  CHECK(t.Run({"BITCOUNT", "s", "-9223372036854775808", "9223372036854775807", "bit"}) == 26);
  // Negative start > end returns 0 before the unit is even parsed.
  CHECK(t.Run({"BITCOUNT", "s", "-1", "-2", "foo"}) == 0);
  CHECK(t.Run({"BITCOUNT", "s", "0", "-1", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"BITCOUNT", "s", "0"}).str == "ERR syntax error");
  CHECK(t.Run({"BITCOUNT", "s", "0", "1", "bit", "x"}).str == "ERR syntax error");
  CHECK(t.Run({"BITCOUNT", "s", "a", "b"}).str == kNotInt);
  t.Run({"SET", "e", ""});
  CHECK(t.Run({"BITCOUNT", "e"}) == 0);
  CHECK(t.Run({"BITCOUNT", "e", "0", "-1"}) == 0);
  t.Run({"SET", "n", "1234"});
  CHECK(t.Run({"BITCOUNT", "n"}) == 13);
  AddList(t, "lst");
  CHECK(t.Run({"BITCOUNT", "lst"}).is_error(kWrongType));
}

TEST_CASE("BITCOUNT and BITPOS agree with a bit loop", "[bits]") {
  std::mt19937 rng(11);
  for (int iter = 0; iter < 300; ++iter) {
    std::string s(rng() % 70, '\0');
    int density = static_cast<int>(rng() % 4);
    for (char& c : s) {
      int kind = static_cast<int>(rng() % 4);
      c = static_cast<char>(kind < density ? (rng() % 2 ? 0xFF : rng()) : 0);
    }
    const auto bits = static_cast<int64_t>(s.size() * 8);
    int64_t total = 0;
    for (int64_t i = 0; i < bits; ++i) total += Bit(s, i);
    REQUIRE(ordis::BitCount(s, nullptr) == total);
    if (bits == 0) continue;
    int64_t a = static_cast<int64_t>(rng() % bits), b = static_cast<int64_t>(rng() % bits);
    if (a > b) std::swap(a, b);
    BitRange r{a, b, true, true};
    int64_t expect = 0, first1 = -1, first0 = -1;
    for (int64_t i = a; i <= b; ++i) {
      expect += Bit(s, i);
      if (first1 < 0 && Bit(s, i)) first1 = i;
      if (first0 < 0 && !Bit(s, i)) first0 = i;
    }
    INFO("iter " << iter << " range " << a << ".." << b);
    REQUIRE(ordis::BitCount(s, &r) == expect);
    REQUIRE(ordis::BitPos(s, 1, &r) == first1);
    REQUIRE(ordis::BitPos(s, 0, &r) == first0);
    // Whole-string search: a 0 past the end counts when no end is given.
    int64_t all1 = -1, all0 = -1;
    for (int64_t i = 0; i < bits; ++i) {
      if (all1 < 0 && Bit(s, i)) all1 = i;
      if (all0 < 0 && !Bit(s, i)) all0 = i;
    }
    REQUIRE(ordis::BitPos(s, 1, nullptr) == all1);
    REQUIRE(ordis::BitPos(s, 0, nullptr) == (all0 < 0 ? bits : all0));
  }
}

TEST_CASE("BITPOS", "[bits]") {
  TestServer t;
  CHECK(t.Run({"BITPOS", "missing", "0"}) == 0);
  CHECK(t.Run({"BITPOS", "missing", "1"}) == -1);
  CHECK(t.Run({"BITPOS", "missing", "1", "abc"}) == -1);
  CHECK(t.Run({"BITPOS", "missing", "2"}).str == "ERR The bit argument must be 1 or 0.");
  CHECK(t.Run({"BITPOS", "missing", "x"}).str == kNotInt);
  t.Run({"SET", "f", "\xff\xff\xff"});
  CHECK(t.Run({"BITPOS", "f", "0"}) == 24);
  CHECK(t.Run({"BITPOS", "f", "0", "1"}) == 24);
  CHECK(t.Run({"BITPOS", "f", "0", "0", "-1"}) == -1);  // explicit end: no padding
  CHECK(t.Run({"BITPOS", "f", "0", "0", "-1", "bit"}) == -1);
  CHECK(t.Run({"BITPOS", "f", "1", "5", "10", "BIT"}) == 5);
  CHECK(t.Run({"BITPOS", "f", "1", "10", "5"}) == -1);
  // No early check for negative ranges: both clamp to byte 0.
  CHECK(t.Run({"BITPOS", "f", "1", "-20", "-30"}) == 0);
  t.Run({"SET", "z", std::string(18, '\0') + "\x01"});
  CHECK(t.Run({"BITPOS", "z", "1"}) == 151);
  CHECK(t.Run({"BITPOS", "z", "0"}) == 0);
  CHECK(t.Run({"BITPOS", "z", "1", "3", "-1"}) == 151);
  CHECK(t.Run({"BITPOS", "z", "1", "0", "150", "bit"}) == -1);
  CHECK(t.Run({"BITPOS", "z", "1", "0", "151", "bit"}) == 151);
  t.Run({"SET", "o", std::string(18, '\xff') + "\xfe"});
  CHECK(t.Run({"BITPOS", "o", "0"}) == 151);
  CHECK(t.Run({"BITPOS", "o", "0", "1", "-2"}) == -1);
  CHECK(t.Run({"BITPOS", "o", "0", "-1", "-1", "bit"}) == 151);
  t.Run({"SET", "e", ""});
  CHECK(t.Run({"BITPOS", "e", "0"}) == -1);
  CHECK(t.Run({"BITPOS", "e", "1"}) == -1);
  CHECK(t.Run({"BITPOS", "e", "0", "0"}) == -1);

  t.Run({"SET", "s", "foobar"});
  CHECK(t.Run({"BITPOS", "s", "1", "abc"}).str == kNotInt);
  CHECK(t.Run({"BITPOS", "s", "1", "0", "abc"}).str == kNotInt);
  // The unit is parsed before the end.
  CHECK(t.Run({"BITPOS", "s", "1", "0", "abc", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"BITPOS", "s", "1", "0", "1", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"BITPOS", "s", "1", "0", "1", "bit", "x"}).str == "ERR syntax error");
  AddList(t, "lst");
  CHECK(t.Run({"BITPOS", "lst", "1"}).is_error(kWrongType));
}

TEST_CASE("BITOP", "[bits]") {
  TestServer t;
  t.Run({"MSET", "a", "foobar", "b", "\xff\xff\xff"});
  CHECK(t.Run({"BITOP", "AND", "d", "a", "b"}) == 6);
  CHECK(t.Run({"GET", "d"}) == std::string("foo\0\0\0", 6));
  CHECK(t.Run({"BITOP", "or", "d", "a", "b", "missing"}) == 6);
  CHECK(t.Run({"GET", "d"}) ==
        "\xff\xff\xff"
        "bar");
  CHECK(t.Run({"BITOP", "XOR", "d", "a", "b"}) == 6);
  CHECK(t.Run({"GET", "d"}) ==
        "\x99\x90\x90"
        "bar");
  CHECK(t.Run({"BITOP", "NOT", "d", "b"}) == 3);
  CHECK(t.Run({"GET", "d"}) == std::string(3, '\0'));
  CHECK(std::string(Find(t, "d")->EncodingName()) == "raw");
  CHECK(t.Run({"BITOP", "NOT", "d", "a", "b"}).str ==
        "ERR BITOP NOT must be called with a single source key.");
  CHECK(t.Run({"BITOP", "NAND", "d", "a"}).str == "ERR syntax error");
  // An all-empty result deletes the destination.
  CHECK(t.Run({"BITOP", "AND", "d", "missing", "missing2"}) == 0);
  CHECK(Find(t, "d") == nullptr);
  // Destination may be a source; integers are used as text.
  t.Run({"SET", "n", "12"});
  CHECK(t.Run({"BITOP", "OR", "n", "n", "a"}) == 6);
  CHECK(t.Run({"GET", "n"}) ==
        "w\x7f"
        "obar");
  // The destination loses its TTL.
  t.Run({"SET", "ttl", "x", "PXAT", "4000000000000"});
  t.Run({"BITOP", "OR", "ttl", "a"});
  CHECK(t.server().keyspace().db(0).GetExpire(Find(t, "ttl")) == -1);
  AddList(t, "lst");
  CHECK(t.Run({"BITOP", "AND", "d", "a", "lst"}).is_error(kWrongType));
  // A non-string destination is simply replaced.
  CHECK(t.Run({"BITOP", "OR", "lst", "a"}) == 6);
  CHECK(t.Run({"GET", "lst"}) == "foobar");
}

TEST_CASE("BITOP fuzzing against byte loops", "[bits]") {
  TestServer t;
  std::mt19937 rng(3);
  for (int iter = 0; iter < 60; ++iter) {
    std::vector<std::string> vals(1 + rng() % 4);
    std::vector<std::string> cmd = {"BITOP", "", "dest"};
    for (size_t i = 0; i < vals.size(); ++i) {
      vals[i].resize(rng() % 80);
      for (char& c : vals[i]) c = static_cast<char>(rng());
      std::string key = "src" + std::to_string(i);
      t.Run({"SET", key, vals[i]});
      cmd.push_back(key);
    }
    size_t maxlen = 0;
    for (auto& v : vals) maxlen = std::max(maxlen, v.size());
    auto byte = [&](size_t i, size_t j) -> unsigned char {
      return j < vals[i].size() ? static_cast<unsigned char>(vals[i][j]) : 0;
    };
    for (const char* op : {"AND", "OR", "XOR", "NOT"}) {
      if (std::string(op) == "NOT" && vals.size() != 1) continue;
      cmd[1] = op;
      std::string expect(maxlen, '\0');
      for (size_t j = 0; j < maxlen; ++j) {
        unsigned char out = byte(0, j);
        if (std::string(op) == "NOT") out = static_cast<unsigned char>(~out);
        for (size_t i = 1; i < vals.size(); ++i) {
          if (std::string(op) == "AND") out &= byte(i, j);
          if (std::string(op) == "OR") out |= byte(i, j);
          if (std::string(op) == "XOR") out ^= byte(i, j);
        }
        expect[j] = static_cast<char>(out);
      }
      REQUIRE(t.Run(cmd) == static_cast<int64_t>(maxlen));
      if (maxlen) REQUIRE(t.Run({"GET", "dest"}).str == expect);
    }
  }
}

TEST_CASE("BITFIELD basics", "[bits][bitfield]") {
  TestServer t;
  CHECK(t.Run({"BITFIELD", "k"}).size() == 0);
  CHECK(t.Run({"BITFIELD", "k"}).is_array());
  CHECK(Ints(t.Run({"BITFIELD", "k", "SET", "i8", "0", "-100", "GET", "u8", "0", "GET", "i8",
                    "0"})) == std::vector<int64_t>{0, 156, -100});
  CHECK(Ints(t.Run({"BITFIELD", "k", "set", "u8", "0", "255", "get", "u8", "0"})) ==
        std::vector<int64_t>{156, 255});
  CHECK(Ints(t.Run({"BITFIELD", "k", "SET", "u8", "#1", "7", "GET", "u8", "8"})) ==
        std::vector<int64_t>{0, 7});
  CHECK(Ints(t.Run({"BITFIELD", "k", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2",
                    "102", "1"})) == std::vector<int64_t>{1, 1});
  // Fields crossing byte boundaries and reading past the end.
  CHECK(Ints(t.Run({"BITFIELD", "x", "SET", "u8", "7", "255", "GET", "u16", "0", "GET", "i16",
                    "0"})) == std::vector<int64_t>{0, 510, 510});
  CHECK(t.Run({"GET", "x"}) == std::string("\x01\xfe", 2));
  CHECK(Ints(t.Run({"BITFIELD", "y", "SET", "i64", "5", "-1", "GET", "i64", "5", "GET", "u16", "65",
                    "GET", "u8", "0"})) == std::vector<int64_t>{0, -1, 61440, 7});
  CHECK(Ints(t.Run({"BITFIELD", "y", "GET", "u63", "1000"})) == std::vector<int64_t>{0});
  t.Run({"SET", "n", "12"});
  CHECK(Ints(t.Run({"BITFIELD", "n", "GET", "u8", "0", "GET", "u8", "8"})) ==
        std::vector<int64_t>{'1', '2'});
  CHECK(Ints(t.Run({"BITFIELD", "n", "SET", "u8", "16", "65"})) == std::vector<int64_t>{0});
  CHECK(t.Run({"GET", "n"}) == "12A");
  // A read-only BITFIELD does not create the key.
  CHECK(Ints(t.Run({"BITFIELD", "ro", "GET", "u8", "100"})) == std::vector<int64_t>{0});
  CHECK(Find(t, "ro") == nullptr);
}

TEST_CASE("BITFIELD overflow handling", "[bits][bitfield]") {
  TestServer t;
  auto bf = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"BITFIELD", "k"});
    return Ints(t.Run(args));
  };
  const int64_t kNull = -999999;
  CHECK(bf({"SET", "u8", "0", "256", "GET", "u8", "0"}) == std::vector<int64_t>{0, 0});
  CHECK(bf({"OVERFLOW", "SAT", "SET", "u8", "0", "256", "GET", "u8", "0"}) ==
        std::vector<int64_t>{0, 255});
  // Redis compares SET values as unsigned: -1 saturates to the maximum.
  CHECK(bf({"OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0"}) ==
        std::vector<int64_t>{255, 255});
  CHECK(bf({"OVERFLOW", "FAIL", "SET", "u8", "0", "-1", "GET", "u8", "0"}) ==
        std::vector<int64_t>{kNull, 255});
  CHECK(bf({"OVERFLOW", "SAT", "SET", "i8", "0", "-1000", "GET", "i8", "0"}) ==
        std::vector<int64_t>{-1, -128});
  CHECK(bf({"OVERFLOW", "SAT", "SET", "i8", "0", "1000", "GET", "i8", "0"}) ==
        std::vector<int64_t>{-128, 127});
  CHECK(bf({"OVERFLOW", "WRAP", "SET", "i8", "0", "1000", "GET", "i8", "0"}) ==
        std::vector<int64_t>{127, -24});
  CHECK(bf({"OVERFLOW", "FAIL", "SET", "i8", "0", "128"}) == std::vector<int64_t>{kNull});
  CHECK(bf({"OVERFLOW", "FAIL", "SET", "i8", "0", "127"}) == std::vector<int64_t>{-24});

  CHECK(bf({"SET", "u2", "102", "3"}) == std::vector<int64_t>{0});
  CHECK(bf({"OVERFLOW", "FAIL", "INCRBY", "u2", "102", "1"}) == std::vector<int64_t>{kNull});
  CHECK(bf({"OVERFLOW", "FAIL", "INCRBY", "u2", "102", "-10"}) == std::vector<int64_t>{kNull});
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "u2", "102", "-10"}) == std::vector<int64_t>{0});
  CHECK(bf({"OVERFLOW", "WRAP", "INCRBY", "u2", "102", "-10"}) == std::vector<int64_t>{2});
  CHECK(bf({"INCRBY", "u2", "102", "3"}) == std::vector<int64_t>{1});  // (2 + 3) mod 4
  CHECK(bf({"SET", "i5", "3", "0"}).size() == 1);
  CHECK(bf({"INCRBY", "i5", "3", "100"}) == std::vector<int64_t>{4});
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "i5", "3", "100"}) == std::vector<int64_t>{15});
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "i5", "3", "-100"}) == std::vector<int64_t>{-16});
  CHECK(bf({"OVERFLOW", "WRAP", "INCRBY", "i5", "3", "-100"}) == std::vector<int64_t>{12});

  // 64-bit signed and 63-bit unsigned limits.
  CHECK(bf({"SET", "i64", "3", "-9223372036854775808", "GET", "i64", "3"})[1] == INT64_MIN);
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "i64", "3", "-1"}) == std::vector<int64_t>{INT64_MIN});
  CHECK(bf({"OVERFLOW", "WRAP", "INCRBY", "i64", "3", "-1"}) == std::vector<int64_t>{INT64_MAX});
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "i64", "3", "1"}) == std::vector<int64_t>{INT64_MAX});
  CHECK(bf({"OVERFLOW", "FAIL", "INCRBY", "i64", "3", "1"}) == std::vector<int64_t>{kNull});
  CHECK(bf({"SET", "u63", "7", "9223372036854775807"}).size() == 1);
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "u63", "7", "1"}) ==
        std::vector<int64_t>{9223372036854775807});
  CHECK(bf({"OVERFLOW", "WRAP", "INCRBY", "u63", "7", "5"}) == std::vector<int64_t>{4});
  CHECK(bf({"OVERFLOW", "SAT", "INCRBY", "u63", "7", "-9223372036854775808"}) ==
        std::vector<int64_t>{0});
}

TEST_CASE("BITFIELD wrap matches modular arithmetic", "[bits][bitfield]") {
  TestServer t;
  std::mt19937_64 rng(5);
  for (int iter = 0; iter < 300; ++iter) {
    bool is_signed = rng() % 2;
    int bits = 1 + static_cast<int>(rng() % (is_signed ? 64 : 63));
    std::string type = (is_signed ? "i" : "u") + std::to_string(bits);
    auto v = static_cast<int64_t>(rng());
    auto incr = static_cast<int64_t>(rng()) >> (rng() % 64);
    RespValue r = t.Run({"BITFIELD", "w", "SET", type, "13", std::to_string(v), "INCRBY", type,
                         "13", std::to_string(incr)});
    REQUIRE(r.size() == 2);
    uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    uint64_t raw = (static_cast<uint64_t>(v) + static_cast<uint64_t>(incr)) & mask;
    int64_t expect = static_cast<int64_t>(raw);
    if (is_signed && bits < 64 && ((raw >> (bits - 1)) & 1))
      expect = static_cast<int64_t>(raw | ~mask);
    INFO(type << " " << v << " + " << incr);
    REQUIRE(r[1].integer == expect);
  }
}

TEST_CASE("BITFIELD errors", "[bits][bitfield]") {
  TestServer t;
  for (const char* type : {"u64", "i65", "i0", "I8", "x8", "i", "", "u-1", "i08"})
    CHECK(t.Run({"BITFIELD", "k", "GET", type, "0"}).str == kBadType);
  for (const char* off : {"-1", "abc", "#", "#-1", "4294967296", "#536870912"})
    CHECK(t.Run({"BITFIELD", "k", "GET", "i8", off}).str == kBadOffset);
  CHECK(t.Run({"BITFIELD", "k", "SET", "i8", "0"}).str == "ERR syntax error");
  CHECK(t.Run({"BITFIELD", "k", "GET", "i8"}).str == "ERR syntax error");
  CHECK(t.Run({"BITFIELD", "k", "FOO"}).str == "ERR syntax error");
  CHECK(t.Run({"BITFIELD", "k", "OVERFLOW"}).str == "ERR syntax error");
  CHECK(t.Run({"BITFIELD", "k", "OVERFLOW", "foo", "GET", "i8", "0"}).str ==
        "ERR Invalid OVERFLOW type specified");
  CHECK(t.Run({"BITFIELD", "k", "SET", "i8", "0", "abc"}).str == kNotInt);
  CHECK(t.Run({"BITFIELD", "k", "INCRBY", "i8", "0", "9223372036854775808"}).str == kNotInt);
  CHECK(Find(t, "k") == nullptr);
  CHECK(t.Run({"BITFIELD", "k", "OVERFLOW", "FAIL"}).size() == 0);

  CHECK(Ints(t.Run({"BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u4", "3"})) ==
        std::vector<int64_t>{0, 0});
  CHECK(t.Run({"BITFIELD_RO", "k"}).size() == 0);
  CHECK(t.Run({"BITFIELD_RO", "k", "SET", "i8", "0", "1"}).str ==
        "ERR BITFIELD_RO only supports the GET subcommand");
  CHECK(t.Run({"BITFIELD_RO", "k", "GET", "i8", "0", "INCRBY", "i8", "0", "1"}).str ==
        "ERR BITFIELD_RO only supports the GET subcommand");
  CHECK(t.Run({"BITFIELD_RO", "k", "GET", "i8", "0", "OVERFLOW", "SAT"}).size() == 1);

  AddList(t, "lst");
  CHECK(t.Run({"BITFIELD", "lst", "GET", "u8", "0"}).is_error(kWrongType));
  CHECK(t.Run({"BITFIELD", "lst", "SET", "u8", "0", "1"}).is_error(kWrongType));
  CHECK(t.Run({"BITFIELD", "lst"}).is_error(kWrongType));
  // The RO restriction is checked before the key type.
  CHECK(t.Run({"BITFIELD_RO", "lst", "SET", "u8", "0", "1"}).str ==
        "ERR BITFIELD_RO only supports the GET subcommand");
}

TEST_CASE("SETBIT and BITFIELD count dirty only on change", "[bits][dirty]") {
  TestServer t;
  struct Case {
    std::vector<std::string> cmd;
    uint64_t delta;
  };
  std::vector<Case> cases = {
      {{"SETBIT", "foo", "0", "0"}, 1},  // created
      {{"BITFIELD", "foo2", "SET", "i5", "0", "0"}, 1},
      {{"SETBIT", "foo", "0", "0"}, 0},
      {{"BITFIELD", "foo2", "SET", "i5", "0", "0"}, 0},
      {{"SETBIT", "foo", "0", "1"}, 1},
      {{"SETBIT", "foo", "0", "1"}, 0},
      {{"BITFIELD", "foo2", "SET", "i5", "0", "1"}, 1},
      {{"BITFIELD", "foo2", "SET", "i5", "0", "1", "SET", "i5", "0", "2"}, 1},
      {{"BITFIELD", "foo3", "INCRBY", "i5", "0", "1"}, 1},
      {{"BITFIELD", "foo3", "INCRBY", "i5", "0", "1"}, 1},
      {{"SETBIT", "foo", "90", "0"}, 1},  // length change only
      {{"BITFIELD", "foo2", "SET", "i5", "90", "0"}, 1},
      {{"BITFIELD", "foo2", "GET", "i5", "90"}, 0},
      // FAIL creates the key but changes nothing that counts.
      {{"BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10"}, 0},
      {{"BITOP", "AND", "d1", "nope"}, 0},
      {{"BITOP", "AND", "foo", "nope"}, 1},  // deletes foo
      {{"BITOP", "OR", "d2", "foo2"}, 1},
      {{"GETBIT", "d2", "0"}, 0},
  };
  for (const Case& c : cases) {
    uint64_t before = Dirty(t);
    t.Run(c.cmd);
    INFO(c.cmd[0] << " " << c.cmd[1] << " " << c.cmd[2]);
    CHECK(Dirty(t) - before == c.delta);
  }
  CHECK(t.Run({"GET", "bf"}) == std::string(1, '\0'));
}

TEST_CASE("Bit commands in RESP3", "[bits][resp3]") {
  TestServer t;
  t.client().proto = 3;
  t.client().reply.set_proto(3);
  ordis::Client& c = t.client();
  c.out.Clear();
  std::vector<std::string> args = {"BITFIELD", "k",  "OVERFLOW", "FAIL", "INCRBY", "u2",
                                   "0",        "10", "GET",      "u2",   "0"};
  std::vector<std::string_view> views(args.begin(), args.end());
  t.server().Dispatch(c, views);
  CHECK(std::string(c.out.view()) == "*2\r\n_\r\n:0\r\n");
  c.out.Clear();
}
