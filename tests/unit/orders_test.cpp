// ORDER.* commands (cmd/orders.cpp) through the dispatcher: every command
// in RESP2 and RESP3, MULTI/EXEC, events on Pub/Sub, the command table
// entries, and every bad input of the issue's list, each proven to answer
// its own error and to change nothing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "order/order_table.h"

using ordis::Config;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

Config OrderConfig(int64_t capacity = 1000) {
  Config c;
  c.order_table_capacity = capacity;
  c.order_hugepages = Config::kOrderHugePagesOff;
  c.order_numa_node = Config::kOrderNumaOff;
  c.order_completed_keep = 1000;
  return c;
}

std::string Str(int64_t v) {
  return std::to_string(v);
}

std::string FutureMs(int64_t delta_ms) {
  return Str(Server::NowMs() + delta_ms);
}

// Everything an ORDER command could change, as text.
std::string State(TestServer& t) {
  std::string s;
  for (const char* sym : {"BTC", "ETH", "NEW"}) s += t.Run({"ORDER.DEPTH", sym, "100"}).ToString();
  for (const char* user : {"1", "2", "3"}) s += t.Run({"ORDER.OPEN", user}).ToString();
  for (int id = 1; id <= 12; ++id) s += t.Run({"ORDER.GET", Str(id)}).ToString();
  s += t.Run({"ORDER.SYMBOL", "LIST"}).ToString();
  s += t.Run({"ORDER.SYMBOL", "GET", "BTC"}).ToString();
  ordis::order::OrderTableStats st = t.server().orders().stats();
  s += " live=" + Str(static_cast<int64_t>(st.live)) + " placed=" + Str(st.placed) +
       " canceled=" + Str(st.canceled) + " filled=" + Str(st.filled) +
       " expired=" + Str(st.expired);
  return s;
}

// The command answers exactly `error` and nothing changes.
void Rejected(TestServer& t, const std::vector<std::string>& cmd, const std::string& error) {
  std::string before = State(t);
  RespValue r = t.Run(cmd);
  std::string text;
  for (const auto& a : cmd) text += a + " ";
  INFO(text);
  CHECK(r.type == RespValue::kError);
  CHECK(r.str == error);
  CHECK(State(t) == before);
}

}  // namespace

TEST_CASE("ORDER.PLACE and ORDER.GET: the order map (RESP2 and RESP3)", "[orders]") {
  TestServer t(OrderConfig());
  int64_t before = Server::NowUs();
  CHECK(t.Run({"ORDER.PLACE", "7", "BTC", "BUY", "27123.45", "0.5", "CID", "my-1"}) == 1);
  CHECK(t.Run({"ORDER.PLACE", "7", "BTC", "sell", "27200", "1.25000000", "TYPE", "LIMIT_MAKER",
               "TIF", "GTD", "EXPIRE", FutureMs(60000)}) == 2);
  RespValue g = t.Run({"ORDER.GET", "1"});
  REQUIRE(g.type == RespValue::kArray);  // RESP2: flat field/value array
  REQUIRE(g.size() == 32);
  std::vector<std::string> fields;
  for (size_t i = 0; i < g.size(); i += 2) fields.push_back(g[i].str);
  CHECK(fields == std::vector<std::string>{"id", "user", "symbol", "side", "type", "tif", "status",
                                           "price", "qty", "filled", "remaining", "quote", "cid",
                                           "created", "updated", "expire"});
  CHECK(g.at("id") == 1);
  CHECK(g.at("user") == 7);
  CHECK(g.at("symbol") == "BTC");
  CHECK(g.at("side") == "BUY");
  CHECK(g.at("type") == "LIMIT");
  CHECK(g.at("tif") == "GTC");
  CHECK(g.at("status") == "NEW");
  CHECK(g.at("price") == "27123.45");
  CHECK(g.at("qty") == "0.5");
  CHECK(g.at("filled") == "0");
  CHECK(g.at("remaining") == "0.5");
  CHECK(g.at("quote") == "0");
  CHECK(g.at("cid") == "my-1");
  CHECK(g.at("created").type == RespValue::kInteger);
  CHECK(g.at("created").integer >= before);
  CHECK(g.at("updated").integer == g.at("created").integer);
  CHECK(g.at("expire").is_null());
  RespValue g2 = t.Run({"ORDER.GET", "2"});
  CHECK(g2.at("side") == "SELL");
  CHECK(g2.at("type") == "LIMIT_MAKER");
  CHECK(g2.at("tif") == "GTD");
  CHECK(g2.at("qty") == "1.25");
  CHECK(g2.at("cid").is_null());
  CHECK(g2.at("expire").type == RespValue::kInteger);
  CHECK(t.Run({"ORDER.GET", "3"}).is_null());
  UseResp3(t);
  RespValue m = t.Run({"ORDER.GET", "1"});
  CHECK(m.type == RespValue::kMap);
  CHECK(m.size() == 32);
  CHECK(m.at("price") == "27123.45");
  CHECK(t.Run({"ORDER.GET", "3"}).type == RespValue::kNull);
  // Explicit ID.
  CHECK(t.Run({"ORDER.PLACE", "7", "ETH", "BUY", "1", "1", "ID", "100"}) == 100);
  CHECK(t.Run({"ORDER.PLACE", "7", "ETH", "BUY", "1", "1"}) == 101);
}

