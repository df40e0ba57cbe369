#include "snapshot/loader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "kv/hash_type.h"
#include "kv/list_type.h"
#include "kv/set_type.h"
#include "kv/zset_type.h"
#include "snapshot/reader.h"

namespace ordis::snapshot {
namespace {

using order::OrderView;
using order::RecentTrades;

int64_t ThreadCpuUs() {
  rusage ru;
  if (getrusage(RUSAGE_THREAD, &ru) != 0) return 0;
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
         ru.ru_stime.tv_usec;
}

int64_t NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Fields shared by kOrder and kCompleted records. "" or what is wrong.
std::string DecodeOrderFields(Decoder* d, OrderView* v) {
  uint64_t sym;
  uint8_t bits;
  uint64_t price, filled, remaining;
  unsigned __int128 quote;
  int64_t created, updated_delta;
  if (!d->Varint(&v->id) || !d->Varint(&v->user) || !d->Varint(&sym) || !d->Byte(&bits) ||
      !d->Varint(&price) || !d->Varint(&filled) || !d->Varint(&remaining) ||
      !d->Varint128(&quote) || !d->SignedVarint(&created) || !d->SignedVarint(&updated_delta))
    return "truncated order record";
  if (v->id == 0 || v->id > static_cast<uint64_t>(INT64_MAX)) return "bad order id";
  if (sym >= order::kMaxSymbols) return "bad symbol id";
  if (price > INT64_MAX || filled > INT64_MAX || remaining > INT64_MAX ||
      quote > static_cast<unsigned __int128>(std::numeric_limits<__int128>::max()))
    return "bad price or quantity";
  order::Order o{};
  o.bits = bits;
  if (static_cast<unsigned>(o.status()) > static_cast<unsigned>(order::OrderStatus::kExpired))
    return "bad order status";
  v->symbol = static_cast<uint16_t>(sym);
  v->side = o.side();
  v->type = o.type();
  v->tif = o.tif();
  v->status = o.status();
  v->price = static_cast<int64_t>(price);
  v->filled = static_cast<int64_t>(filled);
  v->remaining = static_cast<int64_t>(remaining);
  v->quote = static_cast<__int128>(quote);
  v->created_us = created;
  v->updated_us = created + updated_delta;
  v->expire_ms = 0;
  if (v->tif == order::Tif::kGtd && !d->SignedVarint(&v->expire_ms))
    return "truncated order record";
  uint8_t cid_len;
  std::string_view cid;
  if (!d->Byte(&cid_len) || !d->Raw(cid_len, &cid)) return "truncated order record";
  if (cid_len > 0 && !order::ValidCid(cid)) return "bad client order id";
  v->cid = order::PackCid(cid);
  return "";
}

std::string DecodeTrades(Decoder* d, RecentTrades* t, bool* has) {
  uint8_t n;
  if (!d->Byte(&n)) return "truncated order record";
  *t = RecentTrades{};
  *has = n > 0;
  if (n == 0) return "";
  uint8_t next;
  if (n > order::kRecentTrades || !d->Byte(&next) || next >= order::kRecentTrades)
    return "bad trade-id list";
  t->n = n;
  t->next = next;
  for (uint32_t i = 0; i < n; ++i) {
    if (!d->Varint(&t->marks[i].trade) || !d->SignedVarint(&t->marks[i].remaining))
      return "truncated order record";
  }
  return "";
}

const char* OrderErrorText(order::OrderError e) {
  switch (e) {
    case order::OrderError::kTableFull:
      return "the order table is full (raise order-table-capacity)";
    case order::OrderError::kIdExists:
      return "duplicate order id or symbol";
    case order::OrderError::kIdsExhausted:
      return "order id not below the table's next id";
    case order::OrderError::kDuplicateCid:
      return "duplicate client order id";
    case order::OrderError::kNotFound:
      return "order of an unknown symbol";
    case order::OrderError::kNotLive:
      return "a live order with a terminal status";
    case order::OrderError::kTooManySymbols:
      return "too many symbols";
    default:
      return "order table error";
  }
}

// Builds the value of a kKey record into a new entry; nullptr and *err on
// failure.
Entry* BuildEntry(std::string_view key, uint8_t flags, ValueTag tag, Decoder* d, std::string* err) {
  auto fail = [&](const char* what) -> Entry* {
    *err = what;
    return nullptr;
  };
  // Element counts are checked against the bytes left (each element takes
  // at least one byte) so a damaged count cannot ask for huge memory.
  auto count = [&](uint64_t* n) { return d->Varint(n) && *n <= d->remaining(); };
  switch (tag) {
    case ValueTag::kStrInt: {
      int64_t v;
      if (!d->SignedVarint(&v)) return fail("truncated string value");
      return NewIntEntry(key, v);
    }
    case ValueTag::kStrBytes: {
      std::string_view v;
      if (!d->Bytes(&v)) return fail("truncated string value");
      if (!(flags & kKeyMutated)) return NewStringEntry(key, v);
      // Modified in place before: rebuilt the way APPEND leaves it ("raw").
      Entry* e = NewStringEntry(key, "");
      char* p = ResizeString(e, v.size());
      if (!v.empty()) std::memcpy(p, v.data(), v.size());
      return e;
    }
    case ValueTag::kList: {
      uint64_t n;
      if (!count(&n) || n == 0) return fail("bad list length");
      auto* l = new ListObject();
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view s;
        if (!d->Bytes(&s)) {
          delete l;
          return fail("truncated list");
        }
        l->items.emplace_back(s);
      }
      return NewObjectEntry(key, ValueType::kList, l);
    }
    case ValueTag::kSetIntset:
    case ValueTag::kSetTable: {
      uint64_t n;
      if (!count(&n) || n == 0) return fail("bad set size");
      auto* s = new SetObject();
      if (tag == ValueTag::kSetTable) s->ConvertToHashtable();
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view m;
        if (!d->Bytes(&m)) {
          delete s;
          return fail("truncated set");
        }
        (void)s->Add(m, INT64_MAX);
      }
      return NewObjectEntry(key, ValueType::kSet, s);
    }
    case ValueTag::kHashListpack:
    case ValueTag::kHashTable: {
      uint64_t n;
      if (!count(&n) || n == 0) return fail("bad hash size");
      auto* h = new HashObject();
      if (tag == ValueTag::kHashTable) h->ConvertToHashtable();
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view f, v;
        if (!d->Bytes(&f) || !d->Bytes(&v)) {
          delete h;
          return fail("truncated hash");
        }
        (void)h->Set(f, v, INT64_MAX, INT64_MAX);
      }
      return NewObjectEntry(key, ValueType::kHash, h);
    }
    case ValueTag::kZSetListpack:
    case ValueTag::kZSetSkiplist: {
      uint64_t n;
      if (!count(&n) || n == 0) return fail("bad sorted set size");
      auto* z = new ZSetObject(tag == ValueTag::kZSetSkiplist);
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view m;
        uint64_t bits;
        if (!d->Bytes(&m) || !d->Fixed64(&bits)) {
          delete z;
          return fail("truncated sorted set");
        }
        double score;
        std::memcpy(&score, &bits, 8);
        if (std::isnan(score)) {
          delete z;
          return fail("NaN score in a sorted set");
        }
        double ns;
        (void)z->Add(score, m, ZAddFlags{}, INT64_MAX, INT64_MAX, &ns);
      }
      return NewObjectEntry(key, ValueType::kZSet, z);
    }
  }
  return fail("unknown value type");
}

