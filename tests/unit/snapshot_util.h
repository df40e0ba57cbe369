// Helpers shared by the snapshot tests: an in-memory WritableFile that
// injects short writes and fsync failures, and canonical dumps of a
// keyspace and an order table (everything a reload must reproduce, in a
// form that compares with ==).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kv/keyspace.h"
#include "order/order_table.h"
#include "snapshot/file.h"

namespace ordis::test {

class MemFile final : public snapshot::WritableFile {
 public:
  std::string data;
  size_t fail_after = SIZE_MAX;  // appends past this many bytes write part, then fail
  bool fail_sync = false;
  int syncs = 0;
  bool closed = false;

  snapshot::Status Append(std::string_view d) override {
    if (data.size() + d.size() > fail_after) {
      data.append(d.substr(0, fail_after - std::min(fail_after, data.size())));
      return snapshot::Status::IOError("mem: no space left on device (injected)");
    }
    data.append(d);
    return snapshot::Status::OK();
  }
  snapshot::Status Sync() override {
    ++syncs;
    if (fail_sync) return snapshot::Status::IOError("mem: fsync failed (injected)");
    return snapshot::Status::OK();
  }
  snapshot::Status Close() override {
    closed = true;
    return snapshot::Status::OK();
  }
};

// db:key -> "type|encoding|ttl|value", with values in a canonical order
// (lists in order, sets and hashes sorted, sorted sets in score order).
std::map<std::string, std::string> DumpKeyspace(Keyspace& ks);

// Every order readable by id (1 .. next id - 1), the completed ring oldest
// first, each user's open orders (all, and per symbol), every book's
// levels with their FIFO, symbols, counters. Users 1..max_user.
std::string DumpOrders(order::OrderTable& t, uint64_t max_user);

// A unique temporary directory (removed with its files by the destructor).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFileOrEmpty(const std::string& path);
bool FileExists(const std::string& path);

}  // namespace ordis::test
