// ORDER.* through a real socket with hiredis: every command in RESP2 and
// RESP3 (HELLO 3; hiredis decodes maps, which this file converts itself),
// MULTI/EXEC, events to a subscriber, the startup refusal of
// order-hugepages on without reserved hugepages, and memory per order.
#include <stdio.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "fixture.h"

using namespace ordis::it;

namespace {

// One command: hiredis for RESP2 (the installed hiredis 0.14 has no RESP3
// reader), the fixture's raw connection (which decodes RESP3) for RESP3.
struct Conn {
  Redis* hiredis = nullptr;
  RawConn* raw = nullptr;
  Reply operator()(const std::vector<std::string>& args) {
    if (hiredis) return hiredis->Cmd(args);
    REQUIRE(raw->Send(Resp(args)));
    return raw->Read();
  }
};

std::string FutureMs(int64_t delta) {
  using namespace std::chrono;
  return std::to_string(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + delta);
}

std::vector<std::string> Texts(const Reply& r) {
  std::vector<std::string> out;
  for (const Reply& e : r.elems)
    out.push_back(e.type == Reply::kInteger ? std::to_string(e.integer) : e.str);
  return out;
}

// Runs every ORDER.* command on a fresh table; `map` is the type an order
// or DEPTH reply must have (kArray under RESP2, kMap under RESP3).
void EveryCommand(Conn& r, Reply::Type map) {
  CHECK(r({"ORDER.RESET"}) == "OK");
  CHECK(r({"ORDER.SYMBOL", "SET", "BTC", "TICK", "0.5", "LOT", "0.01"}) == "OK");
  Reply sym = r({"ORDER.SYMBOL", "GET", "BTC"});
  CHECK(sym.type == map);
  CHECK(sym.at("tick") == "0.5");
  CHECK(Texts(r({"ORDER.SYMBOL", "LIST"})) == std::vector<std::string>{"BTC"});
  CHECK(r({"ORDER.PLACE", "1", "BTC", "BUY", "100.5", "2", "CID", "x-1"}) == 1);
  CHECK(r({"ORDER.PLACE", "1", "BTC", "SELL", "101", "1", "TIF", "GTD", "EXPIRE",
           FutureMs(600000)}) == 2);
  CHECK(r({"ORDER.PLACE", "2", "BTC", "BUY", "100", "3", "TYPE", "LIMIT_MAKER", "ID", "50"}) == 50);
  Reply g = r({"ORDER.GET", "1"});
  CHECK(g.type == map);
  CHECK(g.elems.size() == 32);
  CHECK(g.at("status") == "NEW");
  CHECK(g.at("price") == "100.5");
  CHECK(g.at("expire").is_null());
  CHECK(r({"ORDER.GET", "2"}).at("expire").type == Reply::kInteger);
  CHECK(r({"ORDER.GET", "999"}).is_null());
  CHECK(r({"ORDER.GETCID", "1", "x-1"}).at("id") == 1);
  CHECK(r({"ORDER.GETCID", "2", "x-1"}).is_null());
  Reply d = r({"ORDER.DEPTH", "BTC", "5"});
  CHECK(d.type == map);
  Reply bids = map == Reply::kMap ? d.at("bids") : d.elems.at(0);
  Reply asks = map == Reply::kMap ? d.at("asks") : d.elems.at(1);
  REQUIRE(bids.elems.size() == 2);
  CHECK(Texts(bids.elems[0]) == std::vector<std::string>{"100.5", "2", "1"});
  CHECK(Texts(asks.elems.at(0)) == std::vector<std::string>{"101", "1", "1"});
  CHECK(Texts(r({"ORDER.TOP", "BTC"})) == std::vector<std::string>{"100.5", "2", "101", "1"});
  CHECK(r({"ORDER.FILL", "1", "0.5", "100.5", "TRADE", "1"}) == "1.5");
  CHECK(r({"ORDER.FILL", "1", "0.5", "100.5", "TRADE", "1"}) == "1.5");
  CHECK(r({"ORDER.FILL", "1", "5", "100.5"}).is_error("ERR fill quantity exceeds remaining"));
  CHECK(r({"ORDER.REDUCE", "1", "0.5"}) == "1");
  CHECK(r({"ORDER.AMEND", "1", "PRICE", "99.5", "QTY", "0.8"}) == "OK");
  Reply a = r({"ORDER.GET", "1"});
  CHECK(a.at("status") == "PARTIALLY_FILLED");
  CHECK(a.at("qty") == "1.3");
  CHECK(a.at("quote") == "50.25");
  Reply open = r({"ORDER.OPEN", "1"});
  REQUIRE(open.elems.size() == 2);
  CHECK(open.elems[0].type == map);
  CHECK(open.elems[0].at("id") == 1);
  CHECK(r({"ORDER.OPEN", "1", "SYMBOL", "BTC", "LIMIT", "1"}).elems.size() == 1);
  CHECK(r({"ORDER.CANCEL", "2"}) == 1);
  CHECK(r({"ORDER.CANCEL", "2"}) == 0);
  CHECK(r({"ORDER.CANCELCID", "1", "x-1"}) == 1);
  CHECK(r({"ORDER.CANCELALL", "2", "SYMBOL", "BTC"}) == 1);
  CHECK(r({"ORDER.CANCELALL", "2"}) == 0);
  CHECK(r({"ORDER.GET", "50"}).at("status") == "CANCELED");
  CHECK(r({"ORDER.OPEN", "1"}).elems.empty());
  CHECK(r({"ORDER.PLACE", "1", "BTC", "BUY", "100.25", "1"})
            .is_error("ERR price is not a multiple of tick size 0.5"));
}

}  // namespace

