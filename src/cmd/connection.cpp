// Connection commands: PING, ECHO, SELECT, QUIT, RESET, AUTH, HELLO and the
// CLIENT container.
//
// Only the "default" user exists: its password is `requirepass` (none when
// empty, and then any password is accepted for it, as Redis's nopass user).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/db.h"
#include "server/blocking.h"
#include "server/pubsub.h"
#include "server/server.h"
#include "server/version.h"

namespace ordis {

namespace {

constexpr std::string_view kNoPasswordConfigured =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
constexpr std::string_view kBadName =
    "ERR Client names cannot contain spaces, newlines or special characters.";

// ---- shared helpers ---------------------------------------------------------

// Compares in time independent of where the strings differ, so the reply
// time leaks nothing about the password.
bool SecretEquals(std::string_view a, std::string_view b) {
  size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() != b.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

// ACL-style check for the single "default" user. On success the client is
// authenticated.
bool Authenticate(CommandContext& ctx, std::string_view user, std::string_view pass) {
  if (user != "default") return false;
  const std::string& required = ctx.server.config().requirepass;
  if (!required.empty() && !SecretEquals(pass, required)) return false;
  ctx.client.authenticated = true;
  return true;
}

// Names and library attributes must split cleanly on spaces in CLIENT LIST.
bool PrintableNoSpaces(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '!' && ch <= '~'; });
}

// Sets the connection name (empty clears it); replies the error and
// returns false when the name is invalid.
bool SetNameOrReply(CommandContext& ctx, std::string_view name) {
  if (!PrintableNoSpaces(name)) {
    ctx.reply.Error(kBadName);
    return false;
  }
  ctx.client.name.assign(name);
  return true;
}

// Leaves MULTI: queue, dirty flags, watched keys.
void DiscardTransaction(CommandContext& ctx) {
  ctx.client.multi_queue.clear();
  ctx.client.flags &=
      ~(Client::kMulti | Client::kMultiWrites | Client::kDirtyCas | Client::kDirtyExec);
  ctx.server.Unwatch(ctx.client);
}

// Replies go to the socket again after CLIENT REPLY OFF, unless this very
// command's reply is being skipped.
void RestoreReplies(CommandContext& ctx) {
  if (!(ctx.client.flags & Client::kReplySkip)) ctx.reply.set_buffer(&ctx.client.out);
}

// For subcommands whose argument count is beyond what they accept.
void ReplySubcommandSyntaxError(CommandContext& ctx) {
  ctx.reply.Error("ERR unknown subcommand or wrong number of arguments for '" +
                  std::string(ctx.arg(1).substr(0, 128)) + "'. Try CLIENT HELP.");
}

void ReplyHelp(CommandContext& ctx, std::string_view cmd,
               std::initializer_list<const char*> lines) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(lines.size() + 3));
  ctx.reply.Simple(std::string(cmd) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : lines) ctx.reply.Simple(line);
  ctx.reply.Simple("HELP");
  ctx.reply.Simple("    Prints this help.");
}

// ---- PING ECHO SELECT QUIT RESET AUTH HELLO ----------------------------------

void PingCmd(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    return ctx.reply.Error("ERR wrong number of arguments for 'ping' command");
  }
  // A RESP2 subscriber gets a message-shaped reply, like its other pushes.
  if ((ctx.client.flags & Client::kPubSub) && ctx.client.proto == 2) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    return ctx.reply.Bulk(ctx.argc() == 2 ? ctx.arg(1) : "");
  }
  if (ctx.argc() == 2) return ctx.reply.Bulk(ctx.arg(1));
  ctx.reply.Simple("PONG");
}

void EchoCmd(CommandContext& ctx) {
  ctx.reply.Bulk(ctx.arg(1));
}

void SelectCmd(CommandContext& ctx) {
  int64_t id;
  if (!ArgInt(ctx, 1, &id, "ERR value is not an integer or out of range")) return;
  if (id < 0 || id >= ctx.server.keyspace().db_count()) return ctx.reply.Error(err::kDbIndex);
  ctx.client.db = static_cast<int>(id);
  ctx.reply.Ok();
}

void QuitCmd(CommandContext& ctx) {
  ctx.client.flags |= Client::kCloseAfterReply;
  ctx.reply.Ok();
}

