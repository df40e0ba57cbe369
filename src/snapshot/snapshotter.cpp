#include "snapshot/snapshotter.h"

#include <chrono>

namespace ordis::snapshot {
namespace {

int64_t MonoUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Snapshotter::Snapshotter(Keyspace& ks, order::OrderTable* orders, Output* out, uint64_t lsn,
                         int64_t created_ms)
    : ks_(ks), orders_(orders), out_(out) {
  KeyspaceContext& kc = ks.ctx();
  kc.snapshot_epoch =
      static_cast<uint8_t>(kc.snapshot_epoch >= Entry::kEpochMax ? 1 : kc.snapshot_epoch + 1);
  epoch_ = kc.snapshot_epoch;
  cursor_.assign(static_cast<size_t>(ks.db_count()), 0);
  db_done_.assign(static_cast<size_t>(ks.db_count()), false);
  total_estimate_ = ks.TotalKeys();
  prev_hook_ = kc.expire_hook;
  prev_hook_arg_ = kc.expire_hook_arg;
  kc.expire_hook = &Snapshotter::ExpireTrampoline;
  kc.expire_hook_arg = this;

  Header h;
  h.lsn = lsn;
  h.created_ms = created_ms;
  out_->Begin(h);
  TableStateRecord st;
  if (orders_) {
    slot_end_ = orders_->BeginSnapshotEpoch();
    const order::CompletedRing& ring = orders_->completed();
    ring_cur_ = ring.Oldest();
    ring_end_ = ring.end_seq();
    st.counters = orders_->counters();
    st.symbols = orders_->symbol_count();
    st.orders = orders_->live();
    total_estimate_ += orders_->live() + ring.size();
    orders_->set_snapshot_observer(this);
  } else {
    orders_done_ = true;
  }
  enc_.TableState(st);
  for (size_t i = 0; i < st.symbols; ++i) {
    enc_.Symbol(static_cast<uint16_t>(i), orders_->symbol(static_cast<uint16_t>(i)));
    ++stats_.symbols;
  }
  MaybeSeal();
}

Snapshotter::~Snapshotter() {
  KeyspaceContext& kc = ks_.ctx();
  if (kc.expire_hook == &Snapshotter::ExpireTrampoline && kc.expire_hook_arg == this) {
    kc.expire_hook = prev_hook_;
    kc.expire_hook_arg = prev_hook_arg_;
  }
  if (orders_) orders_->set_snapshot_observer(nullptr);
}

void Snapshotter::Restamp(Keyspace& ks, order::OrderTable* orders) {
  uint8_t epoch = ks.ctx().snapshot_epoch;
  for (int i = 0; i < ks.db_count(); ++i)
    ks.db(i).ForEach([&](Entry* e) { e->set_snapshot_epoch(epoch); });
  if (orders) orders->RestampSnapshotMarks();
}

void Snapshotter::ExpireTrampoline(void* arg, int db, std::string_view key) {
  auto* self = static_cast<Snapshotter*>(arg);
  self->BeforeKeyChange(db, key);
  if (self->prev_hook_) self->prev_hook_(self->prev_hook_arg_, db, key);
}

void Snapshotter::MaybeSeal() {
  if (!enc_.full()) return;
  uint64_t n = enc_.block_records();
  out_->Block(enc_.TakeBlock(out_->Recycle()), n);
}

void Snapshotter::TakeKey(int db, Db& d, Entry* e) {
  e->set_snapshot_epoch(epoch_);
  if (!error_.empty()) return;
  if (!enc_.Key(db, e, d.GetExpire(e))) {
    error_ = "key '" + std::string(e->key().substr(0, 64)) + "' of db " + std::to_string(db) +
             " can't be written to a snapshot (a value of 4 GiB or more, or an unsupported type)";
    return;
  }
  ++stats_.keys;
  MaybeSeal();
}

bool Snapshotter::ScanDb(int db) {
  auto i = static_cast<size_t>(db);
  if (db_done_[i]) return true;
  Db& d = ks_.db(db);
  cursor_[i] = d.ScanSteps(cursor_[i], 32, [&](Entry* e) {
    if (e->snapshot_epoch() != epoch_) TakeKey(db, d, e);
  });
  if (cursor_[i] == 0) db_done_[i] = true;
  return db_done_[i];
}

void Snapshotter::FinishDb(int db) {
  if (done_ || db_done_[static_cast<size_t>(db)]) return;
  int64_t t0 = MonoUs();
  while (!ScanDb(db)) {
  }
  stats_.max_finish_us = std::max(stats_.max_finish_us, MonoUs() - t0);
}

void Snapshotter::BeforeKeyChange(int db, std::string_view key) {
  if (done_ || db < 0 || db >= static_cast<int>(db_done_.size()) ||
      db_done_[static_cast<size_t>(db)])
    return;
  Db& d = ks_.db(db);
  Entry* e = d.Peek(key);
  if (!e || e->snapshot_epoch() == epoch_) return;
  ++stats_.early_copies;
  TakeKey(db, d, e);
}

void Snapshotter::BeforeFlush(int db) {
  if (db >= 0) {
    if (db < static_cast<int>(db_done_.size())) FinishDb(db);
    return;
  }
  for (int i = 0; i < static_cast<int>(db_done_.size()); ++i) FinishDb(i);
}

void Snapshotter::BeforeSwap(int a, int b) {
  for (int db : {a, b})
    if (db >= 0 && db < static_cast<int>(db_done_.size())) FinishDb(db);
}

void Snapshotter::BeforeOrderChange(uint32_t slot) {
  if (done_ || orders_done_ || slot < slot_ || slot >= slot_end_) return;
  order::OrderImage img;
  if (!orders_->TakeForSnapshot(slot, &img)) return;
  ++stats_.early_copies;
  ++stats_.orders;
  enc_.Order(img);
  MaybeSeal();
}

bool Snapshotter::CopyRingEntry() {
  if (!orders_ || ring_cur_.seq >= ring_end_) return false;
  order::OrderView v;
  order::RecentTrades t;
  orders_->completed().ReadNext(&ring_cur_, &v, &t);
  enc_.Completed(v, t.n > 0 ? &t : nullptr);
  ++stats_.completed;
  MaybeSeal();
  return true;
}

void Snapshotter::BeforeRingEvict() {
  if (done_ || !orders_) return;
  // The ring evicts oldest first and the walk reads oldest first: copy the
  // entry about to go if the walk has not passed it.
  if (ring_cur_.seq < ring_end_ && ring_cur_.seq == orders_->completed().first_seq()) {
    ++stats_.early_copies;
    (void)CopyRingEntry();
  }
}

void Snapshotter::FinishOrders() {
  order::OrderImage img;
  for (; slot_ < slot_end_; ++slot_) {
    if (!orders_->TakeForSnapshot(slot_, &img)) continue;
    ++stats_.orders;
    enc_.Order(img);
    MaybeSeal();
  }
  orders_done_ = true;
}

void Snapshotter::BeforeReset() {
  if (done_) return;
  int64_t t0 = MonoUs();
  if (!orders_done_) FinishOrders();
  while (CopyRingEntry()) {
  }
  stats_.max_finish_us = std::max(stats_.max_finish_us, MonoUs() - t0);
}

void Snapshotter::Complete() {
  EndRecord c = enc_.counts();
  enc_.End(c);
  uint64_t n = enc_.block_records();
  out_->Block(enc_.TakeBlock(), n);
  out_->Finish();
  done_ = true;
  KeyspaceContext& kc = ks_.ctx();
  if (kc.expire_hook == &Snapshotter::ExpireTrampoline && kc.expire_hook_arg == this) {
    kc.expire_hook = prev_hook_;
    kc.expire_hook_arg = prev_hook_arg_;
  }
  if (orders_) orders_->set_snapshot_observer(nullptr);
}

bool Snapshotter::Step(int64_t budget_us) {
  if (done_ || !error_.empty()) return true;
  if (out_->backlog() > kMaxBacklog) return false;
  int64_t start = MonoUs();
  int64_t deadline = budget_us >= INT64_MAX - start ? INT64_MAX : start + budget_us;
  // Each round does a bounded amount: 32 hash buckets, 64 order slots or
  // 32 ring entries; the clock is read every 8 rounds.
  for (int round = 1;; ++round) {
    if (next_db_ < static_cast<int>(db_done_.size())) {
      if (ScanDb(next_db_)) ++next_db_;
    } else if (!orders_done_) {
      order::OrderImage img;
      uint32_t end = std::min(slot_end_, slot_ + 64);
      for (; slot_ < end; ++slot_) {
        if (!orders_->TakeForSnapshot(slot_, &img)) continue;
        ++stats_.orders;
        enc_.Order(img);
        MaybeSeal();
      }
      if (slot_ >= slot_end_) orders_done_ = true;
    } else {
      bool more = true;
      for (int i = 0; i < 32 && more; ++i) more = CopyRingEntry();
      if (!more) {
        Complete();
        break;
      }
    }
    if (!error_.empty()) break;
    if (round % 8 == 0 && (MonoUs() >= deadline || out_->backlog() > kMaxBacklog)) break;
  }
  int64_t took = MonoUs() - start;
  stats_.max_step_us = std::max(stats_.max_step_us, took);
  ++stats_.steps;
  if (budget_us < INT64_MAX - 1000 && took > budget_us + 1000) ++stats_.slow_steps;
  return done_ || !error_.empty();
}

}  // namespace ordis::snapshot
