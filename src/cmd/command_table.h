// CommandTable: the single registry of commands. Each family file exposes
// its specs (see families.h); the table indexes them by lowercase name.
//
// Thread safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cmd/command.h"

namespace ordis {

class CommandTable {
 public:
  CommandTable();

  // Case-insensitive lookup; nullptr if unknown.
  const CommandSpec* Find(std::string_view name) const;
  // Subcommand of a container, case-insensitive; nullptr if unknown.
  static const CommandSpec* FindSub(const CommandSpec& parent, std::string_view name);

  const std::vector<const CommandSpec*>& all() const { return all_; }
  size_t size() const { return all_.size(); }

  // True if argc satisfies arity (negative = at least -arity).
  static bool ArityOk(int arity, size_t argc) {
    return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }

  // Key argument indexes of a request (COMMAND GETKEYS, WATCH, MOVE...).
  static std::vector<size_t> KeyPositions(const CommandSpec& spec, ArgList args);

  // Names of flags and ACL categories, as COMMAND INFO reports them.
  static std::vector<std::string> FlagNames(uint32_t flags);
  static std::vector<std::string> AclNames(const CommandSpec& spec);

 private:
  std::unordered_map<std::string, const CommandSpec*> by_name_;
  std::vector<const CommandSpec*> all_;
};

}  // namespace ordis
