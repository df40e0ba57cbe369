// SAVE, BGSAVE [SCHEDULE], LASTSAVE (cmd/persistence.cpp), the save rules
// and INFO persistence, through the dispatcher. Replies and errors are
// Redis 7.0's (checked against redis-server).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "harness.h"
#include "snapshot/snapshot_manager.h"
#include "snapshot_util.h"

using namespace ordis;
using ordis::test::RespValue;
using ordis::test::TempDir;
using ordis::test::TestServer;

namespace {

Config SaveConfig(const std::string& path) {
  Config c;
  c.dbfilename = path;
  c.order_table_capacity = 10000;
  c.order_hugepages = Config::kOrderHugePagesOff;
  c.order_numa_node = Config::kOrderNumaOff;
  return c;
}

std::string Field(TestServer& t, const std::string& name) {
  std::string info = t.Run({"INFO", "persistence"}).str;
  size_t p = info.find("\n" + name + ":");
  if (p == std::string::npos) return "<missing>";
  p += name.size() + 2;
  return info.substr(p, info.find('\r', p) - p);
}

void Finish(TestServer& t) {
  snapshot::Manager& m = t.server().snapshots();
  for (int i = 0; i < 100000 && m.in_progress(); ++i) {
    m.Step(1000);
    if (!m.wants_steps()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  REQUIRE_FALSE(m.in_progress());
}

}  // namespace

TEST_CASE("SAVE writes the file and resets the change counter", "[snapshot][commands]") {
  TempDir dir;
  TestServer t(SaveConfig(dir.File("dump.snap")));
  CHECK(Field(t, "rdb_saves") == "0");
  CHECK(Field(t, "rdb_last_bgsave_time_sec") == "-1");
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "2"});
  CHECK(Field(t, "rdb_changes_since_last_save") == "2");
  t.server().lastsave_sec = 1000;
  CHECK(t.Run({"SAVE"}) == "OK");
  CHECK(ordis::test::FileExists(dir.File("dump.snap")));
  CHECK(Field(t, "rdb_changes_since_last_save") == "0");
  CHECK(Field(t, "rdb_saves") == "1");
  CHECK(Field(t, "rdb_last_bgsave_status") == "ok");
  int64_t last = t.Run({"LASTSAVE"}).integer;
  CHECK(last >= Server::NowMs() / 1000 - 5);
  CHECK(Field(t, "rdb_last_save_time") == std::to_string(last));
  CHECK(std::stoull(Field(t, "snapshot_last_bytes")) > 48);
  CHECK(Field(t, "snapshot_lsn") == "0");
  CHECK(t.Run({"SAVE", "x"}).is_error("ERR wrong number of arguments for 'save' command"));
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.Run({"SAVE"}).is_error("ERR Command not allowed inside a transaction"));
  CHECK(t.Run({"EXEC"}).is_error("EXECABORT*"));
}

TEST_CASE("BGSAVE runs in the background; a second one is refused", "[snapshot][commands]") {
  TempDir dir;
  TestServer t(SaveConfig(dir.File("dump.snap")));
  for (int i = 0; i < 1000; ++i) t.Run({"SET", "k" + std::to_string(i), "v"});
  CHECK(t.Run({"BGSAVE", "NOW"}).is_error("ERR syntax error"));
  REQUIRE(t.Run({"BGSAVE"}) == "Background saving started");
  CHECK(Field(t, "rdb_bgsave_in_progress") == "1");
  CHECK(Field(t, "rdb_current_bgsave_time_sec") == "0");
  CHECK(t.Run({"BGSAVE"}).is_error("ERR Background save already in progress"));
  CHECK(t.Run({"BGSAVE", "SCHEDULE"}).is_error("ERR Background save already in progress"));
  CHECK(t.Run({"SAVE"}).is_error("ERR Background save already in progress"));
  t.Run({"SET", "late1", "x"});
  t.Run({"SET", "late2", "x"});
  Finish(t);
  CHECK(Field(t, "rdb_bgsave_in_progress") == "0");
  CHECK(Field(t, "rdb_current_bgsave_time_sec") == "-1");
  CHECK(Field(t, "rdb_last_bgsave_status") == "ok");
  CHECK(Field(t, "rdb_last_bgsave_time_sec") == "0");
  CHECK(Field(t, "rdb_saves") == "1");
  // Changes made while it ran are not in the file: they still count.
  CHECK(Field(t, "rdb_changes_since_last_save") == "2");
  CHECK(ordis::test::FileExists(dir.File("dump.snap")));
  CHECK_FALSE(ordis::test::FileExists(dir.File("dump.snap.tmp")));
  CHECK(t.Run({"BGSAVE", "SCHEDULE"}) == "Background saving started");
  Finish(t);
  CHECK(Field(t, "rdb_saves") == "2");
}

TEST_CASE("BGSAVE inside a transaction is scheduled", "[snapshot][commands]") {
  TempDir dir;
  TestServer t(SaveConfig(dir.File("dump.snap")));
  t.Run({"MULTI"});
  t.Run({"SET", "a", "1"});
  t.Run({"BGSAVE"});
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 2);
  CHECK(r[1] == "Background saving scheduled");
  CHECK_FALSE(t.server().snapshots().in_progress());
  t.server().Cron();
  CHECK(t.server().snapshots().in_progress());
  Finish(t);
  CHECK(Field(t, "rdb_last_bgsave_status") == "ok");
}

TEST_CASE("a BGSAVE that cannot write reports err", "[snapshot][commands]") {
  TestServer t(SaveConfig("/nonexistent-ordis-dir/dump.snap"));
  CHECK(t.Run({"BGSAVE"}).is_error("ERR"));
  CHECK(Field(t, "rdb_last_bgsave_status") == "err");
  CHECK(t.Run({"SAVE"}).is_error("ERR"));
  CHECK(Field(t, "rdb_saves") == "0");
}

TEST_CASE("save rules start a BGSAVE from the cron", "[snapshot][commands]") {
  TempDir dir;
  Config cfg = SaveConfig(dir.File("dump.snap"));
  cfg.save = "3600 1000 5 2";
  TestServer t(cfg);
  t.server().lastsave_sec = Server::NowMs() / 1000 - 10;
  t.Run({"SET", "a", "1"});
  t.server().Cron();
  CHECK_FALSE(t.server().snapshots().in_progress());  // 1 change < 2
  t.Run({"SET", "b", "1"});
  t.server().Cron();
  REQUIRE(t.server().snapshots().in_progress());
  Finish(t);
  CHECK(Field(t, "rdb_changes_since_last_save") == "0");
  t.Run({"SET", "c", "1"});
  t.Run({"SET", "d", "1"});
  t.server().Cron();
  CHECK_FALSE(t.server().snapshots().in_progress());  // saved less than 5 s ago
}

TEST_CASE("persistence commands in the command table", "[snapshot][commands]") {
  TestServer t;
  RespValue info = t.Run({"COMMAND", "INFO", "save", "bgsave", "lastsave"});
  REQUIRE(info.size() == 3);
  CHECK(info[0][0] == "save");
  CHECK(info[0][1] == 1);
  CHECK(info[0][2].strings() == std::vector<std::string>{"admin", "noscript", "no_multi"});
  CHECK(info[1][1] == -1);
  CHECK(info[2][2].strings() == std::vector<std::string>{"loading", "stale", "fast"});
  RespValue docs = t.Run({"COMMAND", "DOCS", "bgsave"});
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].at("summary") == "Asynchronously save the dataset to disk");
}
