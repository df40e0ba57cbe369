// libFuzzer target: arbitrary bytes are one connection's input. They go
// through RequestParser and every parsed command through Server::Dispatch,
// the way net/net_server.cpp's ProcessInput does, on a fresh in-process
// Server per input (so every crash reproduces from its input alone).
//
// Besides crashes and sanitizer reports, it aborts on:
//  - split dependence: the commands (and the final error) parsed from the
//    whole input at once differ from those parsed when the same bytes
//    arrive in chunks;
//  - a malformed reply: every reply must be complete, well-formed RESP2
//    (RESP3 after HELLO 3), one per command unless replies are off.
//
// A few commands are not run: those that stop the process or touch files
// (SHUTDOWN, DEBUG, CONFIG SET of paths, CONFIG REWRITE), and those whose
// numeric arguments would make a tiny input allocate gigabytes (SETRANGE /
// SETBIT / BITFIELD offsets, *RANDMEMBER / HRANDFIELD counts) beyond a cap.
// Built by tests/fuzz/run.sh.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "net/client.h"
#include "resp/byte_buffer.h"
#include "resp/request_parser.h"
#include "server/log.h"
#include "server/server.h"
#include "util/strutil.h"

using namespace ordis;

namespace {

// Inputs longer than the inline limit may legitimately parse differently
// depending on how they are split ("too big inline request").
constexpr size_t kMaxInput = 60 * 1024;
constexpr int64_t kMaxAmplifier = 1 << 16;

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  fprintf(stderr, "request_fuzzer: %s: %.*s\n", what,
          static_cast<int>(detail.size() > 300 ? 300 : detail.size()), detail.data());
  abort();
}

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& ch : r) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  return r;
}

bool IsSubscribeFamily(std::string_view cmd) {
  std::string name = Lower(cmd);
  for (const char* n : {"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe",
                        "sunsubscribe"})
    if (name == n) return true;
  return false;
}

bool Skip(const std::vector<std::string_view>& args) {
  std::string name = Lower(args[0]);
  // SAVE & co. write files (into the current directory) on every run.
  if (name == "shutdown" || name == "debug" || name == "save" || name == "bgsave" ||
      name == "bgrewriteaof")
    return true;
  if (name == "config" && args.size() > 1) {
    std::string sub = Lower(args[1]);
    if (sub == "rewrite") return true;
    if (sub == "set") {
      for (size_t i = 2; i < args.size(); i += 2) {
        std::string p = Lower(args[i]);
        if (p.find("dir") != std::string::npos || p.find("file") != std::string::npos ||
            p.find("sock") != std::string::npos || p.find("pid") != std::string::npos)
          return true;
      }
    }
  }
  bool amplifier = name == "setrange" || name == "setbit" || name == "bitfield" ||
                   name == "bitfield_ro" || name == "srandmember" || name == "zrandmember" ||
                   name == "hrandfield";
  if (amplifier) {
    for (size_t i = 1; i < args.size(); ++i) {
      std::string_view a = args[i];
      if (!a.empty() && a[0] == '#') a.remove_prefix(1);  // BITFIELD #N offsets
      int64_t v;
      if (ParseInt64(a, &v) && (v > kMaxAmplifier || v < -kMaxAmplifier)) return true;
    }
  }
  return false;
}

// ---- strict RESP reply validation

bool Line(std::string_view s, size_t* pos, std::string_view* line) {
  size_t cr = s.find('\r', *pos);
  if (cr == std::string_view::npos || cr + 1 >= s.size() || s[cr + 1] != '\n') return false;
  *line = s.substr(*pos, cr - *pos);
  *pos = cr + 2;
  return line->find('\n') == std::string_view::npos;
}

bool Int(std::string_view s, int64_t* v) {
  return ParseInt64(s, v);
}

// Validates one value at *pos; advances *pos. False if malformed.
bool Valid(std::string_view s, size_t* pos, bool resp3, int depth) {
  if (depth > 128 || *pos >= s.size()) return false;
  char t = s[(*pos)++];
  std::string_view line;
  if (!Line(s, pos, &line)) return false;
  int64_t n;
  switch (t) {
    case '+':
    case '-':
      return t == '+' || !line.empty();
    case ':':
      return Int(line, &n);
    case '$':
    case '=':
    case '!': {
      if (!Int(line, &n) || n < (t == '$' && !resp3 ? -1 : 0)) return false;
      if (t != '$' && !resp3) return false;
      if (n < 0) return true;
      size_t len = static_cast<size_t>(n);
      if (s.size() - *pos < len + 2 || s.substr(*pos + len, 2) != "\r\n") return false;
      if (t == '=' && (len < 4 || s[*pos + 3] != ':')) return false;
      *pos += len + 2;
      return true;
    }
    case '*':
    case '~':
    case '%':
    case '>':
    case '|': {
      if (!Int(line, &n) || n < (t == '*' && !resp3 ? -1 : 0)) return false;
      if (t != '*' && !resp3) return false;
      int64_t items = (t == '%' || t == '|') ? 2 * n : n;
      for (int64_t i = 0; i < items; ++i)
        if (!Valid(s, pos, resp3, depth + 1)) return false;
      if (t == '|') return Valid(s, pos, resp3, depth + 1);
      return true;
    }
    case '_':
      return resp3 && line.empty();
    case '#':
      return resp3 && (line == "t" || line == "f");
    case ',':
      return resp3 && !line.empty();
    case '(':
      return resp3 && !line.empty();
    default:
      return false;
  }
}

