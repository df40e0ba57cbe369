// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
// PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and the PUBSUB container.
//
// The registry is server/pubsub.h. (Un)subscribe confirmations are pushes:
// one [kind, name, count] frame per name, written straight to the client's
// output buffer so that CLIENT REPLY OFF/SKIP does not silence them (as in
// Redis 7.0). Inside EXEC they land between the transaction's replies, as in
// Redis 7.0. The RESP2 subscribed-mode restriction is in Server::Dispatch.
#include "server/pubsub.h"

#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/command_docs.h"
#include "cmd/families.h"
#include "server/server.h"

namespace ordis {

namespace {

// Channels + patterns: the count SUBSCRIBE/PSUBSCRIBE and their opposites
// report. Shard channels are counted apart (SSUBSCRIBE/SUNSUBSCRIBE).
int64_t ChannelsAndPatterns(const Client& c) {
  return static_cast<int64_t>(c.pubsub.channels.size() + c.pubsub.patterns.size());
}

int64_t ShardChannels(const Client& c) {
  return static_cast<int64_t>(c.pubsub.shard_channels.size());
}

// One confirmation frame; `name` null means "none" (unsubscribing from
// nothing while subscribed to nothing).
void Confirm(Client& c, std::string_view kind, const std::string_view* name, int64_t count) {
  ReplyBuilder push(&c.out, c.proto);
  push.PushHeader(3);
  push.Bulk(kind);
  if (name) {
    push.Bulk(*name);
  } else {
    push.Null();
  }
  push.Integer(count);
}

using SubscribeOp = bool (PubSub::*)(Client&, std::string_view);
using CountFn = int64_t (*)(const Client&);
using NamesFn = std::vector<std::string> (*)(const Client&);

void SubscribeAll(CommandContext& ctx, SubscribeOp op, std::string_view kind, CountFn count) {
  Client& c = ctx.client;
  PubSub& ps = ctx.server.pubsub();
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view name = ctx.arg(i);
    (ps.*op)(c, name);
    Confirm(c, kind, &name, count(c));
  }
}

// With names: each one, subscribed or not. Without: every current one, or a
// single null confirmation when there is none.
void UnsubscribeAll(CommandContext& ctx, SubscribeOp op, std::string_view kind, CountFn count,
                    NamesFn subscribed) {
  Client& c = ctx.client;
  PubSub& ps = ctx.server.pubsub();
  // Copies: unsubscribing edits the client's own sets.
  std::vector<std::string> names;
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) names.emplace_back(ctx.arg(i));
  } else {
    names = subscribed(c);
    if (names.empty()) return Confirm(c, kind, nullptr, count(c));
  }
  for (const std::string& name : names) {
    (ps.*op)(c, name);
    std::string_view view = name;
    Confirm(c, kind, &view, count(c));
  }
}

std::vector<std::string> ChannelNames(const Client& c) {
  return {c.pubsub.channels.begin(), c.pubsub.channels.end()};
}
std::vector<std::string> PatternNames(const Client& c) {
  return c.pubsub.patterns;
}
std::vector<std::string> ShardChannelNames(const Client& c) {
  return {c.pubsub.shard_channels.begin(), c.pubsub.shard_channels.end()};
}

void SubscribeCmd(CommandContext& ctx) {
  SubscribeAll(ctx, &PubSub::Subscribe, "subscribe", ChannelsAndPatterns);
}

void UnsubscribeCmd(CommandContext& ctx) {
  UnsubscribeAll(ctx, &PubSub::Unsubscribe, "unsubscribe", ChannelsAndPatterns, ChannelNames);
}

void PsubscribeCmd(CommandContext& ctx) {
  SubscribeAll(ctx, &PubSub::PSubscribe, "psubscribe", ChannelsAndPatterns);
}

void PunsubscribeCmd(CommandContext& ctx) {
  UnsubscribeAll(ctx, &PubSub::PUnsubscribe, "punsubscribe", ChannelsAndPatterns, PatternNames);
}

