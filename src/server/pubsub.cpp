#include "server/pubsub.h"

#include <algorithm>

#include "util/strutil.h"

namespace ordis {

namespace {

void AppendBulk(std::string* out, std::string_view s) {
  out->push_back('$');
  out->append(std::to_string(s.size()));
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

}  // namespace

size_t PubSub::Count(const Index& idx, std::string_view name) {
  auto it = idx.find(name);
  return it == idx.end() ? 0 : it->second.size();
}

std::vector<std::string> PubSub::Matching(const Index& idx, std::string_view pattern) {
  std::vector<std::string> out;
  for (const auto& [name, subs] : idx)
    if (pattern.empty() || GlobMatch(pattern, name)) out.push_back(name);
  return out;
}

std::vector<std::string> PubSub::Channels(std::string_view pattern) const {
  return Matching(channels_, pattern);
}

std::vector<std::string> PubSub::ShardChannels(std::string_view pattern) const {
  return Matching(shard_channels_, pattern);
}

void PubSub::AddTo(Index& idx, std::string_view name, Client& c) {
  auto it = idx.find(name);
  if (it == idx.end()) it = idx.emplace(std::string(name), std::vector<Client*>{}).first;
  it->second.push_back(&c);
}

void PubSub::RemoveFrom(Index& idx, std::string_view name, Client& c) {
  auto it = idx.find(name);
  if (it == idx.end()) return;
  std::erase(it->second, &c);
  if (it->second.empty()) idx.erase(it);
}

void PubSub::UpdateFlag(Client& c) {
  const Client::Subscriptions& s = c.pubsub;
  if (s.channels.empty() && s.patterns.empty() && s.shard_channels.empty()) {
    c.flags &= ~Client::kPubSub;
  } else {
    c.flags |= Client::kPubSub;
  }
}

bool PubSub::Subscribe(Client& c, std::string_view channel) {
  if (!c.pubsub.channels.insert(std::string(channel)).second) return false;
  AddTo(channels_, channel, c);
  UpdateFlag(c);
  return true;
}

bool PubSub::Unsubscribe(Client& c, std::string_view channel) {
  auto it = c.pubsub.channels.find(std::string(channel));
  if (it == c.pubsub.channels.end()) return false;
  c.pubsub.channels.erase(it);
  RemoveFrom(channels_, channel, c);
  UpdateFlag(c);
  return true;
}

bool PubSub::PSubscribe(Client& c, std::string_view pattern) {
  auto& mine = c.pubsub.patterns;
  if (std::find(mine.begin(), mine.end(), pattern) != mine.end()) return false;
  mine.emplace_back(pattern);
  AddTo(patterns_, pattern, c);
  UpdateFlag(c);
  return true;
}

bool PubSub::PUnsubscribe(Client& c, std::string_view pattern) {
  auto& mine = c.pubsub.patterns;
  auto it = std::find(mine.begin(), mine.end(), pattern);
  if (it == mine.end()) return false;
  mine.erase(it);
  RemoveFrom(patterns_, pattern, c);
  UpdateFlag(c);
  return true;
}

bool PubSub::SSubscribe(Client& c, std::string_view channel) {
  if (!c.pubsub.shard_channels.insert(std::string(channel)).second) return false;
  AddTo(shard_channels_, channel, c);
  UpdateFlag(c);
  return true;
}

bool PubSub::SUnsubscribe(Client& c, std::string_view channel) {
  auto it = c.pubsub.shard_channels.find(std::string(channel));
  if (it == c.pubsub.shard_channels.end()) return false;
  c.pubsub.shard_channels.erase(it);
  RemoveFrom(shard_channels_, channel, c);
  UpdateFlag(c);
  return true;
}

void PubSub::RemoveClient(Client& c) {
  for (const std::string& ch : c.pubsub.channels) RemoveFrom(channels_, ch, c);
  for (const std::string& p : c.pubsub.patterns) RemoveFrom(patterns_, p, c);
  for (const std::string& ch : c.pubsub.shard_channels) RemoveFrom(shard_channels_, ch, c);
  c.pubsub.channels.clear();
  c.pubsub.patterns.clear();
  c.pubsub.shard_channels.clear();
  c.flags &= ~Client::kPubSub;
}

void PubSub::Deliver(Client& c, std::string_view resp2_head, std::string_view resp3_head,
                     std::string_view body) {
  // A client being closed gets nothing more (Redis counts it anyway).
  if (c.flags & (Client::kCloseAsap | Client::kCloseAfterReply)) return;
  c.out.Append(c.proto >= 3 ? resp3_head : resp2_head);
  c.out.Append(body);
  if (wake_) wake_(&c);
}

size_t PubSub::Publish(std::string_view channel, std::string_view message) {
  size_t receivers = 0;
  auto it = channels_.find(channel);
  if (it != channels_.end()) {
    std::string body = "$7\r\nmessage\r\n";
    AppendBulk(&body, channel);
    AppendBulk(&body, message);
    // wake_ never closes a client synchronously, so the list is stable.
    for (Client* c : it->second) {
      Deliver(*c, "*3\r\n", ">3\r\n", body);
      ++receivers;
    }
  }
  if (patterns_.empty()) return receivers;
  std::string tail;  // channel and message, shared by every pattern's frame
  for (const auto& [pattern, subs] : patterns_) {
    if (!GlobMatch(pattern, channel)) continue;
    if (tail.empty()) {
      AppendBulk(&tail, channel);
      AppendBulk(&tail, message);
    }
    std::string body = "$8\r\npmessage\r\n";
    AppendBulk(&body, pattern);
    body += tail;
    for (Client* c : subs) {
      Deliver(*c, "*4\r\n", ">4\r\n", body);
      ++receivers;
    }
  }
  return receivers;
}

size_t PubSub::SPublish(std::string_view channel, std::string_view message) {
  auto it = shard_channels_.find(channel);
  if (it == shard_channels_.end()) return 0;
  std::string body = "$8\r\nsmessage\r\n";
  AppendBulk(&body, channel);
  AppendBulk(&body, message);
  for (Client* c : it->second) Deliver(*c, "*3\r\n", ">3\r\n", body);
  return it->second.size();
}

bool PubSub::HasSubscribers(std::string_view channel) const {
  if (channels_.find(channel) != channels_.end()) return true;
  for (const auto& [pattern, subs] : patterns_)
    if (GlobMatch(pattern, channel)) return true;
  return false;
}

}  // namespace ordis