// Back to the state of a new connection.
void ResetCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  if (c.flags & Client::kMonitor) {
    std::erase(ctx.server.monitors(), &c);
    c.flags &= ~Client::kMonitor;
  }
  DiscardTransaction(ctx);
  ctx.server.pubsub().RemoveClient(c);  // silently, as Redis's RESET
  c.db = 0;
  c.proto = 2;
  ctx.reply.set_proto(2);
  c.authenticated = ctx.server.config().requirepass.empty();
  c.name.clear();
  c.flags &= ~(Client::kReplyOff | Client::kReplySkipNext | Client::kNoTouch);
  RestoreReplies(ctx);
  ctx.reply.Simple("RESET");
}

void AuthCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(err::kSyntax);
  if (ctx.argc() == 2 && ctx.server.config().requirepass.empty())
    return ctx.reply.Error(kNoPasswordConfigured);
  std::string_view user = ctx.argc() == 3 ? ctx.arg(1) : "default";
  if (!Authenticate(ctx, user, ctx.arg(ctx.argc() - 1))) return ctx.reply.Error(kWrongPass);
  ctx.reply.Ok();
}

// HELLO [protover [AUTH user pass] [SETNAME name]]
void HelloCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  int64_t ver = 0;
  size_t next = 1;
  if (ctx.argc() >= 2) {
    if (!ArgInt(ctx, next++, &ver, "ERR Protocol version is not an integer or out of range"))
      return;
    if (ver < 2 || ver > 3) return ctx.reply.Error("NOPROTO unsupported protocol version");
  }
  for (size_t j = next; j < ctx.argc(); ++j) {
    size_t more = ctx.argc() - 1 - j;
    if (ArgIs(ctx, j, "AUTH") && more >= 2) {
      if (!Authenticate(ctx, ctx.arg(j + 1), ctx.arg(j + 2))) return ctx.reply.Error(kWrongPass);
      j += 2;
    } else if (ArgIs(ctx, j, "SETNAME") && more >= 1) {
      if (!SetNameOrReply(ctx, ctx.arg(j + 1))) return;
      ++j;
    } else {
      return ctx.reply.Error("ERR Syntax error in HELLO option '" + std::string(ctx.arg(j)) + "'");
    }
  }
  if (!c.authenticated && !ctx.server.config().requirepass.empty()) {
    return ctx.reply.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        "protocol version at the same time");
  }
  // Switch first: the reply itself is in the new protocol.
  if (ver) {
    c.proto = static_cast<int>(ver);
    ctx.reply.set_proto(c.proto);
  }
  ctx.reply.MapHeader(7);
  ctx.reply.Bulk("server");
  ctx.reply.Bulk("redis");  // clients key features off this; we speak Redis 7.0
  ctx.reply.Bulk("version");
  ctx.reply.Bulk(kRedisCompatVersion);
  ctx.reply.Bulk("proto");
  ctx.reply.Integer(c.proto);
  ctx.reply.Bulk("id");
  ctx.reply.Integer(static_cast<int64_t>(c.id));
  ctx.reply.Bulk("mode");
  ctx.reply.Bulk("standalone");
  ctx.reply.Bulk("role");
  ctx.reply.Bulk("master");
  ctx.reply.Bulk("modules");
  ctx.reply.EmptyArray();
}

// ---- CLIENT -----------------------------------------------------------------

// Redis client types (CLIENT LIST TYPE, CLIENT KILL TYPE). An ordis
// connection is "pubsub" while it has a subscription, else "normal": there
// are no replicas, and MONITOR clients count as normal in Redis too.
enum class ClientType { kNormal, kMaster, kReplica, kPubsub, kUnknown };

ClientType ParseClientType(std::string_view s) {
  if (EqualsNoCase(s, "normal")) return ClientType::kNormal;
  if (EqualsNoCase(s, "slave") || EqualsNoCase(s, "replica")) return ClientType::kReplica;
  if (EqualsNoCase(s, "pubsub")) return ClientType::kPubsub;
  if (EqualsNoCase(s, "master")) return ClientType::kMaster;
  return ClientType::kUnknown;
}

ClientType TypeOf(const Client& c) {
  return (c.flags & Client::kPubSub) ? ClientType::kPubsub : ClientType::kNormal;
}