class Loader {
 public:
  Loader(std::string_view data, const std::string& name, Keyspace& ks, order::OrderTable* orders,
         const LoadOptions& opts, LoadResult* out)
      : reader_(data, name), ks_(ks), orders_(orders), opts_(opts), out_(out) {}

  Status Run();

 private:
  Status Key(std::string_view body, uint64_t at);
  Status Order(std::string_view body, uint64_t at);
  Status Completed(std::string_view body, uint64_t at);
  Status Symbol(std::string_view body, uint64_t at);
  Status TableState(std::string_view body, uint64_t at);
  Status End(std::string_view body, uint64_t at);
  Status NeedTable(uint64_t at) {
    if (orders_) return Status::OK();
    return reader_.Corrupt(at, "order records but no order table to load them into");
  }

  Reader reader_;
  Keyspace& ks_;
  order::OrderTable* orders_;
  const LoadOptions& opts_;
  LoadResult* out_;
  int64_t now_ms_ = 0;
  bool have_state_ = false;
  bool ended_ = false;
  uint64_t expected_symbols_ = 0;
  uint64_t expected_orders_ = 0;
  order::TableCounters counters_;
};

Status Loader::Run() {
  int64_t start = NowUs();
  int64_t cpu_start = ThreadCpuUs();
  now_ms_ = opts_.now_ms ? opts_.now_ms : start / 1000;
  Status s = reader_.ReadHeader(&out_->header);
  if (!s.ok()) return s;
  if (orders_) orders_->BeginRestore();
  RecordKind kind;
  std::string_view body;
  uint64_t at;
  while (reader_.Next(&kind, &body, &at)) {
    if (ended_) return reader_.Corrupt(at, "records after the end record");
    switch (kind) {
      case RecordKind::kKey: {
        int64_t t0 = NowUs();
        s = Key(body, at);
        out_->keys_us += NowUs() - t0;
        break;
      }
      case RecordKind::kOrder:
        s = Order(body, at);
        break;
      case RecordKind::kCompleted:
        s = Completed(body, at);
        break;
      case RecordKind::kSymbol:
        s = Symbol(body, at);
        break;
      case RecordKind::kTableState:
        s = TableState(body, at);
        break;
      case RecordKind::kEnd:
        s = End(body, at);
        break;
      default:
        s = reader_.Corrupt(at, "unknown record kind " + std::to_string(static_cast<int>(kind)));
    }
    if (!s.ok()) return s;
    if (opts_.progress && reader_.records() % (1u << 20) == 0)
      opts_.progress(*out_, reader_.offset(), reader_.size());
  }
  if (!reader_.status().ok()) return reader_.status();
  if (!ended_) return reader_.Corrupt(reader_.offset(), "no end record");
  if (orders_) {
    std::string err = orders_->FinishRestore();
    if (!err.empty()) return reader_.Corrupt(reader_.offset(), "order table: " + err);
  }
  out_->bytes = reader_.size();
  out_->duration_us = NowUs() - start;
  out_->cpu_us = ThreadCpuUs() - cpu_start;
  return Status::OK();
}

