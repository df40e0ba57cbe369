#include "resp_scan.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"

namespace bench {
namespace {

constexpr int kMaxDepth = 8;

void CopyText(ReplyShape* r, const char* p, size_t n) {
  r->text_len = std::min(n, sizeof r->text_buf);
  memcpy(r->text_buf, p, r->text_len);
}

// "<integer>\r\n" at p: the position after it, nullptr when incomplete;
// sets *bad when it is malformed. (Lengths are short: no memchr.)
const char* Integer(const char* p, const char* e, long long* v, bool* bad) {
  const char* q = p;
  bool neg = q < e && *q == '-';
  if (neg) ++q;
  const char* digits = q;
  unsigned long long x = 0;
  while (q < e && static_cast<unsigned>(*q - '0') < 10) {
    x = x * 10 + static_cast<unsigned>(*q - '0');
    ++q;
  }
  if (q == e || (q + 1 == e && *q == '\r')) return nullptr;
  if (q == digits || q - digits > 19 || q[0] != '\r' || q[1] != '\n') {
    *bad = true;
    return nullptr;
  }
  *v = static_cast<long long>(neg ? 0 - x : x);
  return q + 2;
}

long Scan(const char* s, const char* e, int depth, ReplyShape* r) {
  if (s >= e) return 0;
  const char* p = s + 1;
  bool bad = false;
  long long n = 0;
  switch (*s) {
    case '+':
    case '-': {
      const char* nl = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(e - p)));
      if (nl == nullptr) return 0;
      if (nl == p || nl[-1] != '\r') return -1;
      if (depth == 0) {
        r->type = *s == '+' ? REDIS_REPLY_STATUS : REDIS_REPLY_ERROR;
        CopyText(r, p, static_cast<size_t>(nl - 1 - p));
      }
      return nl + 1 - s;
    }
    case ':': {
      const char* q = Integer(p, e, &n, &bad);
      if (bad) return -1;
      if (q == nullptr) return 0;
      if (depth == 0) {
        r->type = REDIS_REPLY_INTEGER;
        r->integer = n;
      }
      return q - s;
    }
    case '$': {
      const char* q = Integer(p, e, &n, &bad);
      if (bad || n < -1) return -1;
      if (q == nullptr) return 0;
      if (n == -1) {
        if (depth == 0) r->type = REDIS_REPLY_NIL;
        return q - s;
      }
      if (e - q < n + 2) return 0;
      if (q[n] != '\r' || q[n + 1] != '\n') return -1;
      if (depth == 0) {
        r->type = REDIS_REPLY_STRING;
        CopyText(r, q, static_cast<size_t>(n));
      }
      return q + n + 2 - s;
    }
    case '*': {
      const char* q = Integer(p, e, &n, &bad);
      if (bad || n < -1 || depth >= kMaxDepth) return -1;
      if (q == nullptr) return 0;
      if (n == -1) {
        if (depth == 0) r->type = REDIS_REPLY_NIL;
        return q - s;
      }
      if (depth == 0) {
        r->type = REDIS_REPLY_ARRAY;
        r->elements = static_cast<int>(n);
      } else if (depth == 1) {
        r->inner_elements += n;
      }
      for (long long i = 0; i < n; ++i) {
        if (q < e && *q == '$') {
          // The common element, inline: a bulk string is skipped.
          long long len = 0;
          const char* d = Integer(q + 1, e, &len, &bad);
          if (bad || len < -1) return -1;
          if (d == nullptr) return 0;
          if (len >= 0) {
            if (e - d < len + 2) return 0;
            if (d[len] != '\r' || d[len + 1] != '\n') return -1;
            d += len + 2;
          }
          q = d;
          continue;
        }
        long k = Scan(q, e, depth + 1, r);
        if (k <= 0) return k;
        q += k;
      }
      return q - s;
    }
    default:
      return -1;
  }
}

// --- self test -------------------------------------------------------------

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

