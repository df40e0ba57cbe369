#include "order/completed_ring.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>

namespace ordis::order {
namespace {

// Entry layout (starts 4-byte aligned):
//   u8 length in 4-byte units (0: wrap marker, the next entry is at offset 0)
//   varint id, varint user, u8 cid length, cid bytes,
//   varint symbol, u8 bits, varint price, filled, remaining, quote (u128),
//   created_us, zigzag(updated_us - created_us), expire_ms,
//   u8 trade count, then (varint trade, varint remaining) pairs.
// Quantities, prices and quote are never negative.

using U128 = unsigned __int128;

uint8_t* PutVar(uint8_t* p, U128 v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v) | 0x80;
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

const uint8_t* GetVar(const uint8_t* p, U128* v) {
  U128 r = 0;
  int shift = 0;
  while (*p & 0x80) {
    r |= static_cast<U128>(*p++ & 0x7f) << shift;
    shift += 7;
  }
  r |= static_cast<U128>(*p++) << shift;
  *v = r;
  return p;
}

const uint8_t* GetU64(const uint8_t* p, uint64_t* v) {
  U128 x;
  p = GetVar(p, &x);
  *v = static_cast<uint64_t>(x);
  return p;
}

const uint8_t* GetI64(const uint8_t* p, int64_t* v) {
  U128 x;
  p = GetVar(p, &x);
  *v = static_cast<int64_t>(static_cast<uint64_t>(x));
  return p;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

size_t PageSize() {
  static const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return kPage;
}

}  // namespace

CompletedRing::CompletedRing() : by_id_(IdKeys{this}), by_cid_(CidKeys{this}) {}

CompletedRing::~CompletedRing() {
  if (base_) munmap(base_, region_bytes_);
}

std::string CompletedRing::Init(uint64_t keep) {
  assert(keep <= kMaxKeep && !base_);
  keep_ = keep;
  if (keep == 0) return "";
  size_t page = PageSize();
  size_t bytes = (keep + 2) * kMaxEntryBytes;
  bytes = (bytes + page - 1) / page * page;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    keep_ = 0;
    return std::string("can't reserve memory for the completed-order ring: ") + strerror(errno);
  }
  base_ = static_cast<uint8_t*>(p);
  region_bytes_ = bytes;
  return "";
}

uint64_t CompletedRing::IdOf(uint32_t h) const {
  uint64_t id;
  GetU64(At(h) + 1, &id);
  return id;
}

bool CompletedRing::CidOf(uint32_t h, uint64_t* user, PackedCid* cid) const {
  const uint8_t* p = At(h) + 1;
  uint64_t id;
  p = GetU64(p, &id);
  p = GetU64(p, user);
  size_t n = *p++;
  if (n == 0) return false;
  *cid = PackCid(std::string_view(reinterpret_cast<const char*>(p), n));
  return true;
}

uint64_t CompletedRing::IdKeys::Hash(uint32_t h) const {
  return Mix64(ring->IdOf(h));
}

uint64_t CompletedRing::CidKeys::Hash(uint32_t h) const {
  uint64_t user = 0;
  PackedCid cid{};
  ring->CidOf(h, &user, &cid);
  return HashUserCid(user, cid);
}

void CompletedRing::Add(const OrderView& o, const RecentTrades* trades) {
  if (keep_ == 0) return;
  while (count_ >= keep_) EvictOldest();
  uint8_t buf[kMaxEntryBytes];
  uint8_t* p = buf + 1;
  p = PutVar(p, o.id);
  p = PutVar(p, o.user);
  char cid[kMaxCidLen];
  size_t cid_len = UnpackCid(o.cid, cid);
  *p++ = static_cast<uint8_t>(cid_len);
  memcpy(p, cid, cid_len);
  p += cid_len;
  p = PutVar(p, o.symbol);
  *p++ = Order::MakeBits(o.side, o.type, o.tif, o.status);
  p = PutVar(p, static_cast<uint64_t>(o.price));
  p = PutVar(p, static_cast<uint64_t>(o.filled));
  p = PutVar(p, static_cast<uint64_t>(o.remaining));
  p = PutVar(p, static_cast<U128>(o.quote));
  p = PutVar(p, static_cast<uint64_t>(o.created_us));
  p = PutVar(p, ZigZag(o.updated_us - o.created_us));
  p = PutVar(p, static_cast<uint64_t>(o.expire_ms));
  uint32_t nt = trades ? trades->n : 0;
  *p++ = static_cast<uint8_t>(nt);
  for (uint32_t i = 0; i < nt; ++i) {
    p = PutVar(p, trades->marks[i].trade);
    p = PutVar(p, static_cast<uint64_t>(trades->marks[i].remaining));
  }
  size_t len = (static_cast<size_t>(p - buf) + 3) & ~size_t{3};
  assert(len <= kMaxEntryBytes);
  buf[0] = static_cast<uint8_t>(len / 4);
  if (head_ + len > region_bytes_) {
    base_[head_] = 0;  // wrap marker
    head_ = 0;
    head_wrapped_ = true;
  }
  memcpy(base_ + head_, buf, len);
  uint32_t h = static_cast<uint32_t>(head_ >> 2);
  head_ += len;
  if (head_ == region_bytes_) {
    head_ = 0;
    head_wrapped_ = true;
  }
  ++count_;
  ++added_;
  by_id_.Insert(Mix64(o.id), h);
  if (cid_len > 0) {
    uint64_t hash = HashUserCid(o.user, o.cid);
    uint32_t old = by_cid_.Find(hash, [&](uint32_t x) {
      uint64_t u;
      PackedCid c;
      return CidOf(x, &u, &c) && u == o.user && c == o.cid;
    });
    if (old != SlotIndex<CidKeys>::kNone) by_cid_.Erase(hash, old);
    by_cid_.Insert(hash, h);
  }
}

void CompletedRing::EvictOldest() {
  assert(count_ > 0);
  if (base_[tail_] == 0) TailWrapped();  // wrap marker: the rest of the region is unused
  uint32_t h = static_cast<uint32_t>(tail_ >> 2);
  size_t len = static_cast<size_t>(base_[tail_]) * 4;
  bool erased = by_id_.Erase(Mix64(IdOf(h)), h);
  assert(erased);
  (void)erased;
  uint64_t user;
  PackedCid cid;
  if (CidOf(h, &user, &cid)) (void)by_cid_.Erase(HashUserCid(user, cid), h);  // may be replaced
  tail_ += len;
  --count_;
  if (tail_ == region_bytes_) {
    TailWrapped();
    return;
  }
  // Return memory in 1 MiB steps.
  size_t upto = tail_ / PageSize() * PageSize();
  if (upto >= ReleaseFrom() + (1u << 20)) {
    Release(ReleaseFrom(), upto);
    released_ = upto;
  }
}

size_t CompletedRing::ReleaseFrom() const {
  // Once the head has wrapped, [0, head_) holds newer entries.
  return head_wrapped_ && head_ > released_ ? head_ : released_;
}

void CompletedRing::TailWrapped() {
  Release(ReleaseFrom(), region_bytes_);
  tail_ = released_ = 0;
  head_wrapped_ = false;
}

void CompletedRing::Release(size_t from, size_t to) {
  size_t page = PageSize();
  from = (from + page - 1) / page * page;
  to = to / page * page;
  if (to > from) madvise(base_ + from, to - from, MADV_DONTNEED);
}

void CompletedRing::Decode(uint32_t h, OrderView* out, RecentTrades* trades) const {
  const uint8_t* p = At(h) + 1;
  OrderView v;
  p = GetU64(p, &v.id);
  p = GetU64(p, &v.user);
  size_t n = *p++;
  v.cid = PackCid(std::string_view(reinterpret_cast<const char*>(p), n));
  p += n;
  uint64_t sym;
  p = GetU64(p, &sym);
  v.symbol = static_cast<uint16_t>(sym);
  Order bits_holder{};
  bits_holder.bits = *p++;
  v.side = bits_holder.side();
  v.type = bits_holder.type();
  v.tif = bits_holder.tif();
  v.status = bits_holder.status();
  p = GetI64(p, &v.price);
  p = GetI64(p, &v.filled);
  p = GetI64(p, &v.remaining);
  U128 q;
  p = GetVar(p, &q);
  v.quote = static_cast<decimal::Quote>(q);
  p = GetI64(p, &v.created_us);
  uint64_t zz;
  p = GetU64(p, &zz);
  v.updated_us = v.created_us + UnZigZag(zz);
  p = GetI64(p, &v.expire_ms);
  uint32_t nt = *p++;
  if (trades) {
    *trades = RecentTrades{};
    for (uint32_t i = 0; i < nt; ++i) {
      uint64_t t;
      int64_t r;
      p = GetU64(p, &t);
      p = GetI64(p, &r);
      trades->Add(t, r);
    }
  }
  *out = v;
}

bool CompletedRing::FindById(uint64_t id, OrderView* out, RecentTrades* trades) const {
  if (count_ == 0) return false;
  uint32_t h = by_id_.Find(Mix64(id), [&](uint32_t x) { return IdOf(x) == id; });
  if (h == SlotIndex<IdKeys>::kNone) return false;
  Decode(h, out, trades);
  return true;
}

bool CompletedRing::Contains(uint64_t id) const {
  if (count_ == 0) return false;
  return by_id_.Find(Mix64(id), [&](uint32_t x) { return IdOf(x) == id; }) !=
         SlotIndex<IdKeys>::kNone;
}

bool CompletedRing::FindByCid(uint64_t user, const PackedCid& cid, OrderView* out) const {
  if (count_ == 0) return false;
  uint32_t h = by_cid_.Find(HashUserCid(user, cid), [&](uint32_t x) {
    uint64_t u;
    PackedCid c;
    return CidOf(x, &u, &c) && u == user && c == cid;
  });
  if (h == SlotIndex<CidKeys>::kNone) return false;
  Decode(h, out, nullptr);
  return true;
}

size_t CompletedRing::memory_bytes() const {
  return region_bytes() + by_id_.memory_bytes() + by_cid_.memory_bytes();
}

size_t CompletedRing::region_bytes() const {
  size_t resident = 0;
  if (count_ > 0) {
    resident = head_wrapped_ ? region_bytes_ - ReleaseFrom() + head_ : head_ - released_;
    size_t page = PageSize();
    resident = (resident + page - 1) / page * page;
  }
  return resident;
}

void CompletedRing::ReadNext(Cursor* c, OrderView* out, RecentTrades* trades) const {
  assert(c->seq >= first_seq() && c->seq < end_seq());
  if (c->offset >= region_bytes_ || base_[c->offset] == 0) c->offset = 0;  // wrap marker
  Decode(static_cast<uint32_t>(c->offset >> 2), out, trades);
  c->offset += static_cast<size_t>(base_[c->offset]) * 4;
  ++c->seq;
}

void CompletedRing::Clear() {
  if (base_) Release(0, region_bytes_);
  head_ = tail_ = released_ = 0;
  head_wrapped_ = false;
  count_ = 0;
  added_ = 0;
  by_id_.Clear();
  by_cid_.Clear();
}

}  // namespace ordis::order