TEST_CASE("ORDER.GETCID, CANCEL, CANCELCID, CANCELALL", "[orders]") {
  TestServer t(OrderConfig());
  for (int proto : {2, 3}) {
    if (proto == 3) UseResp3(t);
    t.Run({"ORDER.RESET"});
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "10", "1", "CID", "a"}) == 1);
    CHECK(t.Run({"ORDER.PLACE", "1", "ETH", "BUY", "10", "1", "CID", "b"}) == 2);
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "SELL", "20", "1"}) == 3);
    CHECK(t.Run({"ORDER.PLACE", "2", "BTC", "BUY", "10", "1", "CID", "a"}) == 4);
    RespValue g = t.Run({"ORDER.GETCID", "2", "a"});
    CHECK(g.type == (proto == 3 ? RespValue::kMap : RespValue::kArray));
    CHECK(g.at("id") == 4);
    CHECK(t.Run({"ORDER.GETCID", "3", "a"}).is_null());
    CHECK(t.Run({"ORDER.CANCEL", "1"}) == 1);
    CHECK(t.Run({"ORDER.CANCEL", "1"}) == 0);
    CHECK(t.Run({"ORDER.CANCEL", "999"}) == 0);
    RespValue c = t.Run({"ORDER.GET", "1"});
    CHECK(c.at("status") == "CANCELED");
    CHECK(c.at("remaining") == "1");
    CHECK(t.Run({"ORDER.CANCELCID", "1", "b"}) == 1);
    CHECK(t.Run({"ORDER.CANCELCID", "1", "b"}) == 0);
    CHECK(t.Run({"ORDER.GETCID", "1", "b"}).at("status") == "CANCELED");
    CHECK(t.Run({"ORDER.PLACE", "1", "ETH", "BUY", "10", "1"}) == 5);
    CHECK(t.Run({"ORDER.CANCELALL", "1", "SYMBOL", "BTC"}) == 1);
    CHECK(t.Run({"ORDER.CANCELALL", "1", "symbol", "XRP"}) == 0);
    CHECK(t.Run({"ORDER.CANCELALL", "1"}) == 1);
    CHECK(t.Run({"ORDER.CANCELALL", "1"}) == 0);
    CHECK(t.Run({"ORDER.OPEN", "2"}).size() == 1);
  }
}

TEST_CASE("ORDER.REDUCE, AMEND, FILL", "[orders]") {
  TestServer t(OrderConfig());
  for (int proto : {2, 3}) {
    if (proto == 3) UseResp3(t);
    t.Run({"ORDER.RESET"});
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "SELL", "100", "10"}) == 1);
    CHECK(t.Run({"ORDER.PLACE", "2", "BTC", "SELL", "100", "5"}) == 2);
    CHECK(t.Run({"ORDER.REDUCE", "1", "2.5"}) == "7.5");
    CHECK(t.Run({"ORDER.GET", "1"}).at("qty") == "7.5");
    CHECK(t.Run({"ORDER.AMEND", "2", "QTY", "4"}) == "OK");
    CHECK(t.Run({"ORDER.AMEND", "2", "PRICE", "101", "QTY", "3"}) == "OK");
    RespValue a = t.Run({"ORDER.GET", "2"});
    CHECK(a.at("price") == "101");
    CHECK(a.at("remaining") == "3");
    CHECK(t.Run({"ORDER.FILL", "1", "2.5", "99.99"}) == "5");
    CHECK(t.Run({"ORDER.FILL", "1", "1", "100", "TRADE", "77"}) == "4");
    CHECK(t.Run({"ORDER.FILL", "1", "1", "100", "TRADE", "77"}) == "4");  // retry
    RespValue f = t.Run({"ORDER.GET", "1"});
    CHECK(f.at("status") == "PARTIALLY_FILLED");
    CHECK(f.at("filled") == "3.5");
    CHECK(f.at("quote") == "349.975");  // 2.5 x 99.99 + 1 x 100
    CHECK(t.Run({"ORDER.FILL", "1", "4", "100", "TRADE", "78"}) == "0");
    CHECK(t.Run({"ORDER.GET", "1"}).at("status") == "FILLED");
    CHECK(t.Run({"ORDER.FILL", "1", "4", "100", "TRADE", "78"}) == "0");  // retry after FILLED
    CHECK(t.Run({"ORDER.REDUCE", "2", "3"}) == "0");
    RespValue r = t.Run({"ORDER.GET", "2"});
    CHECK(r.at("status") == "CANCELED");
    CHECK(r.at("remaining") == "0");
    CHECK(r.at("qty") == "0");
  }
}