Status Loader::Key(std::string_view body, uint64_t at) {
  Decoder d(body);
  uint64_t db;
  std::string_view key;
  uint8_t flags, tag;
  int64_t expire = -1;
  if (!d.Varint(&db) || !d.Bytes(&key) || !d.Byte(&flags))
    return reader_.Corrupt(at, "truncated key record");
  if ((flags & kKeyHasExpire) && !d.SignedVarint(&expire))
    return reader_.Corrupt(at, "truncated key record");
  if (!d.Byte(&tag)) return reader_.Corrupt(at, "truncated key record");
  if (db >= static_cast<uint64_t>(ks_.db_count()))
    return reader_.Corrupt(at, "key in database " + std::to_string(db) + " but the server has " +
                                   std::to_string(ks_.db_count()) + " databases (see 'databases')");
  Db& target = ks_.db(static_cast<int>(db));
  if (target.Peek(key)) return reader_.Corrupt(at, "a key appears twice");
  std::string err;
  Entry* e = BuildEntry(key, flags, static_cast<ValueTag>(tag), &d, &err);
  if (!e) return reader_.Corrupt(at, err);
  if (!d.done()) {
    FreeEntry(e);
    return reader_.Corrupt(at, "unexpected bytes at the end of a key record");
  }
  target.Add(e);
  if (expire >= 0) {
    target.SetExpire(e, expire);
    if (expire < now_ms_) ++out_->keys_expired;
  }
  ++out_->keys;
  return Status::OK();
}

Status Loader::Order(std::string_view body, uint64_t at) {
  Status s = NeedTable(at);
  if (!s.ok()) return s;
  Decoder d(body);
  order::OrderImage img;
  std::string err = DecodeOrderFields(&d, &img.view);
  if (err.empty() && !d.Varint(&img.level_prev_id)) err = "truncated order record";
  if (err.empty()) err = DecodeTrades(&d, &img.trades, &img.has_trades);
  if (err.empty() && !d.done()) err = "unexpected bytes at the end of an order record";
  if (!err.empty()) return reader_.Corrupt(at, err);
  order::OrderError e = orders_->RestoreOrder(img);
  if (e != order::OrderError::kOk)
    return reader_.Corrupt(at, "order " + std::to_string(img.view.id) + ": " + OrderErrorText(e));
  ++out_->orders;
  return Status::OK();
}

Status Loader::Completed(std::string_view body, uint64_t at) {
  Status s = NeedTable(at);
  if (!s.ok()) return s;
  Decoder d(body);
  OrderView v;
  RecentTrades t;
  bool has;
  std::string err = DecodeOrderFields(&d, &v);
  if (err.empty()) err = DecodeTrades(&d, &t, &has);
  if (err.empty() && !d.done()) err = "unexpected bytes at the end of a completed-order record";
  if (err.empty() && order::IsLive(v.status)) err = "a completed order with a live status";
  if (!err.empty()) return reader_.Corrupt(at, err);
  orders_->RestoreCompleted(v, has ? &t : nullptr);
  ++out_->completed;
  return Status::OK();
}