std::string FlagsString(const Client& c) {
  std::string f;
  if (c.flags & Client::kMonitor) f += 'O';
  if (c.flags & Client::kPubSub) f += 'P';
  if (c.flags & Client::kMulti) f += 'x';
  if (c.flags & Client::kBlocked) f += 'b';
  if (c.flags & Client::kDirtyCas) f += 'd';
  if (c.flags & Client::kCloseAfterReply) f += 'c';
  if (c.flags & Client::kCloseAsap) f += 'A';
  if (c.flags & Client::kUnixSocket) f += 'U';
  if (c.flags & Client::kNoEvict) f += 'e';
  if (c.flags & Client::kNoTouch) f += 'T';
  return f.empty() ? "N" : f;
}

// One CLIENT LIST line in Redis 7.0's format (without the newline).
// `current_args` are the arguments of the command `self` is running (its
// argv-mem); other clients are between commands.
std::string ClientInfoLine(const Client& c, const Client& self, ArgList current_args) {
  // Redis keeps up to 16 KiB of replies in a static buffer (obl) and the
  // rest in a list of blocks (oll/omem); report our single buffer that way.
  constexpr size_t kStaticBuf = 16 * 1024;
  size_t pending = c.out.size();
  size_t obl = std::min(pending, kStaticBuf);
  size_t omem = pending - obl;
  size_t oll = (omem + kStaticBuf - 1) / kStaticBuf;
  size_t argv_mem = 0;
  if (&c == &self)
    for (std::string_view a : current_args) argv_mem += a.size();
  size_t multi_mem = 0;
  for (const auto& cmd : c.multi_queue) {
    multi_mem += cmd.size() * sizeof(void*);
    for (const std::string& a : cmd) multi_mem += a.size();
  }
  size_t tot_mem = sizeof(Client) + c.in.allocated() + c.out.allocated() + argv_mem + multi_mem;
  int64_t now = Server::NowMs() / 1000;
  std::string events = "r";
  if (!c.out.empty()) events += 'w';

  char buf[512];
  snprintf(buf, sizeof buf,
           "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=%zu "
           "psub=%zu ssub=%zu multi=%lld qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=%zu rbs=%zu "
           "rbp=%zu obl=%zu oll=%zu omem=%zu tot-mem=%zu events=%s ",
           static_cast<unsigned long long>(c.id), c.addr.c_str(), c.laddr.c_str(), c.fd,
           c.name.c_str(), static_cast<long long>(now - c.ctime_ms / 1000),
           static_cast<long long>(now - c.last_interaction_ms / 1000), FlagsString(c).c_str(), c.db,
           c.pubsub.channels.size(), c.pubsub.patterns.size(), c.pubsub.shard_channels.size(),
           c.in_multi() ? static_cast<long long>(c.multi_queue.size()) : -1LL, c.in.size(),
           c.in.allocated() - c.in.size(), argv_mem, multi_mem, c.out.allocated(),
           c.out.allocated(), obl, oll, omem, tot_mem, events.c_str());
  std::string line = buf;
  line += "cmd=";
  line += c.last_cmd;
  line += " user=default redir=-1 resp=";
  line += std::to_string(c.proto);
  return line;
}

void ClientIdCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.client.id));
}

void ClientSetnameCmd(CommandContext& ctx) {
  if (SetNameOrReply(ctx, ctx.arg(2))) ctx.reply.Ok();
}

void ClientGetnameCmd(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply.Null();
  ctx.reply.Bulk(ctx.client.name);
}

void ClientInfoCmd(CommandContext& ctx) {
  ctx.reply.Verbatim(ClientInfoLine(ctx.client, ctx.client, ctx.args) + "\n");
}