TEST_CASE("ORDER.OPEN, DEPTH, TOP", "[orders]") {
  TestServer t(OrderConfig());
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "100", "1"}) == 1);
  CHECK(t.Run({"ORDER.PLACE", "1", "ETH", "BUY", "10", "2"}) == 2);
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "100", "3"}) == 3);
  CHECK(t.Run({"ORDER.PLACE", "2", "BTC", "BUY", "99.5", "1"}) == 4);
  CHECK(t.Run({"ORDER.PLACE", "2", "BTC", "SELL", "101", "0.1"}) == 5);
  RespValue o = t.Run({"ORDER.OPEN", "1"});
  REQUIRE(o.size() == 3);
  CHECK(o[0].at("id") == 1);
  CHECK(o[1].at("id") == 2);
  CHECK(o[2].at("id") == 3);
  CHECK(o[0].type == RespValue::kArray);
  o = t.Run({"ORDER.OPEN", "1", "SYMBOL", "BTC", "LIMIT", "1"});
  REQUIRE(o.size() == 1);
  CHECK(o[0].at("id") == 1);
  CHECK(t.Run({"ORDER.OPEN", "9"}).size() == 0);
  RespValue d = t.Run({"ORDER.DEPTH", "BTC"});
  REQUIRE(d.type == RespValue::kArray);
  REQUIRE(d.size() == 2);  // RESP2: [bids, asks]
  REQUIRE(d[0].size() == 2);
  CHECK(d[0][0].strings() == std::vector<std::string>{"100", "4", "2"});
  CHECK(d[0][0][2].type == RespValue::kInteger);
  CHECK(d[0][1].strings() == std::vector<std::string>{"99.5", "1", "1"});
  CHECK(d[1][0].strings() == std::vector<std::string>{"101", "0.1", "1"});
  CHECK(t.Run({"ORDER.DEPTH", "BTC", "1"})[0].size() == 1);
  CHECK(t.Run({"ORDER.DEPTH", "NONE"}).ToString() == "[[], []]");
  CHECK(t.Run({"ORDER.TOP", "BTC"}).strings() ==
        std::vector<std::string>{"100", "4", "101", "0.1"});
  RespValue top = t.Run({"ORDER.TOP", "ETH"});
  CHECK(top[0] == "10");
  CHECK(top[2].is_null());
  CHECK(top[3].is_null());
  UseResp3(t);
  d = t.Run({"ORDER.DEPTH", "BTC"});
  REQUIRE(d.type == RespValue::kMap);
  CHECK(d.at("bids").size() == 2);
  CHECK(d.at("asks")[0].strings() == std::vector<std::string>{"101", "0.1", "1"});
  o = t.Run({"ORDER.OPEN", "2"});
  REQUIRE(o.size() == 2);
  CHECK(o[0].type == RespValue::kMap);
  CHECK(t.Run({"ORDER.TOP", "NONE"}).ToString() == "[(nil), (nil), (nil), (nil)]");
}

TEST_CASE("ORDER.SYMBOL SET/GET/LIST and tick/lot rules", "[orders]") {
  TestServer t(OrderConfig());
  CHECK(t.Run({"ORDER.SYMBOL", "GET", "BTC"}).is_null());
  CHECK(t.Run({"ORDER.SYMBOL", "SET", "BTC", "TICK", "0.01", "LOT", "0.001"}) == "OK");
  RespValue g = t.Run({"ORDER.SYMBOL", "GET", "BTC"});
  CHECK(g.at("symbol") == "BTC");
  CHECK(g.at("tick") == "0.01");
  CHECK(g.at("lot") == "0.001");
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "100.01", "0.002"}) == 1);
  CHECK(t.Run({"ORDER.PLACE", "1", "ADA", "BUY", "0.3", "5"}) == 2);  // created on use
  RespValue ada = t.Run({"ORDER.SYMBOL", "GET", "ADA"});
  CHECK(ada.at("tick") == "0");
  CHECK(t.Run({"ORDER.SYMBOL", "LIST"}).strings() == std::vector<std::string>{"ADA", "BTC"});
  CHECK(t.Run({"ORDER.SYMBOL", "SET", "BTC", "LOT", "0"}) == "OK");
  CHECK(t.Run({"ORDER.SYMBOL", "GET", "BTC"}).at("lot") == "0");
  CHECK(t.Run({"ORDER.SYMBOL", "GET", "BTC"}).at("tick") == "0.01");
  UseResp3(t);
  CHECK(t.Run({"ORDER.SYMBOL", "GET", "BTC"}).type == RespValue::kMap);
  CHECK(t.Run({"ORDER.SYMBOL", "LIST"}).size() == 2);
  CHECK(t.Run({"ORDER.SYMBOL", "HELP"}).size() > 3);
  CHECK(t.Run({"ORDER.SYMBOL", "NOPE"}).is_error("ERR unknown subcommand 'NOPE'*"));
}

