// Reader: walks a snapshot image held in memory (a mapped file, or a test
// buffer), verifying the header, every block checksum, the trailer and the
// whole-file checksum, and hands out records one by one.
//
// Errors are Corruption statuses that name the file and the byte offset:
// a flipped byte (checksum mismatch), a truncated file, a zero-filled tail
// (a file whose end was never written), trailing garbage. Records come out
// as they are read, so a caller may have applied some before an error
// surfaces: a failed load must be discarded.
//
// Thread safety: none. The data must outlive the Reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "snapshot/format.h"
#include "snapshot/status.h"

namespace ordis::snapshot {

class Reader {
 public:
  Reader(std::string_view data, std::string name) : data_(data), name_(std::move(name)) {}

  // Reads and checks the header. REQUIRES: called first, once.
  Status ReadHeader(Header* h);
  // The next record: true with its kind, body and file offset. False at
  // the end: then status() is OK if the trailer was reached and every
  // check passed, else the error.
  bool Next(RecordKind* kind, std::string_view* body, uint64_t* offset);
  const Status& status() const { return status_; }
  // A Corruption status naming this file and offset (for callers that find
  // a record's content invalid).
  Status Corrupt(uint64_t offset, const std::string& what) const;
  uint64_t offset() const { return pos_; }
  uint64_t size() const { return data_.size(); }
  uint64_t records() const { return records_; }

 private:
  bool Fail(Status s) {
    status_ = std::move(s);
    done_ = true;
    return false;
  }
  bool NextBlock();  // false at the trailer or on error
  bool ReadTrailer();

  std::string_view data_;
  std::string name_;
  uint64_t pos_ = 0;        // next unread byte of the file
  uint64_t block_end_ = 0;  // end of the current block's payload
  uint32_t file_crc_ = 0;   // over [0, pos_) for everything outside the current block
  uint64_t records_ = 0;
  bool header_read_ = false;
  bool done_ = false;
  Status status_;
};

}  // namespace ordis::snapshot