TEST_CASE("ORDER.* over a socket, RESP2 and RESP3", "[orders]") {
  ServerProcess srv({"--order-table-capacity", "100000", "--order-hugepages", "off"});
  SECTION("RESP2") {
    Redis r(srv.port());
    Conn c{&r, nullptr};
    EveryCommand(c, Reply::kArray);
  }
  SECTION("RESP3") {
    RawConn raw(srv.port());
    Conn c{nullptr, &raw};
    REQUIRE(c({"HELLO", "3"}).type == Reply::kMap);
    EveryCommand(c, Reply::kMap);
  }
}

TEST_CASE("ORDER.* in MULTI/EXEC over a socket", "[orders]") {
  ServerProcess srv({"--order-hugepages", "off"});
  Redis hr(srv.port());
  Conn r{&hr, nullptr};
  Redis other(srv.port());
  CHECK(r({"MULTI"}) == "OK");
  CHECK(r({"ORDER.PLACE", "1", "ETH", "SELL", "2000", "3"}) == "QUEUED");
  CHECK(r({"ORDER.FILL", "1", "1", "2000"}) == "QUEUED");
  CHECK(r({"ORDER.OPEN", "1"}) == "QUEUED");
  // Nothing happens before EXEC.
  CHECK(other.Cmd({"ORDER.GET", "1"}).is_null());
  Reply ex = r({"EXEC"});
  REQUIRE(ex.elems.size() == 3);
  CHECK(ex.elems[0] == 1);
  CHECK(ex.elems[1] == "2");
  CHECK(ex.elems[2].elems.size() == 1);
  CHECK(other.Cmd({"ORDER.GET", "1"}).at("filled") == "1");
  RawConn raw(srv.port());
  Conn r3{nullptr, &raw};
  CHECK(r3({"HELLO", "3"}).type == Reply::kMap);
  r = r3;
  CHECK(r({"MULTI"}) == "OK");
  CHECK(r({"ORDER.GET", "1"}) == "QUEUED");
  CHECK(r({"ORDER.DEPTH", "ETH"}) == "QUEUED");
  ex = r({"EXEC"});
  REQUIRE(ex.elems.size() == 2);
  CHECK(ex.elems[0].type == Reply::kMap);
  CHECK(ex.elems[1].type == Reply::kMap);
  // INFO commandstats counts ORDER.* like any command.
  Reply stats = other.Cmd({"INFO", "commandstats"});
  CHECK(stats.str.find("cmdstat_order.place:calls=1") != std::string::npos);
}

