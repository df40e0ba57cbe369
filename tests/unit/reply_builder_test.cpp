#include "resp/reply_builder.h"

#include <catch2/catch.hpp>
#include <limits>

using ordis::ByteBuffer;
using ordis::ReplyBuilder;

namespace {
std::string Out(ByteBuffer& b) {
  std::string s(b.view());
  b.Clear();
  return s;
}
}  // namespace

TEST_CASE("RESP2 encodings", "[resp]") {
  ByteBuffer b;
  ReplyBuilder r(&b, 2);
  r.Ok();
  CHECK(Out(b) == "+OK\r\n");
  r.Simple("PONG");
  CHECK(Out(b) == "+PONG\r\n");
  r.Integer(-42);
  CHECK(Out(b) == ":-42\r\n");
  r.Integer(std::numeric_limits<int64_t>::min());
  CHECK(Out(b) == ":-9223372036854775808\r\n");
  r.Bulk("hello");
  CHECK(Out(b) == "$5\r\nhello\r\n");
  r.Bulk("");
  CHECK(Out(b) == "$0\r\n\r\n");
  r.Null();
  CHECK(Out(b) == "$-1\r\n");
  r.NullArray();
  CHECK(Out(b) == "*-1\r\n");
  r.MapHeader(2);
  CHECK(Out(b) == "*4\r\n");
  r.SetHeader(3);
  CHECK(Out(b) == "*3\r\n");
  r.Double(1.5);
  CHECK(Out(b) == "$3\r\n1.5\r\n");
  r.Bool(true);
  CHECK(Out(b) == ":1\r\n");
  r.Verbatim("text");
  CHECK(Out(b) == "$4\r\ntext\r\n");
  r.BigNumber("1234567999999999999999999999999999999");
  CHECK(Out(b) == "$37\r\n1234567999999999999999999999999999999\r\n");
}

TEST_CASE("RESP3 encodings", "[resp]") {
  ByteBuffer b;
  ReplyBuilder r(&b, 3);
  r.Null();
  CHECK(Out(b) == "_\r\n");
  r.NullArray();
  CHECK(Out(b) == "_\r\n");
  r.MapHeader(2);
  CHECK(Out(b) == "%2\r\n");
  r.SetHeader(3);
  CHECK(Out(b) == "~3\r\n");
  r.PushHeader(3);
  CHECK(Out(b) == ">3\r\n");
  r.Double(3.141);
  CHECK(Out(b) == ",3.141\r\n");
  r.Double(std::numeric_limits<double>::infinity());
  CHECK(Out(b) == ",inf\r\n");
  r.Bool(false);
  CHECK(Out(b) == "#f\r\n");
  r.BigNumber("123");
  CHECK(Out(b) == "(123\r\n");
  r.Verbatim("This is a verbatim\nstring");
  CHECK(Out(b) == "=29\r\ntxt:This is a verbatim\nstring\r\n");
}

TEST_CASE("errors are single-line and counted", "[resp]") {
  ByteBuffer b;
  ReplyBuilder r(&b, 2);
  std::string code;
  r.set_error_hook([](void* arg, std::string_view c) { *static_cast<std::string*>(arg) = c; },
                   &code);
  r.Error("ERR bad\r\nthing");
  CHECK(Out(b) == "-ERR bad  thing\r\n");
  CHECK(code == "ERR");
  r.Error("-WRONGTYPE Operation");
  CHECK(Out(b) == "-WRONGTYPE Operation\r\n");
  CHECK(code == "WRONGTYPE");
  CHECK(r.errors_written() == 2);
}

TEST_CASE("large bulk replies", "[resp]") {
  ByteBuffer b;
  ReplyBuilder r(&b, 2);
  std::string big(10 * 1024 * 1024, 'x');
  r.Bulk(big);
  CHECK(b.size() == big.size() + 13);  // "$10485760\r\n" + data + "\r\n"
  CHECK(b.view().substr(0, 11) == "$10485760\r\n");
}