TEST_CASE("ORDER.RESET clears every table", "[orders]") {
  TestServer t(OrderConfig());
  t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1"});
  t.Run({"ORDER.SYMBOL", "SET", "ETH", "TICK", "1"});
  CHECK(t.Run({"ORDER.RESET"}) == "OK");
  CHECK(t.Run({"ORDER.GET", "1"}).is_null());
  CHECK(t.Run({"ORDER.SYMBOL", "LIST"}).size() == 0);
  CHECK(t.Run({"ORDER.OPEN", "1"}).size() == 0);
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1"}) == 1);
}

TEST_CASE("ORDER.* inside MULTI/EXEC", "[orders]") {
  TestServer t(OrderConfig());
  for (int proto : {2, 3}) {
    if (proto == 3) UseResp3(t);
    t.Run({"ORDER.RESET"});
    CHECK(t.Run({"MULTI"}) == "OK");
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "10", "2"}) == "QUEUED");
    CHECK(t.Run({"ORDER.FILL", "1", "0.5", "10"}) == "QUEUED");
    CHECK(t.Run({"ORDER.FILL", "1", "5", "10"}) == "QUEUED");  // fails at EXEC, others stand
    CHECK(t.Run({"ORDER.GET", "1"}) == "QUEUED");
    CHECK(t.Run({"ORDER.DEPTH", "BTC"}) == "QUEUED");
    RespValue r = t.Run({"EXEC"});
    REQUIRE(r.size() == 5);
    CHECK(r[0] == 1);
    CHECK(r[1] == "1.5");
    CHECK(r[2].is_error("ERR fill quantity exceeds remaining"));
    CHECK(r[3].at("status") == "PARTIALLY_FILLED");
    CHECK(r[3].type == (proto == 3 ? RespValue::kMap : RespValue::kArray));
    CHECK(r[4].type == (proto == 3 ? RespValue::kMap : RespValue::kArray));
    // DISCARD drops queued orders.
    CHECK(t.Run({"MULTI"}) == "OK");
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "10", "2"}) == "QUEUED");
    CHECK(t.Run({"DISCARD"}) == "OK");
    CHECK(t.Run({"ORDER.GET", "2"}).is_null());
    // A syntax error queued aborts the whole transaction.
    CHECK(t.Run({"MULTI"}) == "OK");
    CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "10", "2"}) == "QUEUED");
    CHECK(t.Run({"ORDER.GET"}).is_error("ERR wrong number of arguments*"));
    CHECK(t.Run({"EXEC"}).is_error("EXECABORT*"));
    CHECK(t.Run({"ORDER.GET", "2"}).is_null());
  }
}

TEST_CASE("Orders are not keys", "[orders]") {
  TestServer t(OrderConfig());
  t.Run({"SET", "k", "v"});
  t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1"});
  CHECK(t.Run({"DBSIZE"}) == 1);
  CHECK(t.Run({"KEYS", "*"}).strings() == std::vector<std::string>{"k"});
  CHECK(t.Run({"SCAN", "0"})[1].strings() == std::vector<std::string>{"k"});
  CHECK(t.Run({"FLUSHALL"}) == "OK");
  CHECK(t.Run({"DBSIZE"}) == 0);
  CHECK(t.Run({"ORDER.GET", "1"}).at("status") == "NEW");
}

