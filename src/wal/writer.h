// Writer: the WAL's append side and group commit.
//
// Commands append their effects (Append) while the loop runs; at the end of
// each loop pass Flush() frames everything appended since the last batch
// as one batch and submits it as one write linked to one fdatasync. While
// that job runs the loop keeps serving and appending into the next batch;
// the next batch is submitted when the job completes. durable_lsn() is the
// last LSN known to be on disk; the server holds every reply that depends
// on a later LSN.
//
// Failures: a failed job (EIO, ENOSPC, a failed fsync) or a segment that
// cannot be prepared puts the writer in the failed state (ok() false,
// last_errno()); the server then refuses writes. The failed batch is kept
// and resubmitted by Cron() once a second; when it succeeds the writer is
// ok again. Nothing appended is dropped, and durable_lsn() never passes
// data that did not reach the disk.
//
// Segments: a batch never spans segments. A batch that does not fit in
// the rest of the current segment starts the next one (which the storage
// prepares ahead of time); a single batch larger than a segment gets a
// segment of its own (the file grows past its preallocated size).
//
// Thread safety: loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wal/format.h"
#include "wal/storage.h"

namespace ordis::wal {

enum class FsyncPolicy { kAlways, kEverysec, kNo };

struct WriterOptions {
  uint64_t segment_size = 64ULL << 20;
  FsyncPolicy policy = FsyncPolicy::kAlways;
};

// Where appending resumes: after recovery, the end of the last valid batch.
struct WriterPosition {
  uint64_t seq = 1;                        // segment to append to
  uint64_t offset = kSegmentHeaderSize;    // byte offset in it
  uint64_t next_lsn = 1;                   // LSN of the next entry
  // Segments that already hold batches (oldest first) and their last LSN,
  // so retirement knows what a snapshot covers.
  std::vector<std::pair<uint64_t, uint64_t>> segments;
};

struct WriterStats {
  uint64_t batches = 0;
  uint64_t bytes = 0;
  uint64_t fsyncs = 0;
  uint64_t failures = 0;
  // fsync (write + fdatasync job) latencies in µs, the last 4096 jobs.
  std::vector<uint32_t> recent_sync_us;
  size_t recent_pos = 0;
};

class Writer {
 public:
  Writer(Storage* storage, WriterOptions opts, WriterPosition start);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Appends one entry: a command run in database db at time_us. The batch
  // carries a SELECT when the db changes and a "#T" time annotation when
  // the time changes: at millisecond precision, or to the microsecond when
  // precise_time (order commands record microsecond times). Returns the
  // entry's LSN.
  uint64_t Append(int db, int64_t time_us, bool precise_time,
                  std::span<const std::string_view> args);
  uint64_t Append(int db, int64_t time_us, bool precise_time, const std::vector<std::string>& args);

  // End of a loop pass: submits the pending batch unless a job is running.
  void Flush(int64_t now_us);
  // Collects a finished job. Returns true when durable_lsn() advanced.
  bool Poll(int64_t now_us);
  // Once per cron tick: the everysec fsync and retries after failures.
  void Cron(int64_t now_us);

  // The next batch starts a new segment. Returns the seq of the segment
  // that will hold entries after last_lsn().
  uint64_t Rotate();
  // A durable snapshot covers every entry <= lsn: retire the segments that
  // hold only such entries (never the current one).
  void RetireCovered(uint64_t lsn);

  uint64_t last_lsn() const { return next_lsn_ - 1; }
  uint64_t durable_lsn() const { return durable_lsn_; }
  uint64_t written_lsn() const { return written_lsn_; }
  bool ok() const { return err_ == 0; }
  int last_errno() const { return err_; }
  bool idle() const { return !job_ && pending_count_ == 0; }
  bool job_running() const { return job_; }
  uint64_t current_seq() const { return seq_; }
  uint64_t current_offset() const { return offset_; }
  uint64_t pending_bytes() const { return pending_.size() - kBatchHeaderSize; }
  FsyncPolicy policy() const { return opts_.policy; }
  void set_policy(FsyncPolicy p) { opts_.policy = p; }
  const WriterStats& stats() const { return stats_; }
  // p-th percentile (0..100) of recent job latencies, µs.
  uint32_t SyncPercentile(double p) const;
  uint64_t segments_in_use() const { return segs_.size(); }

 private:
  struct Job {
    uint64_t seq = 0;
    uint64_t offset = 0;   // of the whole batch
    uint64_t done = 0;     // bytes confirmed written (short writes resume here)
    uint64_t last_lsn = 0;
    bool sync = false;
    bool write = true;     // false: an fsync-only job (everysec)
    int64_t start_us = 0;
  };

  void StartBatch();
  void AppendArgs(std::span<const std::string_view> args);
  void SubmitJob(int64_t now_us);
  bool PrepareSegment(uint64_t batch_bytes);
  void Fail(int err, int64_t now_us);

  Storage* storage_;
  WriterOptions opts_;
  uint64_t seq_;
  uint64_t offset_;
  uint64_t next_lsn_;
  uint64_t durable_lsn_;
  uint64_t written_lsn_;
  bool rotate_ = false;

  std::string pending_;  // header space, then the payload
  uint32_t pending_count_ = 0;
  uint64_t pending_first_lsn_ = 0;
  int batch_db_ = -1;
  int64_t batch_time_ = -1;  // last annotated time (µs, or ms * 1000)

  std::string inflight_;  // the running (or failed) batch, header included
  bool job_ = false;      // a job is submitted
  bool has_failed_job_ = false;
  Job jb_;
  int err_ = 0;
  int64_t retry_at_us_ = 0;
  int64_t last_sync_us_ = 0;
  uint64_t synced_lsn_ = 0;  // everysec: written and fsynced

  // (seq, last lsn) of segments holding batches, oldest first.
  std::deque<std::pair<uint64_t, uint64_t>> segs_;
  WriterStats stats_;
};

}  // namespace ordis::wal
