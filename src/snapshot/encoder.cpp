#include "snapshot/encoder.h"

#include "kv/hash_type.h"
#include "kv/list_type.h"
#include "kv/set_type.h"
#include "kv/zset_type.h"

namespace ordis::snapshot {
namespace {

using order::OrderView;
using order::RecentTrades;

// Longest encoding of an order or completed record body: 11 varints of up
// to 10 bytes, a 128-bit varint, bits, the CID and 8 trade marks.
constexpr size_t kMaxOrderBody = 11 * 10 + 19 + 1 + 1 + order::kMaxCidLen + 2 + 8 * 20;

char* PutOrderFields(char* p, const OrderView& v) {
  p = PutVarint(p, v.id);
  p = PutVarint(p, v.user);
  p = PutVarint(p, v.symbol);
  *p++ = static_cast<char>(order::Order::MakeBits(v.side, v.type, v.tif, v.status));
  p = PutVarint(p, static_cast<uint64_t>(v.price));
  p = PutVarint(p, static_cast<uint64_t>(v.filled));
  p = PutVarint(p, static_cast<uint64_t>(v.remaining));
  p = PutVarint(p, static_cast<unsigned __int128>(v.quote));
  p = PutVarint(p, ZigZag(v.created_us));
  p = PutVarint(p, ZigZag(v.updated_us - v.created_us));
  if (v.tif == order::Tif::kGtd) p = PutVarint(p, ZigZag(v.expire_ms));
  char cid[order::kMaxCidLen];
  size_t n = order::UnpackCid(v.cid, cid);
  *p++ = static_cast<char>(n);
  std::memcpy(p, cid, n);
  return p + n;
}

char* PutTrades(char* p, const RecentTrades* t) {
  uint32_t n = t ? t->n : 0;
  *p++ = static_cast<char>(n);
  if (n == 0) return p;
  *p++ = static_cast<char>(t->next);
  for (uint32_t i = 0; i < n; ++i) {
    p = PutVarint(p, t->marks[i].trade);
    p = PutVarint(p, ZigZag(t->marks[i].remaining));
  }
  return p;
}

void PutScore(std::string* s, double d) {
  char b[8];
  std::memcpy(b, &d, 8);
  s->append(b, 8);
}

}  // namespace

void RecordEncoder::Reset(std::string buf) {
  buf_ = std::move(buf);
  buf_.clear();
  buf_.reserve(kBlockTarget + 64 * 1024);
  buf_.append(kBlockHeaderSize, '\0');
  block_records_ = 0;
}

std::string RecordEncoder::TakeBlock(std::string reuse) {
  std::string out = std::move(buf_);
  Reset(std::move(reuse));
  return out;
}

size_t RecordEncoder::BeginRecord(RecordKind kind) {
  buf_.push_back(static_cast<char>(kind));
  buf_.append(4, '\0');
  return buf_.size();
}

bool RecordEncoder::EndRecordBody(size_t body_start) {
  size_t len = buf_.size() - body_start;
  if (len > UINT32_MAX) {
    buf_.resize(body_start - kRecordHeaderSize);
    return false;
  }
  PutFixed32(buf_.data() + body_start - 4, static_cast<uint32_t>(len));
  ++block_records_;
  return true;
}

void RecordEncoder::AppendSmall(RecordKind kind, const char* body, size_t n) {
  char head[kRecordHeaderSize];
  head[0] = static_cast<char>(kind);
  PutFixed32(head + 1, static_cast<uint32_t>(n));
  buf_.append(head, kRecordHeaderSize);
  buf_.append(body, n);
  ++block_records_;
}

bool RecordEncoder::Key(int db, const Entry* e, int64_t expire_ms) {
  ValueTag tag;
  switch (e->type) {
    case ValueType::kString:
      tag = e->enc == Encoding::kInt ? ValueTag::kStrInt : ValueTag::kStrBytes;
      break;
    case ValueType::kList:
      tag = ValueTag::kList;
      break;
    case ValueType::kSet:
      tag = static_cast<const SetObject*>(e->object())->is_intset() ? ValueTag::kSetIntset
                                                                    : ValueTag::kSetTable;
      break;
    case ValueType::kHash:
      tag = static_cast<const HashObject*>(e->object())->is_listpack() ? ValueTag::kHashListpack
                                                                       : ValueTag::kHashTable;
      break;
    case ValueType::kZSet:
      tag = static_cast<const ZSetObject*>(e->object())->is_listpack() ? ValueTag::kZSetListpack
                                                                       : ValueTag::kZSetSkiplist;
      break;
    default:
      return false;
  }
  size_t body = BeginRecord(RecordKind::kKey);
  AppendVarint(&buf_, static_cast<uint64_t>(db));
  AppendBytes(&buf_, e->key());
  uint8_t flags = 0;
  if (expire_ms >= 0) flags |= kKeyHasExpire;
  if (e->flags & Entry::kMutated) flags |= kKeyMutated;
  buf_.push_back(static_cast<char>(flags));
  if (expire_ms >= 0) AppendVarint(&buf_, ZigZag(expire_ms));
  buf_.push_back(static_cast<char>(tag));
  switch (tag) {
    case ValueTag::kStrInt:
      AppendVarint(&buf_, ZigZag(e->int_value()));
      break;
    case ValueTag::kStrBytes: {
      std::string scratch;
      AppendBytes(&buf_, e->str(&scratch));
      break;
    }
    case ValueTag::kList: {
      const auto* l = static_cast<const ListObject*>(e->object());
      AppendVarint(&buf_, l->items.size());
      for (const std::string& s : l->items) AppendBytes(&buf_, s);
      break;
    }
    case ValueTag::kSetIntset:
    case ValueTag::kSetTable: {
      const auto* s = static_cast<const SetObject*>(e->object());
      AppendVarint(&buf_, s->size());
      s->ForEach([&](std::string_view m) { AppendBytes(&buf_, m); });
      break;
    }
    case ValueTag::kHashListpack:
    case ValueTag::kHashTable: {
      const auto* h = static_cast<const HashObject*>(e->object());
      AppendVarint(&buf_, h->size());
      h->ForEach([&](std::string_view f, std::string_view v) {
        AppendBytes(&buf_, f);
        AppendBytes(&buf_, v);
      });
      break;
    }
    case ValueTag::kZSetListpack:
    case ValueTag::kZSetSkiplist: {
      const auto* z = static_cast<const ZSetObject*>(e->object());
      AppendVarint(&buf_, z->size());
      z->ForEach([&](std::string_view m, double score) {
        AppendBytes(&buf_, m);
        PutScore(&buf_, score);
      });
      break;
    }
  }
  if (!EndRecordBody(body)) return false;
  ++counts_.keys;
  return true;
}

void RecordEncoder::Order(const order::OrderImage& img) {
  char body[kMaxOrderBody];
  char* p = PutOrderFields(body, img.view);
  p = PutVarint(p, img.level_prev_id);
  p = PutTrades(p, img.has_trades ? &img.trades : nullptr);
  AppendSmall(RecordKind::kOrder, body, static_cast<size_t>(p - body));
  ++counts_.orders;
}

void RecordEncoder::Completed(const OrderView& v, const RecentTrades* trades) {
  char body[kMaxOrderBody];
  char* p = PutOrderFields(body, v);
  p = PutTrades(p, trades);
  AppendSmall(RecordKind::kCompleted, body, static_cast<size_t>(p - body));
  ++counts_.completed;
}

void RecordEncoder::Symbol(uint16_t id, const order::SymbolInfo& s) {
  char body[3 * 10 + 1 + 255];
  char* p = PutVarint(body, id);
  size_t n = std::min<size_t>(s.name.size(), 255);
  *p++ = static_cast<char>(n);
  std::memcpy(p, s.name.data(), n);
  p += n;
  p = PutVarint(p, static_cast<uint64_t>(s.tick));
  p = PutVarint(p, static_cast<uint64_t>(s.lot));
  AppendSmall(RecordKind::kSymbol, body, static_cast<size_t>(p - body));
  ++counts_.symbols;
}

void RecordEncoder::TableState(const TableStateRecord& st) {
  char body[9 * 10];
  char* p = PutVarint(body, st.counters.next_id);
  p = PutVarint(p, ZigZag(st.counters.clock_us));
  p = PutVarint(p, ZigZag(st.counters.last_created_us));
  p = PutVarint(p, st.counters.placed);
  p = PutVarint(p, st.counters.canceled);
  p = PutVarint(p, st.counters.filled);
  p = PutVarint(p, st.counters.expired);
  p = PutVarint(p, st.symbols);
  p = PutVarint(p, st.orders);
  AppendSmall(RecordKind::kTableState, body, static_cast<size_t>(p - body));
}

void RecordEncoder::End(const EndRecord& c) {
  char body[4 * 10];
  char* p = PutVarint(body, c.keys);
  p = PutVarint(p, c.orders);
  p = PutVarint(p, c.completed);
  p = PutVarint(p, c.symbols);
  AppendSmall(RecordKind::kEnd, body, static_cast<size_t>(p - body));
}

}  // namespace ordis::snapshot
