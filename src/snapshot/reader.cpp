#include "snapshot/reader.h"

#include <cstdio>

#include "util/crc32c.h"

namespace ordis::snapshot {

Status Reader::Corrupt(uint64_t offset, const std::string& what) const {
  return Status::Corruption("snapshot " + name_ + " at offset " + std::to_string(offset) + ": " +
                            what);
}

Status Reader::ReadHeader(Header* h) {
  header_read_ = true;
  if (data_.size() < kHeaderSize) {
    done_ = true;
    status_ = Corrupt(
        0, data_.empty() ? "empty file"
                         : "truncated header (file of " + std::to_string(data_.size()) + " bytes)");
    return status_;
  }
  std::string err = DecodeHeader(data_.data(), h);
  if (!err.empty()) {
    done_ = true;
    status_ = Corrupt(0, err);
    return status_;
  }
  file_crc_ = Crc32c(0, data_.data(), kHeaderSize);
  pos_ = block_end_ = kHeaderSize;
  return Status::OK();
}

bool Reader::NextBlock() {
  uint64_t left = data_.size() - pos_;
  if (left < 4)
    return Fail(Corrupt(pos_, "truncated file: " + std::to_string(left) +
                                  " bytes where a block or the trailer should start"));
  uint32_t len = GetFixed32(data_.data() + pos_);
  if (len == 0) return ReadTrailer();
  if (left < kBlockHeaderSize || len > left - kBlockHeaderSize)
    return Fail(Corrupt(pos_, "truncated file: a block of " + std::to_string(len) +
                                  " bytes starts here but only " + std::to_string(left) +
                                  " bytes remain"));
  const char* p = data_.data() + pos_;
  uint32_t want = UnmaskCrc(GetFixed32(p + 4));
  uint32_t got = Crc32c(0, p + kBlockHeaderSize, len);
  if (want != got) {
    char buf[128];
    snprintf(buf, sizeof buf,
             "checksum mismatch in a block of %u bytes (stored %08x, computed %08x)", len, want,
             got);
    return Fail(Corrupt(pos_, buf));
  }
  file_crc_ = Crc32c(file_crc_, p, kBlockHeaderSize + len);
  pos_ += kBlockHeaderSize;
  block_end_ = pos_ + len;
  return true;
}

bool Reader::ReadTrailer() {
  uint64_t at = pos_;
  uint64_t left = data_.size() - pos_;
  std::string err;
  Trailer t;
  if (left >= kTrailerSize) err = DecodeTrailer(data_.data() + pos_, &t);
  if (left < kTrailerSize || !err.empty()) {
    bool zeros = true;
    for (uint64_t i = pos_; i < data_.size() && zeros; ++i) zeros = data_[i] == 0;
    if (zeros)
      return Fail(Corrupt(at, "zero-filled from here to the end of the file (" +
                                  std::to_string(left) +
                                  " bytes): the file was not completely written"));
    if (left < kTrailerSize) return Fail(Corrupt(at, "truncated file: incomplete trailer"));
    return Fail(Corrupt(at, "damaged trailer: " + err));
  }
  if (t.data_bytes != at)
    return Fail(
        Corrupt(at, "the trailer says the data ends at offset " + std::to_string(t.data_bytes)));
  if (t.file_crc != file_crc_) return Fail(Corrupt(at, "whole-file checksum mismatch"));
  if (t.records != records_)
    return Fail(Corrupt(at, "the trailer counts " + std::to_string(t.records) +
                                " records, the file has " + std::to_string(records_)));
  if (left != kTrailerSize)
    return Fail(Corrupt(at + kTrailerSize, std::to_string(left - kTrailerSize) +
                                               " unexpected bytes after the trailer"));
  pos_ = data_.size();
  done_ = true;
  return false;
}

bool Reader::Next(RecordKind* kind, std::string_view* body, uint64_t* offset) {
  if (!header_read_) return Fail(Status::Invalid("Reader::Next before ReadHeader"));
  if (done_) return false;
  if (pos_ == block_end_ && !NextBlock()) return false;
  uint64_t left = block_end_ - pos_;
  const char* p = data_.data() + pos_;
  if (left < kRecordHeaderSize)
    return Fail(Corrupt(pos_, "malformed record (block ends inside it)"));
  uint32_t len = GetFixed32(p + 1);
  if (len > left - kRecordHeaderSize)
    return Fail(Corrupt(pos_, "malformed record: its length runs past the end of its block"));
  *kind = static_cast<RecordKind>(static_cast<uint8_t>(p[0]));
  *body = std::string_view(p + kRecordHeaderSize, len);
  *offset = pos_;
  pos_ += kRecordHeaderSize + len;
  ++records_;
  return true;
}

}  // namespace ordis::snapshot
