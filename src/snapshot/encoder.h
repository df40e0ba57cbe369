// RecordEncoder: turns keys, orders, completed orders, symbols and the
// table's counters into snapshot records (format.h), packed into blocks.
// The current block starts with kBlockHeaderSize reserved bytes, which
// FileWriter::WriteBlock fills in.
//
// Thread safety: none.
#pragma once

#include <cstdint>
#include <string>

#include "kv/entry.h"
#include "order/order_table.h"
#include "snapshot/format.h"

namespace ordis::snapshot {

// kTableState: the order table's counters and what the snapshot holds.
struct TableStateRecord {
  order::TableCounters counters;
  uint64_t symbols = 0;  // kSymbol records that follow
  uint64_t orders = 0;   // live orders at the snapshot's start (kOrder records)
};

// kEnd: how many records of each kind precede it.
struct EndRecord {
  uint64_t keys = 0;
  uint64_t orders = 0;
  uint64_t completed = 0;
  uint64_t symbols = 0;
};

class RecordEncoder {
 public:
  RecordEncoder() { Reset(std::string()); }

  // The key's record: db, key, TTL (absolute ms, -1 none), value. False
  // (nothing added) if the value cannot be encoded: a record of 4 GiB or
  // more, or a type the format does not know (streams).
  bool Key(int db, const Entry* e, int64_t expire_ms);
  void Order(const order::OrderImage& img);
  void Completed(const order::OrderView& v, const order::RecentTrades* trades);
  void Symbol(uint16_t id, const order::SymbolInfo& s);
  void TableState(const TableStateRecord& st);
  void End(const EndRecord& c);

  // Records in the current block, and its payload size.
  uint64_t block_records() const { return block_records_; }
  size_t payload_bytes() const { return buf_.size() - kBlockHeaderSize; }
  bool full() const { return payload_bytes() >= kBlockTarget; }
  // Moves the current block out and starts a new one in `reuse` (a
  // buffer whose capacity is recycled; its contents are dropped).
  std::string TakeBlock(std::string reuse = std::string());

  // Records of each kind encoded so far (for the kEnd record).
  const EndRecord& counts() const { return counts_; }

 private:
  void Reset(std::string buf);
  size_t BeginRecord(RecordKind kind);  // returns where the body starts
  bool EndRecordBody(size_t body_start);
  void AppendSmall(RecordKind kind, const char* body, size_t n);

  std::string buf_;
  uint64_t block_records_ = 0;
  EndRecord counts_;
};

}  // namespace ordis::snapshot
