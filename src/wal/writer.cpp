#include "wal/writer.h"

#include <algorithm>
#include <cerrno>
#include <charconv>

namespace ordis::wal {
namespace {

constexpr int64_t kRetryUs = 1'000'000;
constexpr int64_t kEverysecUs = 1'000'000;
constexpr size_t kLatencyWindow = 4096;

void AppendNumber(std::string* s, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  s->append(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace

Writer::Writer(Storage* storage, WriterOptions opts, WriterPosition start)
    : storage_(storage),
      opts_(opts),
      seq_(start.seq),
      offset_(start.offset),
      next_lsn_(start.next_lsn),
      durable_lsn_(start.next_lsn - 1),
      written_lsn_(start.next_lsn - 1),
      synced_lsn_(start.next_lsn - 1) {
  for (auto& s : start.segments) segs_.push_back(s);
  StartBatch();
}

void Writer::StartBatch() {
  pending_.assign(kBatchHeaderSize, '\0');
  pending_count_ = 0;
  pending_first_lsn_ = next_lsn_;
  batch_db_ = -1;
  batch_time_ = -1;
}

void Writer::AppendArgs(std::span<const std::string_view> args) {
  pending_ += '*';
  AppendNumber(&pending_, static_cast<int64_t>(args.size()));
  pending_ += "\r\n";
  for (std::string_view a : args) {
    pending_ += '$';
    AppendNumber(&pending_, static_cast<int64_t>(a.size()));
    pending_ += "\r\n";
    pending_.append(a);
    pending_ += "\r\n";
  }
}

uint64_t Writer::Append(int db, int64_t time_us, bool precise_time,
                        std::span<const std::string_view> args) {
  if (db != batch_db_) {
    std::string n = std::to_string(db);
    std::string_view sel[] = {"SELECT", n};
    AppendArgs(sel);
    batch_db_ = db;
  }
  int64_t t = precise_time ? time_us : time_us / 1000 * 1000;
  bool need = precise_time ? t != batch_time_ : (batch_time_ < 0 || batch_time_ / 1000 != t / 1000);
  if (need) {
    pending_ += "#T ";
    AppendNumber(&pending_, t);
    pending_ += "\r\n";
    batch_time_ = t;
  }
  AppendArgs(args);
  ++pending_count_;
  return next_lsn_++;
}

uint64_t Writer::Append(int db, int64_t time_us, bool precise_time,
                        const std::vector<std::string>& args) {
  std::vector<std::string_view> v(args.begin(), args.end());
  return Append(db, time_us, precise_time, std::span<const std::string_view>(v));
}

bool Writer::PrepareSegment(uint64_t batch_bytes) {
  bool used = offset_ > kSegmentHeaderSize;
  bool need_new = used && (rotate_ || offset_ + batch_bytes > opts_.segment_size);
  if (need_new && opts_.policy == FsyncPolicy::kEverysec && written_lsn_ > synced_lsn_) {
    // Leave no unsynced tail behind in the old segment: fsync it first.
    jb_ = Job{};
    jb_.seq = seq_;
    jb_.write = false;
    jb_.sync = true;
    jb_.last_lsn = written_lsn_;
    return false;
  }
  uint64_t target = need_new ? seq_ + 1 : seq_;
  int err = 0;
  if (!storage_->Ready(target, &err)) {
    if (err != 0) err_ = err;
    return false;
  }
  if (need_new) {
    seq_ = target;
    offset_ = kSegmentHeaderSize;
  }
  rotate_ = false;
  // Have the next segment prepared before it is needed.
  int ahead_err = 0;
  (void)storage_->Ready(seq_ + 1, &ahead_err);
  return true;
}

void Writer::Flush(int64_t now_us) {
  if (job_ || has_failed_job_ || pending_count_ == 0) return;
  uint64_t bytes = pending_.size();
  if (!PrepareSegment(bytes)) {
    if (!jb_.write && jb_.sync && !job_) SubmitJob(now_us);  // the pre-switch fsync
    return;
  }
  if (err_ != 0) err_ = 0;  // a segment that failed to prepare is ready now
  std::string_view payload(pending_.data() + kBatchHeaderSize, bytes - kBatchHeaderSize);
  EncodeBatchHeader(pending_first_lsn_, pending_count_, payload, pending_.data());
  inflight_.swap(pending_);
  jb_ = Job{};
  jb_.seq = seq_;
  jb_.offset = offset_;
  jb_.last_lsn = next_lsn_ - 1;
  jb_.sync = opts_.policy == FsyncPolicy::kAlways;
  jb_.write = true;
  offset_ += bytes;
  if (segs_.empty() || segs_.back().first != seq_) {
    segs_.emplace_back(seq_, jb_.last_lsn);
  } else {
    segs_.back().second = jb_.last_lsn;
  }
  ++stats_.batches;
  stats_.bytes += bytes;
  StartBatch();
  SubmitJob(now_us);
}

void Writer::SubmitJob(int64_t now_us) {
  jb_.start_us = now_us;
  job_ = true;
  if (jb_.write) {
    storage_->Submit(jb_.seq, inflight_.data() + jb_.done, inflight_.size() - jb_.done,
                     jb_.offset + jb_.done, jb_.sync);
  } else {
    storage_->Submit(jb_.seq, nullptr, 0, 0, true);
  }
}

void Writer::Fail(int err, int64_t now_us) {
  err_ = err;
  ++stats_.failures;
  has_failed_job_ = true;
  retry_at_us_ = now_us + kRetryUs;
}

bool Writer::Poll(int64_t now_us) {
  if (!job_) return false;
  int64_t r;
  if (!storage_->Poll(&r)) return false;
  job_ = false;
  if (r < 0) {
    Fail(static_cast<int>(-r), now_us);
    return false;
  }
  if (jb_.write) {
    uint64_t expected = inflight_.size() - jb_.done;
    if (static_cast<uint64_t>(r) < expected) {
      if (r == 0) {
        Fail(EIO, now_us);
        return false;
      }
      jb_.done += static_cast<uint64_t>(r);  // short write: the rest, then the sync
      SubmitJob(now_us);
      return false;
    }
  }
  has_failed_job_ = false;
  err_ = 0;
  bool advanced = false;
  if (jb_.write) written_lsn_ = jb_.last_lsn;
  if (jb_.sync) {
    ++stats_.fsyncs;
    uint32_t us = static_cast<uint32_t>(std::min<int64_t>(now_us - jb_.start_us, UINT32_MAX));
    if (stats_.recent_sync_us.size() < kLatencyWindow) {
      stats_.recent_sync_us.push_back(us);
    } else {
      stats_.recent_sync_us[stats_.recent_pos] = us;
      stats_.recent_pos = (stats_.recent_pos + 1) % kLatencyWindow;
    }
    synced_lsn_ = jb_.last_lsn;
    last_sync_us_ = now_us;
    advanced = jb_.last_lsn > durable_lsn_;
    if (advanced) durable_lsn_ = jb_.last_lsn;
  }
  jb_ = Job{};
  return advanced;
}

void Writer::Cron(int64_t now_us) {
  if (job_) return;
  if (has_failed_job_) {
    if (now_us >= retry_at_us_) {
      retry_at_us_ = now_us + kRetryUs;
      jb_.done = 0;  // rewrite the whole batch in place
      SubmitJob(now_us);
    }
    return;
  }
  if (pending_count_ > 0) {
    Flush(now_us);  // retries a segment that could not be prepared
    if (job_) return;
  }
  if (opts_.policy == FsyncPolicy::kEverysec && written_lsn_ > synced_lsn_ &&
      now_us - last_sync_us_ >= kEverysecUs) {
    jb_ = Job{};
    jb_.seq = segs_.empty() ? seq_ : segs_.back().first;
    jb_.write = false;
    jb_.sync = true;
    jb_.last_lsn = written_lsn_;
    SubmitJob(now_us);
  }
}

uint64_t Writer::Rotate() {
  if (offset_ > kSegmentHeaderSize) {
    rotate_ = true;
    return seq_ + 1;
  }
  return seq_;
}

void Writer::RetireCovered(uint64_t lsn) {
  bool any = false;
  while (!segs_.empty() && segs_.front().second <= lsn && segs_.front().first < seq_) {
    segs_.pop_front();
    any = true;
  }
  if (any) storage_->Retire(segs_.empty() ? seq_ : segs_.front().first);
}

uint32_t Writer::SyncPercentile(double p) const {
  std::vector<uint32_t> v = stats_.recent_sync_us;
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace ordis::wal
