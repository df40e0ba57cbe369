// PubSub: the subscription registry of one Server (Redis 7.0 semantics).
//
// Three namespaces, as in Redis: channels (SUBSCRIBE / PUBLISH), patterns
// (PSUBSCRIBE, matched against PUBLISH channels with GlobMatch) and shard
// channels (SSUBSCRIBE / SPUBLISH, independent of the other two; patterns
// never see them). Each keeps name -> subscribers in subscription order;
// each Client keeps its own subscriptions (Client::pubsub), so counting and
// unsubscribing everything for one client is cheap. A client with at least
// one subscription of any kind carries Client::kPubSub.
//
// Delivery appends the message frame straight to the subscriber's output
// buffer (Client::out), in RESP2 ("*3 message ...") or RESP3 (">3 ...")
// per subscriber, bypassing CLIENT REPLY OFF/SKIP as Redis's pushes do,
// and then calls the `wake` callback so the network layer flushes it.
// Clients already being closed (kCloseAsap, kCloseAfterReply) are counted
// but skipped, as Redis's prepareClientToWrite does.
//
// Invariants: a Client* appears in a name's subscriber list iff that name is
// in the client's own set of the same kind; lists are never empty (an entry
// goes with its last subscriber). RemoveClient must run before a Client is
// destroyed.
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/client.h"

namespace ordis {

class PubSub {
 public:
  // Called for every client a delivery wrote to (wake its writer).
  using WakeFn = std::function<void(Client*)>;

  explicit PubSub(WakeFn wake = nullptr) : wake_(std::move(wake)) {}
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;

  void set_wake(WakeFn wake) { wake_ = std::move(wake); }

  // Each returns true when the subscription changed (false: already
  // subscribed / was not subscribed) and keeps Client::kPubSub in step.
  bool Subscribe(Client& c, std::string_view channel);
  bool Unsubscribe(Client& c, std::string_view channel);
  bool PSubscribe(Client& c, std::string_view pattern);
  bool PUnsubscribe(Client& c, std::string_view pattern);
  bool SSubscribe(Client& c, std::string_view channel);
  bool SUnsubscribe(Client& c, std::string_view channel);

  // Drops every subscription of c without telling it (RESET, disconnect).
  void RemoveClient(Client& c);

  // PUBLISH: delivers to channel subscribers, then to every client whose
  // pattern matches (once per matching pattern). Returns the receivers.
  size_t Publish(std::string_view channel, std::string_view message);
  // SPUBLISH: shard-channel subscribers only.
  size_t SPublish(std::string_view channel, std::string_view message);
  // True if Publish(channel, ...) would reach anyone. O(1) without patterns,
  // otherwise O(patterns) matches.
  bool HasSubscribers(std::string_view channel) const;

  // PUBSUB introspection.
  size_t channel_count() const { return channels_.size(); }
  size_t pattern_count() const { return patterns_.size(); }
  size_t shard_channel_count() const { return shard_channels_.size(); }
  size_t NumSub(std::string_view channel) const { return Count(channels_, channel); }
  size_t ShardNumSub(std::string_view channel) const { return Count(shard_channels_, channel); }
  // Active channel names matching a glob (all when pattern is empty).
  std::vector<std::string> Channels(std::string_view pattern) const;
  std::vector<std::string> ShardChannels(std::string_view pattern) const;

 private:
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::vector<Client*>, StrHash, std::equal_to<>>;

  static size_t Count(const Index& idx, std::string_view name);
  static std::vector<std::string> Matching(const Index& idx, std::string_view pattern);
  // Adds/removes c under name in idx (REQUIRES: membership as stated).
  static void AddTo(Index& idx, std::string_view name, Client& c);
  static void RemoveFrom(Index& idx, std::string_view name, Client& c);
  // Writes one prebuilt frame body to c with the header for its protocol.
  void Deliver(Client& c, std::string_view resp2_head, std::string_view resp3_head,
               std::string_view body);
  static void UpdateFlag(Client& c);

  Index channels_;
  Index patterns_;
  Index shard_channels_;
  WakeFn wake_;
};

}  // namespace ordis
