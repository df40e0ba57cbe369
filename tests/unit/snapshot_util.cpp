#include "snapshot_util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kv/hash_type.h"
#include "kv/list_type.h"
#include "kv/set_type.h"
#include "kv/zset_type.h"

namespace ordis::test {

namespace {

std::string Q(std::string_view s) {
  return std::to_string(s.size()) + ":" + std::string(s);
}

std::string ScoreText(double d) {
  char b[40];
  snprintf(b, sizeof b, "%.17g", d);
  return b;
}

std::string ViewText(const order::OrderView& v) {
  char cid[order::kMaxCidLen];
  size_t n = order::UnpackCid(v.cid, cid);
  std::ostringstream os;
  os << "id=" << v.id << " user=" << v.user << " sym=" << v.symbol << " side=" << int(v.side)
     << " type=" << int(v.type) << " tif=" << int(v.tif) << " st=" << int(v.status)
     << " px=" << v.price << " filled=" << v.filled << " rem=" << v.remaining
     << " quote=" << static_cast<int64_t>(v.quote >> 64) << "/" << static_cast<uint64_t>(v.quote)
     << " c=" << v.created_us << " u=" << v.updated_us << " exp=" << v.expire_ms
     << " cid=" << std::string(cid, n);
  return os.str();
}

}  // namespace

std::map<std::string, std::string> DumpKeyspace(Keyspace& ks) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < ks.db_count(); ++i) {
    Db& db = ks.db(i);
    db.ForEach([&](Entry* e) {
      std::string v = std::to_string(static_cast<int>(e->type)) + "|" + e->EncodingName() + "|" +
                      std::to_string(db.GetExpire(e)) + "|";
      switch (e->type) {
        case ValueType::kString: {
          std::string scratch;
          v += Q(e->str(&scratch));
          break;
        }
        case ValueType::kList:
          for (const std::string& s : static_cast<ListObject*>(e->object())->items) v += Q(s);
          break;
        case ValueType::kSet: {
          std::vector<std::string> m;
          static_cast<SetObject*>(e->object())->ForEach([&](std::string_view s) {
            m.emplace_back(s);
          });
          std::sort(m.begin(), m.end());
          for (const auto& s : m) v += Q(s);
          break;
        }
        case ValueType::kHash: {
          std::vector<std::string> m;
          static_cast<HashObject*>(e->object())
              ->ForEach([&](std::string_view f, std::string_view val) {
                m.push_back(Q(f) + "=" + Q(val));
              });
          std::sort(m.begin(), m.end());
          for (const auto& s : m) v += s;
          break;
        }
        case ValueType::kZSet:
          static_cast<ZSetObject*>(e->object())->ForEach([&](std::string_view m, double score) {
            v += Q(m) + "@" + ScoreText(score);
          });
          break;
        default:
          v += "?";
      }
      out[std::to_string(i) + ":" + std::string(e->key())] = v;
    });
  }
  return out;
}

std::string DumpOrders(order::OrderTable& t, uint64_t max_user) {
  std::ostringstream os;
  order::TableCounters c = t.counters();
  os << "next=" << c.next_id << " clock=" << c.clock_us << " last=" << c.last_created_us
     << " totals=" << c.placed << "/" << c.canceled << "/" << c.filled << "/" << c.expired
     << " live=" << t.live() << " ring=" << t.completed().size() << "\n";
  for (size_t s = 0; s < t.symbol_count(); ++s) {
    const order::SymbolInfo& si = t.symbol(static_cast<uint16_t>(s));
    os << "sym " << s << " " << si.name << " " << si.tick << " " << si.lot << "\n";
  }
  for (uint64_t id = 1; id < c.next_id; ++id) {
    order::OrderView v;
    if (t.Get(id, 0, &v)) os << ViewText(v) << "\n";
  }
  const order::CompletedRing& ring = t.completed();
  order::CompletedRing::Cursor cur = ring.Oldest();
  os << "ring:";
  while (cur.seq < ring.end_seq()) {
    order::OrderView v;
    order::RecentTrades tr;
    ring.ReadNext(&cur, &v, &tr);
    os << " " << v.id << "[" << tr.n;
    for (uint32_t i = 0; i < tr.n; ++i)
      os << "," << tr.marks[i].trade << ":" << tr.marks[i].remaining;
    os << "]";
  }
  os << "\n";
  std::vector<std::string> names = t.SymbolNames();
  for (uint64_t u = 1; u <= max_user; ++u) {
    std::vector<order::OrderView> open;
    t.Open(u, "", SIZE_MAX, 0, &open);
    if (open.empty()) continue;
    os << "user " << u << ":";
    for (const auto& v : open) os << " " << v.id;
    for (const std::string& n : names) {
      std::vector<order::OrderView> o2;
      t.Open(u, n, SIZE_MAX, 0, &o2);
      if (o2.empty()) continue;
      os << " | " << n << ":";
      for (const auto& v : o2) os << " " << v.id;
    }
    os << "\n";
  }
  for (const std::string& n : names) {
    for (order::Side side : {order::Side::kBuy, order::Side::kSell}) {
      std::vector<order::LevelState> levels;
      t.Depth(n, side, SIZE_MAX, 0, &levels);
      for (const auto& l : levels) {
        os << n << (side == order::Side::kBuy ? " B " : " S ") << l.price << " " << l.qty << " "
           << l.count << ":";
        std::vector<uint64_t> ids;
        t.LevelOrders(n, side, l.price, &ids);
        for (uint64_t id : ids) os << " " << id;
        os << "\n";
      }
    }
  }
  return os.str();
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/ordis-snap-test-XXXXXX";
  char* p = mkdtemp(tmpl);
  if (p) path_ = p;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  if (DIR* d = opendir(path_.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") unlink((path_ + "/" + n).c_str());
    }
    closedir(d);
  }
  rmdir(path_.c_str());
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace ordis::test
