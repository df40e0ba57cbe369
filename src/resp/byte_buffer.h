// ByteBuffer: a growable byte array with a consumed prefix, used for
// connection input and output. Appends are amortized O(1); Consume() is O(1)
// and Compact() moves the unconsumed tail to the front when worthwhile.
//
// Thread safety: none (owned by one connection on the loop thread).
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

namespace ordis {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer() { std::free(data_); }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ByteBuffer(ByteBuffer&& o) noexcept { *this = std::move(o); }
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(cap_, o.cap_);
    std::swap(begin_, o.begin_);
    std::swap(end_, o.end_);
    return *this;
  }

  const char* data() const { return data_ + begin_; }
  char* data() { return data_ + begin_; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return end_ == begin_; }
  size_t capacity() const { return cap_; }
  std::string_view view() const { return {data(), size()}; }

  // Bytes allocated, for memory accounting (client-query-buffer-limit, INFO).
  size_t allocated() const { return cap_; }

  void Append(const char* p, size_t n) {
    if (n == 0) return;  // p may be null; memcpy(_, nullptr, 0) is undefined
    Reserve(n);
    std::memcpy(data_ + end_, p, n);
    end_ += n;
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }
  void Append(char c) {
    Reserve(1);
    data_[end_++] = c;
  }

  // Makes room for at least n more bytes after the end; returns the write
  // pointer. Call Commit(k) after writing k <= n bytes there.
  char* Reserve(size_t n) {
    if (cap_ - end_ >= n) return data_ + end_;
    Grow(n);
    return data_ + end_;
  }
  void Commit(size_t n) { end_ += n; }
  size_t tail_room() const { return cap_ - end_; }

  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void Clear() { begin_ = end_ = 0; }

  // Releases memory when the buffer is empty and oversized (idle clients).
  void ShrinkIfIdle(size_t keep) {
    if (empty() && cap_ > keep) {
      std::free(data_);
      data_ = nullptr;
      cap_ = begin_ = end_ = 0;
    }
  }

  // Moves unconsumed bytes to the front.
  void Compact() {
    if (begin_ == 0) return;
    size_t n = size();
    if (n) std::memmove(data_, data_ + begin_, n);
    begin_ = 0;
    end_ = n;
  }

 private:
  void Grow(size_t n) {
    // Reclaim the consumed prefix before allocating.
    if (begin_ > 0 && cap_ - size() >= n && begin_ >= size()) {
      Compact();
      if (cap_ - end_ >= n) return;
    }
    size_t need = size() + n;
    size_t ncap = cap_ < 64 ? 64 : cap_;
    while (ncap < need) ncap = ncap < (1u << 30) ? ncap * 2 : ncap + (1u << 30);
    if (need > ncap) ncap = need;
    char* nd = static_cast<char*>(std::malloc(ncap));
    if (!nd) throw std::bad_alloc();
    size_t sz = size();
    if (sz) std::memcpy(nd, data_ + begin_, sz);
    std::free(data_);
    data_ = nd;
    cap_ = ncap;
    begin_ = 0;
    end_ = sz;
  }

  char* data_ = nullptr;
  size_t cap_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace ordis
