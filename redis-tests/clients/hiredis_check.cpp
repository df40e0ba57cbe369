// hiredis checks against a running server: hiredis_check PORT.
// Prints one line per check, "ok hiredis <name>" or "FAIL hiredis <name>: why".
// Built by redis-tests/clients/run.sh with: g++ -std=c++20 ... -lhiredis.
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Failure {
  std::string why;
};

struct Reply {
  redisReply* r;
  explicit Reply(void* p) : r(static_cast<redisReply*>(p)) {}
  ~Reply() {
    if (r) freeReplyObject(r);
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
};

std::string Describe(const redisReply* r) {
  if (!r) return "no reply";
  switch (r->type) {
    case REDIS_REPLY_STRING:
      return "string '" + std::string(r->str, r->len) + "'";
    case REDIS_REPLY_STATUS:
      return "status '" + std::string(r->str, r->len) + "'";
    case REDIS_REPLY_ERROR:
      return "error '" + std::string(r->str, r->len) + "'";
    case REDIS_REPLY_INTEGER:
      return "integer " + std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "nil";
    case REDIS_REPLY_ARRAY:
      return "array of " + std::to_string(r->elements);
    default:
      return "reply type " + std::to_string(r->type);
  }
}

void Expect(bool ok, const std::string& what) {
  if (!ok) throw Failure{what};
}

void ExpectStr(const redisReply* r, int type, const char* want, const std::string& what) {
  Expect(r && r->type == type && std::string(r->str, r->len) == want,
         what + ": got " + Describe(r) + ", want '" + want + "'");
}

void ExpectInt(const redisReply* r, long long want, const std::string& what) {
  Expect(r && r->type == REDIS_REPLY_INTEGER && r->integer == want,
         what + ": got " + Describe(r) + ", want " + std::to_string(want));
}

void CheckSync(redisContext* c) {
  Reply del(redisCommand(c, "DEL hi:a hi:n hi:bin hi:l"));
  Reply set(redisCommand(c, "SET hi:a %s", "hello"));
  ExpectStr(set.r, REDIS_REPLY_STATUS, "OK", "SET");
  Reply get(redisCommand(c, "GET hi:a"));
  ExpectStr(get.r, REDIS_REPLY_STRING, "hello", "GET");
  Reply nil(redisCommand(c, "GET hi:missing"));
  Expect(nil.r && nil.r->type == REDIS_REPLY_NIL, "GET missing: " + Describe(nil.r));
  // Binary-safe values through %b.
  const char bin[] = {'a', '\0', '\r', '\n', 'b'};
  Reply setb(redisCommand(c, "SET hi:bin %b", bin, sizeof bin));
  ExpectStr(setb.r, REDIS_REPLY_STATUS, "OK", "SET binary");
  Reply getb(redisCommand(c, "GET hi:bin"));
  Expect(getb.r && getb.r->type == REDIS_REPLY_STRING && getb.r->len == sizeof bin &&
             memcmp(getb.r->str, bin, sizeof bin) == 0,
         "GET binary: " + Describe(getb.r));
  Reply incr(redisCommand(c, "INCRBY hi:n 5"));
  ExpectInt(incr.r, 5, "INCRBY");
  Reply mget(redisCommand(c, "MGET hi:a hi:missing hi:n"));
  Expect(mget.r && mget.r->type == REDIS_REPLY_ARRAY && mget.r->elements == 3,
         "MGET: " + Describe(mget.r));
  ExpectStr(mget.r->element[0], REDIS_REPLY_STRING, "hello", "MGET[0]");
  Expect(mget.r->element[1]->type == REDIS_REPLY_NIL, "MGET[1]: " + Describe(mget.r->element[1]));
  ExpectStr(mget.r->element[2], REDIS_REPLY_STRING, "5", "MGET[2]");
  Reply wrong(redisCommand(c, "INCR hi:a"));
  ExpectStr(wrong.r, REDIS_REPLY_ERROR, "ERR value is not an integer or out of range",
            "INCR on a string");
  Reply lpush(redisCommand(c, "LPUSH hi:l x"));
  if (lpush.r && lpush.r->type == REDIS_REPLY_INTEGER) {  // lists may not exist yet
    Reply wt(redisCommand(c, "GET hi:l"));
    ExpectStr(wt.r, REDIS_REPLY_ERROR,
              "WRONGTYPE Operation against a key holding the wrong kind of value", "GET on a list");
  }
  Reply exists(redisCommand(c, "EXISTS hi:a hi:n hi:missing"));
  ExpectInt(exists.r, 2, "EXISTS");
  Reply del2(redisCommand(c, "DEL hi:a hi:n hi:bin hi:l"));
  Expect(del2.r && del2.r->type == REDIS_REPLY_INTEGER && del2.r->integer >= 3,
         "DEL: " + Describe(del2.r));
}

void CheckPipeline(redisContext* c) {
  constexpr int kN = 10000;
  for (int i = 0; i < kN; i++) {
    if (i % 2 == 0)
      redisAppendCommand(c, "SET hi:p:%d %d", i, i);
    else
      redisAppendCommand(c, "INCR hi:p:counter");
  }
  for (int i = 0; i < kN; i++) {
    void* raw = nullptr;
    Expect(redisGetReply(c, &raw) == REDIS_OK, "reply " + std::to_string(i) + ": " + c->errstr);
    Reply r(raw);
    if (i % 2 == 0)
      ExpectStr(r.r, REDIS_REPLY_STATUS, "OK", "pipelined SET " + std::to_string(i));
    else
      ExpectInt(r.r, (i + 1) / 2, "pipelined INCR " + std::to_string(i));
  }
  for (int i = 0; i < kN; i += 2) redisAppendCommand(c, "GET hi:p:%d", i);
  for (int i = 0; i < kN; i += 2) {
    void* raw = nullptr;
    Expect(redisGetReply(c, &raw) == REDIS_OK, std::string("GET reply: ") + c->errstr);
    Reply r(raw);
    ExpectStr(r.r, REDIS_REPLY_STRING, std::to_string(i).c_str(),
              "pipelined GET " + std::to_string(i));
  }
  for (int i = 0; i < kN; i += 2) redisAppendCommand(c, "DEL hi:p:%d", i);
  redisAppendCommand(c, "DEL hi:p:counter");
  for (int i = 0; i <= kN / 2; i++) {
    void* raw = nullptr;
    Expect(redisGetReply(c, &raw) == REDIS_OK, std::string("DEL reply: ") + c->errstr);
    Reply r(raw);
    ExpectInt(r.r, 1, "pipelined DEL");
  }
}

#ifdef REDIS_REPLY_MAP
// hiredis >= 1.0 parses RESP3 itself.
void CheckResp3(redisContext* c) {
  Reply hello(redisCommand(c, "HELLO 3"));
  Expect(hello.r && hello.r->type == REDIS_REPLY_MAP && hello.r->elements == 14,
         "HELLO 3: " + Describe(hello.r));
  Reply nil(redisCommand(c, "GET hi:r3:missing"));
  Expect(nil.r && nil.r->type == REDIS_REPLY_NIL, "RESP3 null: " + Describe(nil.r));
  Reply back(redisCommand(c, "HELLO 2"));
  Expect(back.r && back.r->type == REDIS_REPLY_ARRAY && back.r->elements == 14,
         "HELLO 2: " + Describe(back.r));
}
#else
// hiredis 0.14 cannot parse RESP3 replies, so HELLO 3 is exchanged as raw
// bytes on the connection's socket; a trailing PING marks the reply's end.
std::string RawExchange(redisContext* c, const std::string& cmd) {
  std::string out = cmd + "\r\nPING\r\n";
  Expect(write(c->fd, out.data(), out.size()) == static_cast<ssize_t>(out.size()), "raw write");
  std::string in;
  const std::string pong = "+PONG\r\n";
  char buf[4096];
  while (in.size() < pong.size() || in.compare(in.size() - pong.size(), pong.size(), pong) != 0) {
    ssize_t n = read(c->fd, buf, sizeof buf);
    Expect(n > 0, "raw read: connection closed after '" + in + "'");
    in.append(buf, static_cast<size_t>(n));
  }
  return in.substr(0, in.size() - pong.size());
}

void CheckResp3(redisContext* c) {
  std::printf("note: hiredis %d.%d has no RESP3 parser (1.0+): HELLO 3 checked as raw bytes\n",
              HIREDIS_MAJOR, HIREDIS_MINOR);
  std::string hello = RawExchange(c, "HELLO 3");
  Expect(hello.rfind("%7\r\n", 0) == 0, "HELLO 3 is not a 7-entry map: " + hello.substr(0, 40));
  Expect(hello.find("$5\r\nproto\r\n:3\r\n") != std::string::npos,
         "HELLO 3 lacks proto 3: " + hello);
  std::string nil = RawExchange(c, "GET hi:r3:missing");
  Expect(nil == "_\r\n", "RESP3 null: '" + nil + "'");
  std::string back = RawExchange(c, "HELLO 2");
  Expect(back.rfind("*14\r\n", 0) == 0, "HELLO 2 is not a 14-element array: " + back.substr(0, 40));
  // hiredis resumes on the same connection in RESP2.
  Reply ping(redisCommand(c, "PING"));
  ExpectStr(ping.r, REDIS_REPLY_STATUS, "PONG", "PING through hiredis after HELLO 2");
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  struct Check {
    const char* name;
    void (*fn)(redisContext*);
  } checks[] = {{"sync", CheckSync}, {"pipeline-10000", CheckPipeline}, {"resp3", CheckResp3}};
  int failed = 0;
  for (const Check& check : checks) {
    // A fresh connection per check: a failure leaves no unread replies behind.
    timeval tv{10, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
    if (!c || c->err) {
      std::printf("FAIL hiredis %s: connect: %s\n", check.name, c ? c->errstr : "out of memory");
      failed++;
      if (c) redisFree(c);
      continue;
    }
    redisSetTimeout(c, tv);
    try {
      check.fn(c);
      std::printf("ok hiredis %s\n", check.name);
    } catch (const Failure& f) {
      std::printf("FAIL hiredis %s: %s\n", check.name, f.why.c_str());
      failed++;
    }
    std::fflush(stdout);
    redisFree(c);
  }
  return failed ? 1 : 0;
}