// Checks the replies in out; returns how many there were.
int CheckReplies(std::string_view out, bool resp3, std::string_view cmd) {
  int count = 0;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t start = pos;
    if (!Valid(out, &pos, resp3, 0)) {
      fprintf(stderr, "command: %.*s\n", static_cast<int>(cmd.size()), cmd.data());
      Fail("malformed reply", out.substr(start));
    }
    ++count;
  }
  return count;
}

struct Parsed {
  std::vector<std::vector<std::string>> commands;
  std::string error;  // "" if none
};

ParserLimits Limits(Server& server, const Client& c) {
  ParserLimits l;
  l.max_bulk_len = server.config().proto_max_bulk_len;
  l.unauthenticated = !c.authenticated;
  return l;
}

// Pass A: everything at once, no dispatch.
Parsed ParseWhole(const char* data, size_t size) {
  Parsed p;
  RequestParser parser;
  size_t off = 0;
  while (off < size) {
    size_t consumed = 0;
    auto r = parser.Parse(data + off, size - off, &consumed);
    if (r == RequestParser::Result::kNeedMore) break;
    if (r == RequestParser::Result::kError) {
      p.error = parser.error();
      break;
    }
    if (consumed == 0) Fail("command consumed no bytes", std::string_view(data + off, size - off));
    p.commands.emplace_back(parser.args().begin(), parser.args().end());
    off += consumed;
  }
  return p;
}

std::string Describe(const std::vector<std::string_view>& args) {
  std::string s;
  for (std::string_view a : args) {
    s += '"';
    s.append(a.substr(0, 40));
    s += "\" ";
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  LogSetLevel(kLogNothing);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size > kMaxInput) return 0;
  const char* data = reinterpret_cast<const char*>(bytes);
  Parsed whole = ParseWhole(data, size);

  // Pass B: the bytes arrive in chunks (size chosen from the input), each
  // parsed command is dispatched as the network layer does.
  size_t chunk = 1 + (size * 7 + (size ? static_cast<unsigned char>(data[size / 2]) : 0)) % 97;
  if (size % 5 == 0) chunk = 1;
  Server server{Config()};
  Client c;
  c.id = server.NextClientId();
  server.AddClient(&c);
  ByteBuffer in;
  size_t fed = 0, index = 0;
  bool comparable = true;  // false once the parse limits changed (AUTH state)
  bool closed = false;
  std::string error;
  while (!closed) {
    size_t n = size - fed < chunk ? size - fed : chunk;
    if (n) in.Append(data + fed, n);
    fed += n;
    while (!in.empty() && !closed) {
      c.parser.set_limits(Limits(server, c));
      if (c.parser.limits().unauthenticated) comparable = false;
      size_t consumed = 0;
      auto r = c.parser.Parse(in.data(), in.size(), &consumed);
      if (r == RequestParser::Result::kNeedMore) break;
      if (r == RequestParser::Result::kError) {
        error = c.parser.error();
        c.out.Clear();
        c.reply.Error("ERR " + error);
        CheckReplies(c.out.view(), c.proto >= 3, "(protocol error)");
        closed = true;
        break;
      }
      const std::vector<std::string_view>& args = c.parser.args();
      if (comparable) {
        if (index >= whole.commands.size() ||
            !std::equal(args.begin(), args.end(), whole.commands[index].begin(),
                        whole.commands[index].end()))
          Fail("chunked parse differs from whole parse", Describe(args));
        ++index;
      }
      if (!args.empty() && !Skip(args)) {
        uint32_t reply_flags = Client::kReplyOff | Client::kReplySkip | Client::kReplySkipNext;
        uint32_t before = c.flags;
        if (c.flags & Client::kReplySkipNext) {
          c.flags &= ~Client::kReplySkipNext;
          c.flags |= Client::kReplySkip;
        }
        c.out.Clear();
        std::string desc = Describe(args);
        server.Dispatch(c, args);
        c.flags &= ~Client::kReplySkip;
        int replies = CheckReplies(c.out.view(), c.proto >= 3, desc);
        bool quiet = ((before | c.flags) & (reply_flags | Client::kMonitor)) != 0;
        // A blocked client (BLPOP...) has no reply yet and, as on a socket,
        // its further input waits: this input ends here.
        bool blocked = (c.flags & Client::kBlocked) != 0;
        if (blocked) quiet = true, closed = true;
        // (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE confirm each channel separately.
        if (IsSubscribeFamily(args[0])) {
          if (replies < 1 && !quiet) Fail("no subscribe confirmation", desc);
        } else if (replies > 1 || (!quiet && replies != 1)) {
          Fail("wrong number of replies", desc);
        }
      }
      in.Consume(consumed);
      if (c.flags & (Client::kCloseAfterReply | Client::kCloseAsap)) closed = true;
    }
    if (fed == size) break;
  }
  if (comparable && !closed) {
    if (index != whole.commands.size()) Fail("chunked parse found fewer commands", "");
    if (!whole.error.empty()) Fail("whole parse failed, chunked did not", whole.error);
  }
  if (comparable && !error.empty()) {
    if (index != whole.commands.size()) Fail("chunked parse failed early", error);
    if (error != whole.error) Fail("different protocol errors", error + " vs " + whole.error);
  }
  server.RemoveClient(&c);
  return 0;
}