// CLIENT LIST [TYPE type] | [ID id [id ...]]
void ClientListCmd(CommandContext& ctx) {
  Server& server = ctx.server;
  std::string out;
  if (ctx.argc() == 4 && ArgIs(ctx, 2, "type")) {
    ClientType type = ParseClientType(ctx.arg(3));
    if (type == ClientType::kUnknown)
      return ctx.reply.Error("ERR Unknown client type '" + std::string(ctx.arg(3)) + "'");
    for (const auto& [id, c] : server.clients()) {
      if (TypeOf(*c) != type) continue;
      out += ClientInfoLine(*c, ctx.client, ctx.args);
      out += '\n';
    }
  } else if (ctx.argc() > 3 && ArgIs(ctx, 2, "id")) {
    for (size_t j = 3; j < ctx.argc(); ++j) {
      int64_t id;
      if (!ArgInt(ctx, j, &id, "ERR Invalid client ID")) return;
      auto it = server.clients().find(static_cast<uint64_t>(id));
      if (it == server.clients().end()) continue;
      out += ClientInfoLine(*it->second, ctx.client, ctx.args);
      out += '\n';
    }
  } else if (ctx.argc() != 2) {
    return ctx.reply.Error(err::kSyntax);
  } else {
    for (const auto& [id, c] : server.clients()) {
      out += ClientInfoLine(*c, ctx.client, ctx.args);
      out += '\n';
    }
  }
  ctx.reply.Verbatim(out);
}

// CLIENT KILL addr | CLIENT KILL <filter value> ...
void ClientKillCmd(CommandContext& ctx) {
  std::string_view addr, laddr;
  bool has_addr = false, has_laddr = false;
  ClientType type = ClientType::kUnknown;  // kUnknown: any type
  int64_t id = 0;
  bool skipme = true;
  bool old_form = ctx.argc() == 3;
  if (old_form) {
    addr = ctx.arg(2);
    has_addr = true;
    skipme = false;  // the old form may kill the caller
  } else {
    for (size_t i = 2; i < ctx.argc(); i += 2) {
      if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
      std::string_view value = ctx.arg(i + 1);
      if (ArgIs(ctx, i, "id")) {
        if (!ArgIntRange(ctx, i + 1, 1, INT64_MAX, &id, "ERR client-id should be greater than 0"))
          return;
      } else if (ArgIs(ctx, i, "type")) {
        type = ParseClientType(value);
        if (type == ClientType::kUnknown)
          return ctx.reply.Error("ERR Unknown client type '" + std::string(value) + "'");
      } else if (ArgIs(ctx, i, "addr")) {
        addr = value;
        has_addr = true;
      } else if (ArgIs(ctx, i, "laddr")) {
        laddr = value;
        has_laddr = true;
      } else if (ArgIs(ctx, i, "user")) {
        if (value != "default")
          return ctx.reply.Error("ERR No such user '" + std::string(value) + "'");
      } else if (ArgIs(ctx, i, "skipme")) {
        if (EqualsNoCase(value, "yes")) {
          skipme = true;
        } else if (EqualsNoCase(value, "no")) {
          skipme = false;
        } else {
          return ctx.reply.Error(err::kSyntax);
        }
      } else {
        return ctx.reply.Error(err::kSyntax);
      }
    }
  }

  std::vector<Client*> victims;
  bool kill_self = false;
  for (const auto& [cid, c] : ctx.server.clients()) {
    if (has_addr && c->addr != addr) continue;
    if (has_laddr && c->laddr != laddr) continue;
    if (type != ClientType::kUnknown && TypeOf(*c) != type) continue;
    if (id != 0 && c->id != static_cast<uint64_t>(id)) continue;
    if (c == &ctx.client) {
      if (skipme) continue;
      kill_self = true;
    } else {
      victims.push_back(c);
    }
  }
  ClientHost* host = ctx.server.host();
  for (Client* c : victims) {
    c->flags |= Client::kCloseAsap;
    if (host) host->CloseClient(c);
  }
  int64_t killed = static_cast<int64_t>(victims.size()) + (kill_self ? 1 : 0);
  if (old_form) {
    if (killed == 0) return ctx.reply.Error("ERR No such client");
    ctx.reply.Ok();
  } else {
    ctx.reply.Integer(killed);
  }
  // After the reply is queued, so the caller still reads it.
  if (kill_self) ctx.client.flags |= Client::kCloseAfterReply;
}