void SsubscribeCmd(CommandContext& ctx) {
  // Redis 7.0 refuses it inside a transaction (EXEC runs it as a client that
  // may not block); SUBSCRIBE and PSUBSCRIBE are allowed for compatibility.
  if (ctx.client.in_multi())
    return ctx.reply.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  SubscribeAll(ctx, &PubSub::SSubscribe, "ssubscribe", ShardChannels);
}

void SunsubscribeCmd(CommandContext& ctx) {
  UnsubscribeAll(ctx, &PubSub::SUnsubscribe, "sunsubscribe", ShardChannels, ShardChannelNames);
}

void PublishCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().Publish(ctx.arg(1), ctx.arg(2))));
}

void SpublishCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().SPublish(ctx.arg(1), ctx.arg(2))));
}

void ReplyNames(CommandContext& ctx, const std::vector<std::string>& names) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const std::string& n : names) ctx.reply.Bulk(n);
}

// PUBSUB CHANNELS [pattern]
void PubsubChannelsCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntaxError(ctx);
  ReplyNames(ctx, ctx.server.pubsub().Channels(ctx.argc() == 3 ? ctx.arg(2) : ""));
}

// PUBSUB SHARDCHANNELS [pattern]
void PubsubShardchannelsCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntaxError(ctx);
  ReplyNames(ctx, ctx.server.pubsub().ShardChannels(ctx.argc() == 3 ? ctx.arg(2) : ""));
}

// Flat [name, count, ...] in both protocols, as Redis replies.
void ReplyCounts(CommandContext& ctx, size_t (PubSub::*count)(std::string_view) const) {
  const PubSub& ps = ctx.server.pubsub();
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply.Bulk(ctx.arg(i));
    ctx.reply.Integer(static_cast<int64_t>((ps.*count)(ctx.arg(i))));
  }
}

void PubsubNumsubCmd(CommandContext& ctx) {
  ReplyCounts(ctx, &PubSub::NumSub);
}

void PubsubShardnumsubCmd(CommandContext& ctx) {
  ReplyCounts(ctx, &PubSub::ShardNumSub);
}

void PubsubNumpatCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().pattern_count()));
}

void PubsubHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "CHANNELS [<pattern>]",
                     "    Return the currently active channels matching a <pattern> (default: "
                     "'*').",
                     "NUMPAT",
                     "    Return number of subscriptions to patterns.",
                     "NUMSUB [<channel> ...]",
                     "    Return the number of subscribers for the specified channels, excluding",
                     "    pattern subscriptions(default: no channels).",
                     "SHARDCHANNELS [<pattern>]",
                     "    Return the currently active shard level channels matching a <pattern> "
                     "(default: '*').",
                     "SHARDNUMSUB [<shardchannel> ...]",
                     "    Return the number of subscribers for the specified shard level "
                     "channel(s)",
                 });
}

constexpr uint32_t kSubFlags = kCmdPubsub | kCmdNoscript | kCmdLoading | kCmdStale;
constexpr uint32_t kInfoFlags = kCmdPubsub | kCmdLoading | kCmdStale;
constexpr uint32_t kPublishFlags = kCmdPubsub | kCmdLoading | kCmdStale | kCmdFast;

