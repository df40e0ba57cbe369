// Snapshots over real sockets: BGSAVE while other clients keep writing,
// then a restart that loads the file must show the data exactly as it was
// when BGSAVE started (keys and orders); a damaged file stops startup with
// a message naming the file and the offset.
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

using namespace ordis::it;

namespace {

class Dir {
 public:
  Dir() {
    char t[] = "/tmp/ordis-it-snap-XXXXXX";
    REQUIRE(mkdtemp(t) != nullptr);
    path_ = t;
  }
  ~Dir() {
    if (DIR* d = opendir(path_.c_str())) {
      while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") unlink((path_ + "/" + n).c_str());
      }
      closedir(d);
    }
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> Args(const Dir& d) {
  return {"--dir",
          d.path(),
          "--dbfilename",
          "dump.snap",
          "--order-hugepages",
          "off",
          "--order-numa-node",
          "off",
          "--order-table-capacity",
          "200000",
          "--order-completed-keep",
          "2000"};
}

std::string InfoField(Redis& r, const std::string& name) {
  Reply info = r.Cmd({"INFO", "persistence"});
  size_t p = info.str.find(name + ":");
  if (p == std::string::npos) return "";
  p += name.size() + 1;
  return info.str.substr(p, info.str.find('\r', p) - p);
}

void WaitSaved(Redis& r) {
  for (int i = 0; i < 3000 && InfoField(r, "rdb_bgsave_in_progress") != "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(InfoField(r, "rdb_bgsave_in_progress") == "0");
  REQUIRE(InfoField(r, "rdb_last_bgsave_status") == "ok");
}

constexpr int kKeys = 60000;
constexpr int kOrders = 20000;

std::string Val(int i) {
  return "v:" + std::to_string(i) + std::string(static_cast<size_t>(i % 40), 'x');
}

}  // namespace

TEST_CASE("BGSAVE while clients write; a restart loads the state as of BGSAVE",
          "[snapshot][ordis-only]") {
  Dir dir;
  std::vector<std::string> expected_orders;
  std::vector<std::string> expected_depth;
  {
    ServerProcess srv(Args(dir));
    Redis r(srv.port());
    for (int i = 0; i < kKeys; ++i) r.Append({"SET", "k:" + std::to_string(i), Val(i)});
    for (int i = 0; i < kKeys; ++i) REQUIRE(r.GetReply() == "OK");
    r.Append({"RPUSH", "list", "a", "b", "c"});
    r.Append({"HSET", "hash", "f", "v", "g", "w"});
    r.Append({"ZADD", "zset", "1", "one", "2.5", "two"});
    r.Append({"SADD", "set", "x", "y", "7"});
    r.Append({"SET", "ttl", "t", "EX", "100000"});
    for (int i = 0; i < 5; ++i) REQUIRE(r.GetReply().ok());
    const char* syms[] = {"BTC-USD", "ETH-USD"};
    for (int i = 0; i < kOrders; ++i) {
      r.Append({"ORDER.PLACE", std::to_string(1 + i % 300), syms[i % 2], i % 3 ? "BUY" : "SELL",
                std::to_string(100 + i % 50), "2", "CID", "c" + std::to_string(i)});
    }
    for (int i = 0; i < kOrders; ++i) REQUIRE(r.GetReply().type == Reply::kInteger);
    for (int i = 1; i <= kOrders; i += 7)
      r.Append({"ORDER.FILL", std::to_string(i), "1", "100", "TRADE", std::to_string(i)});
    for (int i = 3; i <= kOrders; i += 11) r.Append({"ORDER.CANCEL", std::to_string(i)});
    for (int i = 1; i <= kOrders; i += 7) REQUIRE(r.GetReply().ok());
    for (int i = 3; i <= kOrders; i += 11) REQUIRE(r.GetReply().ok());
    // The expected image.
    for (int i = 1; i <= kOrders; ++i) r.Append({"ORDER.GET", std::to_string(i)});
    for (int i = 1; i <= kOrders; ++i) expected_orders.push_back(r.GetReply().ToString());
    for (const char* s : syms)
      expected_depth.push_back(r.Cmd({"ORDER.DEPTH", s, "1000"}).ToString());
    Reply dbsize = r.Cmd({"DBSIZE"});
    REQUIRE(dbsize == kKeys + 5);

    REQUIRE(r.Cmd({"BGSAVE"}) == "Background saving started");
    // Writers start after BGSAVE answered: nothing they do is in the image.
    std::atomic<bool> stop{false};
    std::atomic<int> writes{0};
    std::thread writer([&] {
      Redis w(srv.port());
      for (int i = 0; !stop; ++i) {
        int k = (i * 7919) % kKeys;
        w.Append({"SET", "k:" + std::to_string(k), "changed"});
        w.Append({"DEL", "k:" + std::to_string((k + 1) % kKeys)});
        w.Append({"APPEND", "k:" + std::to_string((k + 2) % kKeys), "++"});
        w.Append({"SET", "new:" + std::to_string(i), "n"});
        w.Append({"RPUSH", "list", "more"});
        w.Append({"ORDER.CANCEL", std::to_string(1 + (i * 31) % kOrders)});
        w.Append({"ORDER.FILL", std::to_string(1 + (i * 17) % kOrders), "1", "101"});
        w.Append({"ORDER.PLACE", "999", "BTC-USD", "BUY", "100", "1"});
        for (int j = 0; j < 8; ++j) {
          if (!w.GetReply().ok()) return;
        }
        writes += 8;
      }
    });
    WaitSaved(r);
    int during = writes.load();
    stop = true;
    writer.join();
    INFO("writes while the snapshot ran: " << during);
    CHECK(during > 0);
    CHECK(std::stoll(InfoField(r, "snapshot_last_bytes")) > 0);
  }  // SIGTERM

  ServerProcess srv(Args(dir));
  Redis r(srv.port());
  CHECK(r.Cmd({"DBSIZE"}) == kKeys + 5);
  CHECK(InfoField(r, "rdb_last_load_keys_loaded") == std::to_string(kKeys + 5));
  for (int base = 0; base < kKeys; base += 1000) {
    std::vector<std::string> mget = {"MGET"};
    for (int i = base; i < base + 1000; ++i) mget.push_back("k:" + std::to_string(i));
    Reply got = r.Cmd(mget);
    REQUIRE(got.elems.size() == 1000);
    int bad = 0;
    for (int i = 0; i < 1000; ++i) bad += !(got.elems[static_cast<size_t>(i)] == Val(base + i));
    REQUIRE(bad == 0);
  }
  CHECK(r.Cmd({"EXISTS", "new:0", "new:1"}) == 0);
  CHECK(r.Cmd({"LLEN", "list"}) == 3);
  CHECK(r.Cmd({"HGET", "hash", "g"}) == "w");
  CHECK(r.Cmd({"ZSCORE", "zset", "two"}) == "2.5");
  CHECK(r.Cmd({"SISMEMBER", "set", "7"}) == 1);
  Reply ttl = r.Cmd({"TTL", "ttl"});
  CHECK(ttl.integer > 99000);
  for (int i = 1; i <= kOrders; ++i) r.Append({"ORDER.GET", std::to_string(i)});
  int mismatched = 0;
  for (int i = 1; i <= kOrders; ++i)
    mismatched += r.GetReply().ToString() != expected_orders[static_cast<size_t>(i - 1)];
  CHECK(mismatched == 0);
  const char* syms[] = {"BTC-USD", "ETH-USD"};
  for (int s = 0; s < 2; ++s)
    CHECK(r.Cmd({"ORDER.DEPTH", syms[s], "1000"}).ToString() ==
          expected_depth[static_cast<size_t>(s)]);
  // The next id continues after the last one given before the snapshot.
  CHECK(r.Cmd({"ORDER.PLACE", "1", "BTC-USD", "BUY", "1", "1"}) == kOrders + 1);
  // TRADE idempotency survived: a retried trade replies as before.
  CHECK(r.Cmd({"ORDER.FILL", "8", "1", "100", "TRADE", "8"}) == "1");
}

TEST_CASE("a damaged snapshot stops startup, naming the file and the offset",
          "[snapshot][ordis-only]") {
  Dir dir;
  {
    ServerProcess srv(Args(dir));
    Redis r(srv.port());
    for (int i = 0; i < 2000; ++i) r.Append({"SET", "k" + std::to_string(i), Val(i)});
    for (int i = 0; i < 2000; ++i) REQUIRE(r.GetReply() == "OK");
    REQUIRE(r.Cmd({"SAVE"}) == "OK");
  }
  std::string file = dir.path() + "/dump.snap";
  std::string data;
  {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    data = ss.str();
  }
  REQUIRE(data.size() > 10000);
  data[5000] ^= 0x10;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << data;
  }
  std::string cmd = std::string(getenv("ORDIS_SERVER")) + " --port 27199 --bind 127.0.0.1 --dir " +
                    dir.path() + " --dbfilename dump.snap --order-hugepages off " +
                    "--order-table-capacity 1000 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  INFO(out);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(out.find(file) != std::string::npos);
  CHECK(out.find("at offset") != std::string::npos);
  CHECK(out.find("checksum mismatch") != std::string::npos);
}