// CLIENT PAUSE timeout [WRITE|ALL]
void ClientPauseCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ReplySubcommandSyntaxError(ctx);
  bool writes_only = false;
  if (ctx.argc() == 4) {
    if (ArgIs(ctx, 3, "write")) {
      writes_only = true;
    } else if (!ArgIs(ctx, 3, "all")) {
      return ctx.reply.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  }
  int64_t ms;
  if (!ArgInt(ctx, 2, &ms, "ERR timeout is not an integer or out of range")) return;
  if (ms < 0) return ctx.reply.Error("ERR timeout is negative");
  Server& s = ctx.server;
  int64_t now = Server::NowMs();
  int64_t end = ms > 0 ? now + ms : 0;
  // A pause in progress keeps the later end and the stricter mode.
  if (s.pause_until_ms > now) {
    s.pause_until_ms = std::max(s.pause_until_ms, end);
    s.pause_writes_only = s.pause_writes_only && writes_only;
  } else {
    s.pause_until_ms = end;
    s.pause_writes_only = writes_only;
  }
  ctx.reply.Ok();
}

void ClientUnpauseCmd(CommandContext& ctx) {
  ctx.server.pause_until_ms = 0;
  ctx.server.pause_writes_only = false;
  ctx.reply.Ok();
}

// CLIENT REPLY ON|OFF|SKIP. OFF and SKIP reply nothing (their reply would
// itself be the first one suppressed).
void ClientReplyCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  if (ArgIs(ctx, 2, "on")) {
    c.flags &= ~(Client::kReplyOff | Client::kReplySkip | Client::kReplySkipNext);
    ctx.reply.set_buffer(&c.out);
    ctx.reply.Ok();
  } else if (ArgIs(ctx, 2, "off")) {
    c.flags |= Client::kReplyOff;
  } else if (ArgIs(ctx, 2, "skip")) {
    if (!(c.flags & Client::kReplyOff)) c.flags |= Client::kReplySkipNext;
  } else {
    ctx.reply.Error(err::kSyntax);
  }
}

// Shared by NO-EVICT and NO-TOUCH: ON|OFF toggles `flag`.
void SetClientFlag(CommandContext& ctx, uint32_t flag) {
  if (ArgIs(ctx, 2, "on")) {
    ctx.client.flags |= flag;
  } else if (ArgIs(ctx, 2, "off")) {
    ctx.client.flags &= ~flag;
  } else {
    return ctx.reply.Error(err::kSyntax);
  }
  ctx.reply.Ok();
}