TEST_CASE("Order events reach a subscriber over a socket", "[orders]") {
  ServerProcess srv({"--order-hugepages", "off"});
  RawConn sub(srv.port());
  REQUIRE(sub.Send(Resp({"SUBSCRIBE", "order.user.5", "order.book.SOL"})));
  REQUIRE(sub.Read().ok());
  REQUIRE(sub.Read().ok());
  Redis r(srv.port());
  CHECK(r.Cmd({"ORDER.PLACE", "5", "SOL", "BUY", "21.5", "10"}) == 1);
  Reply u = sub.Read();
  REQUIRE(u.elems.size() == 3);
  CHECK(u.elems[1] == "order.user.5");
  CHECK(u.elems[2].str.rfind("{\"event\":\"placed\",\"id\":1,\"user\":5,\"symbol\":\"SOL\"", 0) ==
        0);
  Reply b = sub.Read();
  REQUIRE(b.elems.size() == 3);
  CHECK(b.elems[1] == "order.book.SOL");
  CHECK(b.elems[2].str.find("\"price\":\"21.5\",\"qty\":\"10\",\"count\":1") != std::string::npos);
}

TEST_CASE("order-hugepages on without reserved hugepages refuses to start", "[orders]") {
  std::ifstream f("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
  long free_pages = 0;
  f >> free_pages;
  if (free_pages > 0) {
    WARN("explicit hugepages are reserved here; the refusal cannot be shown");
    return;
  }
  const char* bin = getenv("ORDIS_SERVER");
  REQUIRE(bin != nullptr);
  // Port 0: no TCP listener is needed, the server must stop before that.
  std::string cmd = std::string(bin) + " --port 0 --order-hugepages on 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  INFO(out);
  CHECK(out.find("Can't initialize the order tables: order-hugepages on:") != std::string::npos);
  CHECK(out.find("vm.nr_hugepages") != std::string::npos);
}

TEST_CASE("Order config is startup-only and INFO orders reports memory", "[orders]") {
  ServerProcess srv({"--order-table-capacity", "300000", "--order-completed-keep", "10"});
  Redis r(srv.port());
  Conn cmd{&r, nullptr};
  Reply c = cmd({"CONFIG", "GET", "order-*"});
  CHECK(c.at("order-table-capacity") == "300000");
  CHECK(c.at("order-completed-keep") == "10");
  CHECK(c.at("order-hugepages") == "auto");
  CHECK(c.at("order-numa-node") == "auto");
  CHECK(cmd({"CONFIG", "SET", "order-table-capacity", "5"}).is_error("ERR CONFIG SET failed*"));
  // 200,000 orders over 100 users and 20 symbols, 10% with a CID, pipelined.
  const int kOrders = 200000;
  for (int i = 0; i < kOrders; ++i) {
    std::vector<std::string> a = {
        "ORDER.PLACE",          std::to_string(1 + i % 100),      "S" + std::to_string(i % 20),
        i % 2 ? "BUY" : "SELL", std::to_string(1000 + (i % 400)), "1"};
    if (i % 10 == 0) {
      a.push_back("CID");
      a.push_back("c" + std::to_string(i));
    }
    r.Append(a);
  }
  int ok = 0;
  for (int i = 0; i < kOrders; ++i) ok += r.GetReply().type == Reply::kInteger;
  CHECK(ok == kOrders);
  std::string info = cmd({"INFO", "orders"}).str;
  auto field = [&](const std::string& name) {
    size_t p = info.find(name + ":");
    REQUIRE(p != std::string::npos);
    return std::stoll(info.substr(p + name.size() + 1));
  };
  CHECK(field("orders_live") == kOrders);
  CHECK(field("orders_capacity") == 300000);
  int64_t per_order = field("order_memory_bytes") / kOrders;
  INFO(info);
  CHECK(per_order < 192);
  CHECK(per_order >= 128);
}
