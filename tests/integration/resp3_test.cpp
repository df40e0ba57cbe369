// RESP3 over a real socket, switched on by HELLO 3. Depends on HELLO
// (connection family), hence the [needs:hello] tag.
#include <catch2/catch.hpp>

#include "fixture.h"

using namespace ordis::it;

TEST_CASE("HELLO 3 switches the connection to RESP3", "[resp3][needs:hello]") {
  ServerProcess srv;
  Witness w(srv);
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"HELLO", "3"})));
  Reply hello = c.Read();
  REQUIRE(hello.type == Reply::kMap);
  CHECK(hello.at("proto") == 3);
  CHECK(hello.at("server").ok());
  CHECK(hello.at("version").ok());
  CHECK(hello.at("id").type == Reply::kInteger);
  // RESP3 null, then a pipeline answered in order.
  REQUIRE(c.Send(Resp({"GET", "nokey"})));
  CHECK(c.Read().is_null());
  CHECK(c.last_raw() == "_\r\n");
  std::string pipe;
  for (int i = 0; i < 2000; ++i) pipe += Resp({"SET", "r3:" + std::to_string(i), "v"});
  for (int i = 0; i < 2000; ++i) pipe += Resp({"GET", "r3:" + std::to_string(i)});
  REQUIRE(c.Send(pipe));
  int ok = 0, v = 0;
  for (int i = 0; i < 2000; ++i) ok += c.Read() == "OK";
  for (int i = 0; i < 2000; ++i) v += c.Read() == "v";
  CHECK(ok == 2000);
  CHECK(v == 2000);
  // Unsupported version: error, protocol unchanged.
  REQUIRE(c.Send(Resp({"HELLO", "4"})));
  CHECK(c.Read().is_error("NOPROTO unsupported protocol version"));
  REQUIRE(c.Send(Resp({"GET", "nokey"})));
  c.Read();
  CHECK(c.last_raw() == "_\r\n");
  // Back to RESP2.
  REQUIRE(c.Send(Resp({"HELLO", "2"})));
  Reply hello2 = c.Read();
  CHECK(hello2.type == Reply::kArray);
  CHECK(hello2.at("proto") == 2);
  REQUIRE(c.Send(Resp({"GET", "nokey"})));
  c.Read();
  CHECK(c.last_raw() == "$-1\r\n");
  // A protocol error on a RESP3 connection is still reported and closes it.
  RawConn bad(srv.port());
  REQUIRE(bad.Send(Resp({"HELLO", "3"}) + "*1\r\n$-7\r\n"));
  CHECK(bad.Read().type == Reply::kMap);
  CHECK(bad.Read().is_error("ERR Protocol error: invalid bulk length"));
  CHECK(bad.WaitClosed());
  w.Verify();
}