void ClientNoEvictCmd(CommandContext& ctx) {
  SetClientFlag(ctx, Client::kNoEvict);
}
void ClientNoTouchCmd(CommandContext& ctx) {
  SetClientFlag(ctx, Client::kNoTouch);
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; client libraries send it
// on connect and ignore errors).
void ClientSetinfoCmd(CommandContext& ctx) {
  std::string* dest;
  if (ArgIs(ctx, 2, "lib-name")) {
    dest = &ctx.client.lib_name;
  } else if (ArgIs(ctx, 2, "lib-ver")) {
    dest = &ctx.client.lib_ver;
  } else {
    return ctx.reply.Error("ERR Unrecognized option '" + std::string(ctx.arg(2)) + "'");
  }
  if (!PrintableNoSpaces(ctx.arg(3))) {
    return ctx.reply.Error("ERR " + std::string(ctx.arg(2)) +
                           " cannot contain spaces, newlines or special characters.");
  }
  dest->assign(ctx.arg(3));
  ctx.reply.Ok();
}

// Client-side caching is not supported: TRACKING ON is refused (after the
// same option checks as Redis), OFF is a no-op, and the introspection
// subcommands describe a client that is not tracking.
void ClientTrackingCmd(CommandContext& ctx) {
  bool bcast = false, optin = false, optout = false, prefix = false, redirect = false;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (ArgIs(ctx, j, "redirect") && more) {
      ++j;
      if (redirect)
        return ctx.reply.Error("ERR A client can only redirect to a single other client");
      redirect = true;
      int64_t id;
      if (!ArgInt(ctx, j, &id)) return;
      if (!ctx.server.clients().count(static_cast<uint64_t>(id)))
        return ctx.reply.Error("ERR The client ID you want redirect to does not exist");
    } else if (ArgIs(ctx, j, "bcast")) {
      bcast = true;
    } else if (ArgIs(ctx, j, "optin")) {
      optin = true;
    } else if (ArgIs(ctx, j, "optout")) {
      optout = true;
    } else if (ArgIs(ctx, j, "noloop")) {
    } else if (ArgIs(ctx, j, "prefix") && more) {
      ++j;
      prefix = true;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if (ArgIs(ctx, 2, "off")) return ctx.reply.Ok();
  if (!ArgIs(ctx, 2, "on")) return ctx.reply.Error(err::kSyntax);
  if (!bcast && prefix)
    return ctx.reply.Error("ERR PREFIX option requires BCAST mode to be enabled");
  if (bcast && (optin || optout))
    return ctx.reply.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
  if (optin && optout)
    return ctx.reply.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
  ctx.reply.Error("ERR client-side caching (CLIENT TRACKING) is not supported");
}

void ClientCachingCmd(CommandContext& ctx) {
  ctx.reply.Error(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
      "OPTOUT mode enabled");
}

void ClientGetredirCmd(CommandContext& ctx) {
  ctx.reply.Integer(-1);
}

void ClientTrackinginfoCmd(CommandContext& ctx) {
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(1);
  ctx.reply.Bulk("off");
  ctx.reply.Bulk("redirect");
  ctx.reply.Integer(-1);
  ctx.reply.Bulk("prefixes");
  ctx.reply.EmptyArray();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client was blocked (it then
// gets a null array, or the UNBLOCKED error), else 0.
void ClientUnblockCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ReplySubcommandSyntaxError(ctx);
  if (ctx.argc() == 4 && !ArgIs(ctx, 3, "timeout") && !ArgIs(ctx, 3, "error"))
    return ctx.reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  int64_t id;
  if (!ArgInt(ctx, 2, &id)) return;
  auto reason = ctx.argc() == 4 && ArgIs(ctx, 3, "error")
                    ? BlockingRegistry::UnblockReason::kError
                    : BlockingRegistry::UnblockReason::kTimeout;
  auto it = ctx.server.clients().find(static_cast<uint64_t>(id));
  bool done =
      it != ctx.server.clients().end() && ctx.server.blocking().Unblock(*it->second, reason);
  ctx.reply.Integer(done ? 1 : 0);
}

void ClientHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, "CLIENT",
            {
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.",
                "NO-TOUCH (ON|OFF)",
                "    Will not touch LRU/LFU stats when this mode is on.",
            });
}

constexpr uint32_t kSubFlags = kCmdNoscript | kCmdLoading | kCmdStale;
constexpr uint32_t kSubAdmin = kSubFlags | kCmdAdmin;

constexpr CommandSpec kClientSubcommands[] = {
    {"caching", 3, kSubFlags, kAclConnection, 0, 0, 0, ClientCachingCmd, "connection", "6.0.0",
     "Instruct the server about tracking or not keys in the next request", "O(1)", "YES|NO"},
    {"getname", 2, kSubFlags, kAclConnection, 0, 0, 0, ClientGetnameCmd, "connection", "2.6.9",
     "Get the current connection name", "O(1)", ""},
    {"getredir", 2, kSubFlags, kAclConnection, 0, 0, 0, ClientGetredirCmd, "connection", "6.0.0",
     "Get tracking notifications redirection client ID if any", "O(1)", ""},
    {"help", 2, kCmdLoading | kCmdStale, kAclConnection, 0, 0, 0, ClientHelpCmd, "connection",
     "5.0.0", "Show helpful text about the different subcommands", "O(1)", ""},
    {"id", 2, kSubFlags, kAclConnection, 0, 0, 0, ClientIdCmd, "connection", "5.0.0",
     "Returns the client ID for the current connection", "O(1)", ""},
    {"info", 2, kSubFlags, kAclConnection, 0, 0, 0, ClientInfoCmd, "connection", "6.2.0",
     "Returns information about the current client connection.", "O(1)", ""},
    {"kill", -3, kSubAdmin, kAclConnection, 0, 0, 0, ClientKillCmd, "connection", "2.4.0",
     "Kill the connection of a client", "O(N) where N is the number of client connections",
     "ip:port|[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR "
     "ip:port]|[LADDR ip:port]|[SKIPME yes/no] [[ID client-id]|[TYPE "
     "NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR "
     "ip:port]|[SKIPME yes/no] ...]"},
    {"list", -2, kSubAdmin, kAclConnection, 0, 0, 0, ClientListCmd, "connection", "2.4.0",
     "Get the list of client connections", "O(N) where N is the number of client connections",
     "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]"},
    {"no-evict", 3, kSubAdmin, kAclConnection, 0, 0, 0, ClientNoEvictCmd, "connection", "7.0.0",
     "Set client eviction mode for the current connection", "O(1)", "ON|OFF"},
    {"no-touch", 3, kSubFlags, kAclConnection, 0, 0, 0, ClientNoTouchCmd, "connection", "7.2.0",
     "Controls whether commands sent by the client affect the LRU/LFU of accessed keys", "O(1)",
     "ON|OFF"},
    {"pause", -3, kSubAdmin, kAclConnection, 0, 0, 0, ClientPauseCmd, "connection", "2.9.50",
     "Stop processing commands from clients for some time", "O(1)", "timeout [WRITE|ALL]"},
    {"reply", 3, kSubFlags, kAclConnection, 0, 0, 0, ClientReplyCmd, "connection", "3.2.0",
     "Instruct the server whether to reply to commands", "O(1)", "ON|OFF|SKIP"},
    {"setinfo", 4, kSubFlags, kAclConnection, 0, 0, 0, ClientSetinfoCmd, "connection", "7.2.0",
     "Set client or connection specific info", "O(1)", "LIB-NAME libname|LIB-VER libver"},
    {"setname", 3, kSubFlags, kAclConnection, 0, 0, 0, ClientSetnameCmd, "connection", "2.6.9",
     "Set the current connection name", "O(1)", "connection-name"},
    {"tracking", -3, kSubFlags, kAclConnection, 0, 0, 0, ClientTrackingCmd, "connection", "6.0.0",
     "Enable or disable server assisted client side caching support",
     "O(1). Some options may introduce additional complexity.",
     "ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] "
     "[NOLOOP]"},
    {"trackinginfo", 2, kSubFlags, kAclConnection, 0, 0, 0, ClientTrackinginfoCmd, "connection",
     "6.2.0",
     "Return information about server assisted client side caching for the current connection",
     "O(1)", ""},
    {"unblock", -3, kSubAdmin, kAclConnection, 0, 0, 0, ClientUnblockCmd, "connection", "5.0.0",
     "Unblock a client blocked in a blocking command from a different connection",
     "O(log N) where N is the number of client connections", "client-id [TIMEOUT|ERROR]"},
    {"unpause", 2, kSubAdmin, kAclConnection, 0, 0, 0, ClientUnpauseCmd, "connection", "6.2.0",
     "Resume processing of clients that were paused",
     "O(N) Where N is the number of paused clients", ""},
};

constexpr uint32_t kConnFlags =
    kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy;

constexpr CommandSpec kCommands[] = {
    {"ping", -1, kCmdFast, kAclConnection, 0, 0, 0, PingCmd, "connection", "1.0.0",
     "Ping the server", "O(1)", "[message]"},
    {"echo", 2, kCmdLoading | kCmdStale | kCmdFast, kAclConnection, 0, 0, 0, EchoCmd, "connection",
     "1.0.0", "Echo the given string", "O(1)", "message"},
    {"select", 2, kCmdLoading | kCmdStale | kCmdFast, kAclConnection, 0, 0, 0, SelectCmd,
     "connection", "1.0.0", "Change the selected database for the current connection", "O(1)",
     "index"},
    // QUIT and RESET act at once even inside MULTI (kCmdTxControl).
    {"quit", -1, kConnFlags | kCmdTxControl, kAclConnection, 0, 0, 0, QuitCmd, "connection",
     "1.0.0", "Close the connection", "O(1)", ""},
    {"reset", 1, kConnFlags | kCmdTxControl, kAclConnection, 0, 0, 0, ResetCmd, "connection",
     "6.2.0", "Reset the connection", "O(1)", ""},
    {"auth", -2, kConnFlags, kAclConnection, 0, 0, 0, AuthCmd, "connection", "1.0.0",
     "Authenticate to the server", "O(N) where N is the number of passwords defined for the user",
     "[username] password"},
    {"hello", -1, kConnFlags, kAclConnection, 0, 0, 0, HelloCmd, "connection", "6.0.0",
     "Handshake with Redis", "O(1)", "[protover [AUTH username password] [SETNAME clientname]]"},
    {"client", -2, 0, 0, 0, 0, 0, nullptr, "connection", "2.4.0",
     "A container for client connection commands", "Depends on subcommand.", "",
     kClientSubcommands},
};

}  // namespace

std::span<const CommandSpec> ConnectionCommands() {
  return kCommands;
}

}  // namespace ordis