TEST_CASE("GTD orders expire by themselves (cron) and on access", "[orders]") {
  TestServer t(OrderConfig());
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1", "TIF", "GTD", "EXPIRE", FutureMs(30)}) ==
        1);
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1", "TIF", "GTD", "EXPIRE", FutureMs(30)}) ==
        2);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  t.server().Cron();  // what the loop does hz times per second
  CHECK(t.server().orders().live() == 0);
  CHECK(t.Run({"ORDER.GET", "1"}).at("status") == "EXPIRED");
  CHECK(t.Run({"ORDER.GET", "2"}).at("status") == "EXPIRED");
  // On access, without the cron.
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1", "TIF", "GTD", "EXPIRE", FutureMs(20)}) ==
        3);
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  CHECK(t.Run({"ORDER.CANCEL", "3"}) == 0);
  CHECK(t.Run({"ORDER.GET", "3"}).at("status") == "EXPIRED");
  RespValue info = t.Run({"INFO", "orders"});
  CHECK(info.str.find("orders_expired:3") != std::string::npos);
}

TEST_CASE("Order events on order.user.<user> and order.book.<symbol>", "[orders]") {
  TestServer t(OrderConfig());
  t.RunOn(1, {"SUBSCRIBE", "order.user.7"});
  t.RunOn(2, {"SUBSCRIBE", "order.book.BTC"});
  t.Drain(1);
  t.Drain(2);
  CHECK(t.Run({"ORDER.PLACE", "7", "BTC", "BUY", "100.5", "2"}) == 1);
  CHECK(t.Run({"ORDER.PLACE", "8", "BTC", "BUY", "100.5", "1"}) == 2);  // not user 7
  CHECK(t.Run({"ORDER.FILL", "1", "0.5", "100", "TRADE", "9"}) == "1.5");
  CHECK(t.Run({"ORDER.AMEND", "1", "PRICE", "101"}) == "OK");
  CHECK(t.Run({"ORDER.CANCEL", "1"}) == 1);
  auto user = t.Drain(1);
  REQUIRE(user.size() == 4);
  CHECK(user[0][0] == "message");
  CHECK(user[0][1] == "order.user.7");
  std::string placed = user[0][2].str;
  CHECK(
      placed.rfind("{\"event\":\"placed\",\"id\":1,\"user\":7,\"symbol\":\"BTC\",\"side\":\"BUY\","
                   "\"status\":\"NEW\",\"price\":\"100.5\",\"remaining\":\"2\",\"filled\":\"0\","
                   "\"time\":",
                   0) == 0);
  CHECK(placed.back() == '}');
  CHECK(user[1][2].str.find("\"event\":\"filled\"") != std::string::npos);
  CHECK(user[1][2].str.find("\"status\":\"PARTIALLY_FILLED\"") != std::string::npos);
  CHECK(user[1][2].str.find("\"trade\":9") != std::string::npos);
  CHECK(user[2][2].str.find("\"event\":\"amended\"") != std::string::npos);
  CHECK(user[3][2].str.find("\"status\":\"CANCELED\"") != std::string::npos);
  auto book = t.Drain(2);
  // placed, placed, filled, amended (two levels), canceled
  REQUIRE(book.size() == 6);
  CHECK(book[0][1] == "order.book.BTC");
  CHECK(book[0][2].str.rfind("{\"event\":\"placed\",\"id\":1,\"symbol\":\"BTC\",\"side\":\"BUY\","
                             "\"price\":\"100.5\",\"qty\":\"2\",\"count\":1,\"time\":",
                             0) == 0);
  CHECK(book[1][2].str.find("\"qty\":\"3\",\"count\":2") != std::string::npos);
  CHECK(book[2][2].str.find("\"qty\":\"2.5\",\"count\":2") != std::string::npos);
  CHECK(book[3][2].str.find("\"price\":\"100.5\",\"qty\":\"1\",\"count\":1") != std::string::npos);
  CHECK(book[4][2].str.find("\"price\":\"101\",\"qty\":\"1.5\",\"count\":1") != std::string::npos);
  CHECK(book[5][2].str.find("\"price\":\"101\",\"qty\":\"0\",\"count\":0") != std::string::npos);
}