constexpr CommandSpec kPubsubSubcommands[] = {
    {"channels", -2, kInfoFlags, 0, 0, 0, 0, PubsubChannelsCmd, "pubsub", "2.8.0",
     "List active channels",
     "O(N) where N is the number of active channels, and assuming constant time pattern matching "
     "(relatively short channels and patterns)",
     "[pattern]"},
    {"help", 2, kCmdLoading | kCmdStale, 0, 0, 0, 0, PubsubHelpCmd, "pubsub", "6.2.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
    {"numpat", 2, kInfoFlags, 0, 0, 0, 0, PubsubNumpatCmd, "pubsub", "2.8.0",
     "Get the count of unique patterns pattern subscriptions", "O(1)", ""},
    {"numsub", -2, kInfoFlags, 0, 0, 0, 0, PubsubNumsubCmd, "pubsub", "2.8.0",
     "Get the count of subscribers for channels",
     "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
     "[channel [channel ...]]"},
    {"shardchannels", -2, kInfoFlags, 0, 0, 0, 0, PubsubShardchannelsCmd, "pubsub", "7.0.0",
     "List active shard channels",
     "O(N) where N is the number of active shard channels, and assuming constant time pattern "
     "matching (relatively short shard channels).",
     "[pattern]"},
    {"shardnumsub", -2, kInfoFlags, 0, 0, 0, 0, PubsubShardnumsubCmd, "pubsub", "7.0.0",
     "Get the count of subscribers for shard channels",
     "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
     "[shardchannel [shardchannel ...]]"},
};

// Shard commands name their channels as "keys" (not_key) only for cluster
// routing; standalone ordis does not treat them as keys.
constexpr std::span<const CommandSpec> kNoSubcommands{};

constexpr CommandSpec kCommands[] = {
    {"subscribe", -2, kSubFlags, 0, 0, 0, 0, SubscribeCmd, "pubsub", "2.0.0",
     "Listen for messages published to the given channels",
     "O(N) where N is the number of channels to subscribe to.", "channel [channel ...]"},
    {"unsubscribe", -1, kSubFlags, 0, 0, 0, 0, UnsubscribeCmd, "pubsub", "2.0.0",
     "Stop listening for messages posted to the given channels",
     "O(N) where N is the number of clients already subscribed to a channel.",
     "[channel [channel ...]]"},
    {"psubscribe", -2, kSubFlags, 0, 0, 0, 0, PsubscribeCmd, "pubsub", "2.0.0",
     "Listen for messages published to channels matching the given patterns",
     "O(N) where N is the number of patterns the client is already subscribed to.",
     "pattern [pattern ...]"},
    {"punsubscribe", -1, kSubFlags, 0, 0, 0, 0, PunsubscribeCmd, "pubsub", "2.0.0",
     "Stop listening for messages posted to channels matching the given patterns",
     "O(N+M) where N is the number of patterns the client is already subscribed and M is the "
     "number of total patterns subscribed in the system (by any client).",
     "[pattern [pattern ...]]"},
    {"publish", 3, kPublishFlags, 0, 0, 0, 0, PublishCmd, "pubsub", "2.0.0",
     "Post a message to a channel",
     "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the "
     "total number of subscribed patterns (by any client).",
     "channel message"},
    {"ssubscribe", -2, kSubFlags, 0, 1, -1, 1, SsubscribeCmd, "pubsub", "7.0.0",
     "Listen for messages published to the given shard channels",
     "O(N) where N is the number of shard channels to subscribe to.",
     "shardchannel [shardchannel ...]", kNoSubcommands, "not_key"},
    {"sunsubscribe", -1, kSubFlags, 0, 1, -1, 1, SunsubscribeCmd, "pubsub", "7.0.0",
     "Stop listening for messages posted to the given shard channels",
     "O(N) where N is the number of clients already subscribed to a shard channel.",
     "[shardchannel [shardchannel ...]]", kNoSubcommands, "not_key"},
    {"spublish", 3, kPublishFlags, 0, 1, 1, 1, SpublishCmd, "pubsub", "7.0.0",
     "Post a message to a shard channel",
     "O(N) where N is the number of clients subscribed to the receiving shard channel.",
     "shardchannel message", kNoSubcommands, "not_key"},
    {"pubsub", -2, 0, 0, 0, 0, 0, nullptr, "pubsub", "2.8.0", "A container for Pub/Sub commands",
     "Depends on subcommand.", "", kPubsubSubcommands},
};

}  // namespace

std::span<const CommandSpec> PubSubCommands() {
  return kCommands;
}

}  // namespace ordis