// A random reply of at most `depth` more levels.
std::string RandomReply(Rng& rng, int depth) {
  switch (rng.Below(depth > 0 ? 7 : 6)) {
    case 0:
      return "+OK\r\n";
    case 1:
      return "-ERR order is not live\r\n";
    case 2:
      return ":" + std::to_string(static_cast<long long>(rng.Next() >> 1) - (1LL << 61)) + "\r\n";
    case 3:
      return rng.Below(2) ? "$-1\r\n" : "*-1\r\n";
    case 4:
      return Bulk(std::string(rng.Below(200), static_cast<char>('a' + rng.Below(26))));
    case 5:
      return Bulk(FormatScaled(static_cast<int64_t>(rng.Below(1000000000000))));
    default: {
      size_t n = rng.Below(6);
      std::string s = "*" + std::to_string(n) + "\r\n";
      for (size_t i = 0; i < n; ++i) s += RandomReply(rng, depth - 1);
      return s;
    }
  }
}

// The shape hiredis's reader sees in `one` (a single complete reply).
bool HiredisShape(const std::string& one, ReplyShape* out) {
  redisReader* reader = redisReaderCreate();
  redisReaderFeed(reader, one.data(), one.size());
  void* v = nullptr;
  bool ok = redisReaderGetReply(reader, &v) == REDIS_OK && v != nullptr;
  if (ok) {
    auto* r = static_cast<redisReply*>(v);
    out->Clear();
    out->type = r->type;
    if (r->type == REDIS_REPLY_INTEGER) out->integer = r->integer;
    if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
        r->type == REDIS_REPLY_ERROR)
      CopyText(out, r->str, r->len);
    if (r->type == REDIS_REPLY_ARRAY) {
      out->elements = static_cast<int>(r->elements);
      for (size_t i = 0; i < r->elements; ++i)
        if (r->element[i]->type == REDIS_REPLY_ARRAY)
          out->inner_elements += static_cast<long long>(r->element[i]->elements);
    }
    freeReplyObject(r);
  }
  redisReaderFree(reader);
  return ok;
}

bool SameShape(const ReplyShape& a, const ReplyShape& b) {
  return a.type == b.type && a.integer == b.integer && a.text() == b.text() &&
         a.elements == b.elements && a.inner_elements == b.inner_elements;
}

}  // namespace

long ScanReply(std::string_view in, ReplyShape* shape) {
  shape->Clear();
  return Scan(in.data(), in.data() + in.size(), 0, shape);
}

int SelfTestScanner() {
  int failures = 0;
  Rng rng(42);
  std::vector<std::string> cases = {"+OK\r\n",
                                    "-ERR x\r\n",
                                    ":0\r\n",
                                    ":-17\r\n",
                                    "$0\r\n\r\n",
                                    "*0\r\n",
                                    "*2\r\n*3\r\n$1\r\na\r\n:1\r\n$-1\r\n*0\r\n",
                                    Bulk(std::string(300, 'x'))};
  for (int i = 0; i < 300; ++i) cases.push_back(RandomReply(rng, 3));
  for (const std::string& one : cases) {
    ReplyShape want, got;
    if (!HiredisShape(one, &want)) {
      printf("self-test: hiredis rejects case %s\n", one.c_str());
      ++failures;
      continue;
    }
    std::string two = one + ":5\r\n";
    for (size_t cut = 0; cut <= two.size(); ++cut) {
      long n = ScanReply(std::string_view(two).substr(0, cut), &got);
      long expect = cut < one.size() ? 0 : static_cast<long>(one.size());
      if (n != expect || (n > 0 && !SameShape(got, want))) {
        printf("self-test: scanning %zu of %zu bytes of %s gave %ld, expected %ld\n", cut,
               two.size(), one.c_str(), n, expect);
        ++failures;
        break;
      }
    }
  }
  ReplyShape r;
  for (const char* bad : {"?\r\n", "$3\r\nabcd\r\n", ":12a\r\n", "*-2\r\n", "+OK\n", "$-5\r\n"}) {
    if (ScanReply(bad, &r) != -1) {
      printf("self-test: accepted malformed %s\n", bad);
      ++failures;
    }
  }
  printf("self-test: %zu replies scanned at every split, %d failures\n", cases.size(), failures);
  return failures;
}

}  // namespace bench