TEST_CASE("ORDER.* in the command table: arity, flags, @order, docs, commandstats", "[orders]") {
  TestServer t(OrderConfig());
  RespValue info = t.Run({"COMMAND", "INFO", "order.place", "order.get", "order.reset",
                          "order.cancelall", "order.symbol"});
  REQUIRE(info.size() == 5);
  CHECK(info[0][0] == "order.place");
  CHECK(info[0][1] == -6);
  CHECK(info[0][2].strings() == std::vector<std::string>{"write", "denyoom", "fast"});
  CHECK(info[0][6].strings() == std::vector<std::string>{"@write", "@fast", "@order"});
  CHECK(info[1][2].strings() == std::vector<std::string>{"readonly", "fast"});
  CHECK(info[1][6].strings() == std::vector<std::string>{"@read", "@fast", "@order"});
  auto reset_acl = info[2][6].strings();
  CHECK(std::find(reset_acl.begin(), reset_acl.end(), "@dangerous") != reset_acl.end());
  CHECK(std::find(reset_acl.begin(), reset_acl.end(), "@order") != reset_acl.end());
  CHECK(info[3][2].strings() == std::vector<std::string>{"write"});
  CHECK(info[4][9].size() == 4);  // SET, GET, LIST, HELP
  RespValue docs = t.Run({"COMMAND", "DOCS", "order.fill"});
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].at("summary").str.find("fill") != std::string::npos);
  CHECK(docs[1].at("arguments").size() == 4);
  t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1"});
  t.Run({"ORDER.SYMBOL", "LIST"});
  std::string stats = t.Run({"INFO", "commandstats"}).str;
  CHECK(stats.find("cmdstat_order.place:calls=1") != std::string::npos);
  CHECK(stats.find("cmdstat_order.symbol|list:calls=1") != std::string::npos);
  std::string orders = t.Run({"INFO"}).str;  // in the default set
  CHECK(orders.find("# Orders") != std::string::npos);
  CHECK(orders.find("orders_live:1") != std::string::npos);
  CHECK(orders.find("orders_capacity:1000") != std::string::npos);
  CHECK(orders.find("order_record_bytes:128") != std::string::npos);
  CHECK(orders.find("order_memory_mode:regular") != std::string::npos);
  CHECK(orders.find("numa_node:-1") != std::string::npos);
  CHECK(orders.find("symbols:1") != std::string::npos);
  CHECK(orders.find("price_levels:1") != std::string::npos);
  CHECK(orders.find("orders_placed:1") != std::string::npos);
}

