// Storage: what the WAL writer does to disk, behind an interface so that
// unit tests can inject faults (short writes, EIO, ENOSPC, failed fsync)
// with in-memory segments. FileStorage (wal/file_storage.h) is the real one.
//
// Contract: at most one job runs at a time. A job writes `len` bytes at
// `offset` of segment `seq` (len may be 0) and then, when `sync`, makes
// them durable (fdatasync). The loop never blocks on a job: it submits,
// keeps serving, and polls when notify_fd() becomes readable (or from its
// cron when there is no fd).
//
// Thread safety: all methods on the loop thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ordis::wal {

class Storage {
 public:
  virtual ~Storage() = default;
  // REQUIRES: no job running; segment seq was reported Ready.
  virtual void Submit(uint64_t seq, const char* data, size_t len, uint64_t offset, bool sync) = 0;
  // True when the running job finished: *result = bytes written (< len:
  // short write, the sync did not run) or -errno (write or sync failed).
  virtual bool Poll(int64_t* result) = 0;
  // Readable when a job finished; -1 if the caller must poll.
  virtual int notify_fd() const = 0;
  // True when segment seq exists on disk: header written, zero-filled to
  // the segment size, listed in the manifest, all durable. Otherwise starts
  // preparing it (in the background) and returns false; *err is the errno
  // of the last failed preparation of seq (0 while it is only pending).
  virtual bool Ready(uint64_t seq, int* err) = 0;
  // Segments older than first_kept are no longer needed: drop them from
  // the manifest, then delete them (in the background).
  virtual void Retire(uint64_t first_kept) = 0;
  // "io_uring", "thread" or "memory" (INFO persistence: wal_io).
  virtual const char* kind() const = 0;
};

}  // namespace ordis::wal