Status Loader::Symbol(std::string_view body, uint64_t at) {
  Status s = NeedTable(at);
  if (!s.ok()) return s;
  Decoder d(body);
  uint64_t id, tick, lot;
  uint8_t n;
  std::string_view name;
  if (!d.Varint(&id) || !d.Byte(&n) || !d.Raw(n, &name) || !d.Varint(&tick) || !d.Varint(&lot) ||
      !d.done())
    return reader_.Corrupt(at, "malformed symbol record");
  if (id != orders_->symbol_count()) return reader_.Corrupt(at, "symbols out of order");
  if (!order::ValidSymbol(name) || tick > INT64_MAX || lot > INT64_MAX)
    return reader_.Corrupt(at, "bad symbol");
  order::OrderError e = orders_->RestoreSymbol(
      order::SymbolInfo{std::string(name), static_cast<int64_t>(tick), static_cast<int64_t>(lot)});
  if (e != order::OrderError::kOk)
    return reader_.Corrupt(at, "symbol " + std::string(name) + ": " + OrderErrorText(e));
  ++out_->symbols;
  return Status::OK();
}

Status Loader::TableState(std::string_view body, uint64_t at) {
  if (have_state_) return reader_.Corrupt(at, "a second table-state record");
  Decoder d(body);
  order::TableCounters& c = counters_;
  if (!d.Varint(&c.next_id) || !d.SignedVarint(&c.clock_us) ||
      !d.SignedVarint(&c.last_created_us) || !d.Varint(&c.placed) || !d.Varint(&c.canceled) ||
      !d.Varint(&c.filled) || !d.Varint(&c.expired) || !d.Varint(&expected_symbols_) ||
      !d.Varint(&expected_orders_) || !d.done())
    return reader_.Corrupt(at, "malformed table-state record");
  if (c.next_id == 0) return reader_.Corrupt(at, "bad next order id");
  if (expected_symbols_ > 0 && !orders_) return NeedTable(at);
  have_state_ = true;
  // Orders are checked against the next id: restore the counters first.
  if (orders_) {
    orders_->RestoreCounters(c);
    orders_->ReserveRestore(expected_orders_);
  }
  return Status::OK();
}

Status Loader::End(std::string_view body, uint64_t at) {
  Decoder d(body);
  uint64_t keys, orders, completed, symbols;
  if (!d.Varint(&keys) || !d.Varint(&orders) || !d.Varint(&completed) || !d.Varint(&symbols) ||
      !d.done())
    return reader_.Corrupt(at, "malformed end record");
  if (keys != out_->keys || orders != out_->orders || completed != out_->completed ||
      symbols != out_->symbols || symbols != expected_symbols_ || orders != expected_orders_)
    return reader_.Corrupt(at, "the end record's counts (" + std::to_string(keys) + " keys, " +
                                   std::to_string(orders) + " orders, " +
                                   std::to_string(completed) + " completed, " +
                                   std::to_string(symbols) + " symbols) do not match the file");
  ended_ = true;
  return Status::OK();
}

}  // namespace

Status LoadFromMemory(std::string_view data, const std::string& name, Keyspace& ks,
                      order::OrderTable* orders, const LoadOptions& opts, LoadResult* out) {
  *out = LoadResult{};
  return Loader(data, name, ks, orders, opts, out).Run();
}

Status LoadFile(const std::string& path, Keyspace& ks, order::OrderTable* orders,
                const LoadOptions& opts, LoadResult* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path);
    return Status::IOError("can't open " + path + ": " + strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return Status::IOError("can't stat " + path + ": " + strerror(err));
  }
  auto size = static_cast<size_t>(st.st_size);
  void* map = nullptr;
  if (size > 0) {
    map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      int err = errno;
      close(fd);
      return Status::IOError("can't map " + path + ": " + strerror(err));
    }
    (void)madvise(map, size, MADV_SEQUENTIAL);
    (void)madvise(map, size, MADV_WILLNEED);
  }
  close(fd);
  Status s = LoadFromMemory(std::string_view(static_cast<const char*>(map), size), path, ks, orders,
                            opts, out);
  if (map) munmap(map, size);
  return s;
}

}  // namespace ordis::snapshot