TEST_CASE("Bad input: each error is specific and changes nothing", "[orders]") {
  TestServer t(OrderConfig(6));
  REQUIRE(t.Run({"ORDER.SYMBOL", "SET", "BTC", "TICK", "0.01", "LOT", "0.001"}) == "OK");
  REQUIRE(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "100", "1", "CID", "dup", "ID", "5"}) == 5);
  REQUIRE(t.Run({"ORDER.PLACE", "1", "BTC", "SELL", "200", "1"}) == 6);
  REQUIRE(t.Run({"ORDER.PLACE", "2", "ETH", "SELL", "2", "1"}) == 7);
  REQUIRE(t.Run({"ORDER.CANCEL", "7"}) == 1);  // a terminal order
  auto place = [](std::vector<std::string> tail) {
    std::vector<std::string> c = {"ORDER.PLACE", "1", "BTC", "BUY", "100", "1"};
    for (size_t i = 0; i < tail.size(); ++i) {
      if (tail[i] == "@") continue;
      if (i < 5) {
        c[i + 1] = tail[i];
      } else {
        c.push_back(tail[i]);
      }
    }
    return c;
  };
  // price: zero, negative, non-numeric, more than 8 decimals, beyond int64.
  Rejected(t, place({"@", "@", "@", "0"}), "ERR price must be positive");
  Rejected(t, place({"@", "@", "@", "-1"}), "ERR price must be positive");
  Rejected(t, place({"@", "@", "@", "abc"}), "ERR invalid price");
  Rejected(t, place({"@", "@", "@", "1e3"}), "ERR invalid price");
  Rejected(t, place({"@", "@", "@", "100.123456789"}), "ERR price has more than 8 decimal places");
  Rejected(t, place({"@", "@", "@", "92233720369"}), "ERR price is out of range");
  // qty: the same cases.
  Rejected(t, place({"@", "@", "@", "@", "0"}), "ERR quantity must be positive");
  Rejected(t, place({"@", "@", "@", "@", "-0.5"}), "ERR quantity must be positive");
  Rejected(t, place({"@", "@", "@", "@", "x"}), "ERR invalid quantity");
  Rejected(t, place({"@", "@", "@", "@", "0.000000001"}),
           "ERR quantity has more than 8 decimal places");
  Rejected(t, place({"@", "@", "@", "@", "99999999999999999999"}), "ERR quantity is out of range");
  // TICK and LOT.
  Rejected(t, place({"@", "@", "@", "100.005"}), "ERR price is not a multiple of tick size 0.01");
  Rejected(t, place({"@", "@", "@", "@", "0.0015"}),
           "ERR quantity is not a multiple of lot size 0.001");
  // side, type, TIF.
  Rejected(t, place({"@", "@", "HOLD"}), "ERR side must be BUY or SELL");
  Rejected(t, place({"@", "@", "@", "@", "@", "TYPE", "MARKET"}),
           "ERR type must be LIMIT or LIMIT_MAKER");
  Rejected(t, place({"@", "@", "@", "@", "@", "TIF", "DAY"}),
           "ERR time in force must be GTC, IOC, FOK or GTD");
  // GTD without EXPIRE, in the past, and EXPIRE without GTD.
  Rejected(t, place({"@", "@", "@", "@", "@", "TIF", "GTD"}), "ERR GTD requires EXPIRE");
  Rejected(t, place({"@", "@", "@", "@", "@", "TIF", "GTD", "EXPIRE", FutureMs(-1000)}),
           "ERR expire time is in the past");
  Rejected(t, place({"@", "@", "@", "@", "@", "EXPIRE", FutureMs(1000)}),
           "ERR EXPIRE requires TIF GTD");
  Rejected(t, place({"@", "@", "@", "@", "@", "TIF", "GTD", "EXPIRE", "soon"}),
           "ERR invalid expire time");
  // Duplicate live CID; reused explicit ID (live and completed).
  Rejected(t, place({"@", "@", "@", "@", "@", "CID", "dup"}), "ERR duplicate client order id");
  Rejected(t, place({"@", "@", "@", "@", "@", "ID", "5"}), "ERR order id already exists");
  Rejected(t, place({"@", "@", "@", "@", "@", "ID", "7"}), "ERR order id already exists");
  Rejected(t, place({"@", "@", "@", "@", "@", "ID", "0"}), "ERR invalid order id");
  // Over-long CID or symbol; invalid characters.
  Rejected(t, place({"@", "@", "@", "@", "@", "CID", std::string(33, 'c')}),
           "ERR client order id is longer than 32 characters");
  Rejected(t, place({"@", "@", "@", "@", "@", "CID", "tab\there"}),
           "ERR invalid client order id (1-32 printable ASCII characters)");
  Rejected(t, place({"@", std::string(17, 'S')}), "ERR symbol is longer than 16 characters");
  Rejected(t, place({"@", "btc"}), "ERR invalid symbol (1-16 characters of A-Z 0-9 . _ -)");
  // User not a positive integer.
  Rejected(t, place({"0"}), "ERR user must be a positive integer");
  Rejected(t, place({"-3"}), "ERR user must be a positive integer");
  Rejected(t, place({"bob"}), "ERR user must be a positive integer");
  Rejected(t, place({"99999999999999999999"}), "ERR user must be a positive integer");
  // Syntax.
  Rejected(t, place({"@", "@", "@", "@", "@", "CID"}), "ERR syntax error");
  Rejected(t, place({"@", "@", "@", "@", "@", "COLOR", "red"}), "ERR syntax error");
  // FILL above remaining; REDUCE above remaining.
  Rejected(t, {"ORDER.FILL", "5", "2", "100"}, "ERR fill quantity exceeds remaining");
  Rejected(t, {"ORDER.REDUCE", "5", "2"}, "ERR reduce quantity exceeds remaining");
  Rejected(t, {"ORDER.REDUCE", "5", "0.0005"}, "ERR quantity is not a multiple of lot size 0.001");
  Rejected(t, {"ORDER.AMEND", "5", "PRICE", "100.001"},
           "ERR price is not a multiple of tick size 0.01");
  Rejected(t, {"ORDER.AMEND", "5", "QTY", "0"}, "ERR quantity must be positive");
  Rejected(t, {"ORDER.AMEND", "5", "PRICE", "101", "QTY"}, "ERR syntax error");
  Rejected(t, {"ORDER.AMEND", "5", "SIZE", "1"}, "ERR syntax error");
  Rejected(t, {"ORDER.FILL", "5", "0", "100"}, "ERR quantity must be positive");
  Rejected(t, {"ORDER.FILL", "5", "1", "-100"}, "ERR price must be positive");
  Rejected(t, {"ORDER.FILL", "5", "1", "100", "TRADE", "x"}, "ERR invalid trade id");
  // AMEND/REDUCE/FILL of a terminal or unknown order.
  Rejected(t, {"ORDER.AMEND", "7", "PRICE", "3"}, "ERR order is not live");
  Rejected(t, {"ORDER.REDUCE", "7", "0.5"}, "ERR order is not live");
  Rejected(t, {"ORDER.FILL", "7", "0.5", "2"}, "ERR order is not live");
  Rejected(t, {"ORDER.AMEND", "70", "PRICE", "3"}, "ERR order not found");
  Rejected(t, {"ORDER.REDUCE", "70", "0.5"}, "ERR order not found");
  Rejected(t, {"ORDER.FILL", "70", "0.5", "2"}, "ERR order not found");
  Rejected(t, {"ORDER.GET", "x"}, "ERR invalid order id");
  Rejected(t, {"ORDER.CANCEL", "-1"}, "ERR invalid order id");
  Rejected(t, {"ORDER.GETCID", "1", std::string(40, 'x')},
           "ERR client order id is longer than 32 characters");
  Rejected(t, {"ORDER.OPEN", "1", "LIMIT", "0"}, "ERR LIMIT must be a positive integer");
  Rejected(t, {"ORDER.OPEN", "0"}, "ERR user must be a positive integer");
  Rejected(t, {"ORDER.DEPTH", "BTC", "0"}, "ERR levels must be a positive integer");
  Rejected(t, {"ORDER.CANCELALL", "1", "SYMBOL"}, "ERR syntax error");
  Rejected(t, {"ORDER.SYMBOL", "SET", "BTC", "TICK", "-1"}, "ERR tick size must not be negative");
  Rejected(t, {"ORDER.SYMBOL", "SET", "BTC", "LOT", "z"}, "ERR invalid lot size");
  // Table full: capacity 6, 2 live... fill it up, then one more.
  REQUIRE(t.Run({"ORDER.PLACE", "3", "BTC", "BUY", "1", "1"}) == 8);
  REQUIRE(t.Run({"ORDER.PLACE", "3", "BTC", "BUY", "1", "1"}) == 9);
  REQUIRE(t.Run({"ORDER.PLACE", "3", "BTC", "BUY", "1", "1"}) == 10);
  REQUIRE(t.Run({"ORDER.PLACE", "3", "BTC", "BUY", "1", "1"}) == 11);
  Rejected(t, {"ORDER.PLACE", "3", "NEW", "BUY", "1", "1", "CID", "z"}, "ERR order table full");
  CHECK(t.Run({"ORDER.SYMBOL", "GET", "NEW"}).is_null());
  // No id was consumed by any failure.
  REQUIRE(t.Run({"ORDER.CANCEL", "11"}) == 1);
  CHECK(t.Run({"ORDER.PLACE", "3", "BTC", "BUY", "1", "1"}) == 12);
}

