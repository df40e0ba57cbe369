#include "cmd/command_table.h"

#include "cmd/families.h"
#include "util/strutil.h"

namespace ordis {

CommandTable::CommandTable() {
  for (auto family : {StringCommands(), BitCommands(), KeyCommands(), ConnectionCommands(),
                      ServerCommands(), IntrospectionCommands(), TxCommands(), ListCommands(),
                      SetCommands(), HashCommands(), ZSetCommands(), ZSetAlgebraCommands(),
                      ZSetBlockingCommands(), GeoCommands(), SortCommands(), ClusterCommands(),
                      PubSubCommands(), OrderCommands(), PersistenceCommands()}) {
    for (const CommandSpec& spec : family) {
      by_name_.emplace(spec.name, &spec);
      all_.push_back(&spec);
    }
  }
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  char buf[64];
  if (name.size() >= sizeof buf) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  auto it = by_name_.find(std::string(buf, name.size()));
  return it == by_name_.end() ? nullptr : it->second;
}

const CommandSpec* CommandTable::FindSub(const CommandSpec& parent, std::string_view name) {
  for (const CommandSpec& s : parent.subcommands)
    if (EqualsNoCase(s.name, name)) return &s;
  return nullptr;
}

std::vector<size_t> CommandTable::KeyPositions(const CommandSpec& spec, ArgList args) {
  std::vector<size_t> out;
  if (spec.get_keys) {
    for (const KeyRef& k : spec.get_keys(args)) out.push_back(k.pos);
    return out;
  }
  size_t argc = args.size();
  if (spec.first_key <= 0) return out;
  int last = spec.last_key < 0 ? static_cast<int>(argc) + spec.last_key : spec.last_key;
  int step = spec.key_step > 0 ? spec.key_step : 1;
  for (int i = spec.first_key; i <= last && i < static_cast<int>(argc); i += step)
    out.push_back(static_cast<size_t>(i));
  return out;
}

std::vector<std::string> CommandTable::FlagNames(uint32_t flags) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {kCmdWrite, "write"},
      {kCmdReadonly, "readonly"},
      {kCmdDenyOom, "denyoom"},
      {kCmdAdmin, "admin"},
      {kCmdPubsub, "pubsub"},
      {kCmdNoscript, "noscript"},
      {kCmdBlocking, "blocking"},
      {kCmdLoading, "loading"},
      {kCmdStale, "stale"},
      {kCmdSkipMonitor, "skip_monitor"},
      {kCmdSkipSlowlog, "skip_slowlog"},
      {kCmdFast, "fast"},
      {kCmdNoAuth, "no_auth"},
      {kCmdMayReplicate, "may_replicate"},
      {kCmdNoMulti, "no_multi"},
      {kCmdAllowBusy, "allow_busy"},
      {kCmdNoMandatoryKeys, "no_mandatory_keys"},
  };
  std::vector<std::string> out;
  for (auto [bit, name] : kNames)
    if (flags & bit) out.emplace_back(name);
  return out;
}

std::vector<std::string> CommandTable::AclNames(const CommandSpec& spec) {
  static const std::pair<uint64_t, const char*> kNames[] = {
      {kAclKeyspace, "@keyspace"},
      {kAclRead, "@read"},
      {kAclWrite, "@write"},
      {kAclSet, "@set"},
      {kAclSortedSet, "@sortedset"},
      {kAclList, "@list"},
      {kAclHash, "@hash"},
      {kAclString, "@string"},
      {kAclBitmap, "@bitmap"},
      {kAclHyperLogLog, "@hyperloglog"},
      {kAclGeo, "@geo"},
      {kAclStream, "@stream"},
      {kAclPubsub, "@pubsub"},
      {kAclAdmin, "@admin"},
      {kAclFast, "@fast"},
      {kAclSlow, "@slow"},
      {kAclBlocking, "@blocking"},
      {kAclDangerous, "@dangerous"},
      {kAclConnection, "@connection"},
      {kAclTransaction, "@transaction"},
      {kAclScripting, "@scripting"},
      {kAclOrder, "@order"},
  };
  // Categories implied by flags, as Redis's setImplicitACLCategories does.
  uint64_t acl = spec.acl;
  if (spec.flags & kCmdWrite) acl |= kAclWrite;
  if (spec.flags & kCmdReadonly && !(acl & kAclScripting)) acl |= kAclRead;
  if (spec.flags & kCmdAdmin) acl |= kAclAdmin | kAclDangerous;
  if (spec.flags & kCmdPubsub) acl |= kAclPubsub;
  if (spec.flags & kCmdFast) acl |= kAclFast;
  if (spec.flags & kCmdBlocking) acl |= kAclBlocking;
  if (!(acl & kAclFast)) acl |= kAclSlow;
  std::vector<std::string> out;
  for (auto [bit, name] : kNames)
    if (acl & bit) out.emplace_back(name);
  return out;
}

}  // namespace ordis