TEST_CASE("Extreme ids and users round-trip; ids can run out", "[orders]") {
  TestServer t(OrderConfig());
  const std::string max = "9223372036854775807";
  CHECK(t.Run({"ORDER.PLACE", max, "BTC", "BUY", "92233720368.54775807", "0.00000001", "ID", max})
            .integer == INT64_MAX);
  for (int proto : {2, 3}) {
    if (proto == 3) UseResp3(t);
    RespValue g = t.Run({"ORDER.GET", max});
    CHECK(g.at("id").integer == INT64_MAX);
    CHECK(g.at("user").integer == INT64_MAX);
    CHECK(g.at("price") == "92233720368.54775807");
    CHECK(g.at("qty") == "0.00000001");
  }
  CHECK(t.Run({"ORDER.FILL", max, "0.00000001", "92233720368.54775807"}) == "0");
  CHECK(t.Run({"ORDER.GET", max}).at("quote") == "922.3372036854775807");
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1"}).is_error("ERR order ids exhausted"));
  CHECK(t.Run({"ORDER.PLACE", "1", "BTC", "BUY", "1", "1", "ID", "12"}) == 12);
}

namespace {
size_t InfoField(const RespValue& info, const std::string& name) {
  size_t at = info.str.find("\n" + name + ":");
  REQUIRE(at != std::string::npos);
  return std::stoull(info.str.substr(at + name.size() + 2));
}
}  // namespace

// The arena is mmapped, not malloc'ed: INFO memory's used_memory must still
// count it, or memory comparisons with redis-server would flatter ordis.
TEST_CASE("used_memory includes the order arena", "[orders]") {
  TestServer t(OrderConfig(120000));
  REQUIRE(t.Run({"ORDER.PLACE", "1", "BTC-USD", "BUY", "1", "1"}) == 1);
  size_t before = InfoField(t.Run({"INFO", "memory"}), "used_memory");
  // 128-byte records: 16,384 per 2 MiB chunk; 100,000 more orders commit
  // 5-6 more chunks (the allocator's own figure moves by well under 1 MiB
  // either way, and the indexes add less than 2 MiB).
  for (int i = 0; i < 100000; ++i)
    REQUIRE(t.Run({"ORDER.PLACE", "2", "BTC-USD", "SELL", "2", "1"}).type == RespValue::kInteger);
  size_t after = InfoField(t.Run({"INFO", "memory"}), "used_memory");
  CHECK(after >= before + (10u << 20));
  CHECK(InfoField(t.Run({"INFO", "orders"}), "orders_live") == 100001);
}
