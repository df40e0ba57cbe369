// Command introspection replies built from the command table: COMMAND
// INFO entries (Redis 7 shape, key specs included), COMMAND DOCS entries
// (the CommandSpec's syntax string parsed into Redis's argument tree, so
// redis-cli shows argument hints), key extraction for COMMAND GETKEYS and
// the HELP / subcommand-error replies shared by container commands.
//
// Syntax grammar (Redis documentation style):
//   UPPERCASE words are tokens; lowercase words are arguments; a token
//   followed by one argument is that argument's token ("EX seconds"), by
//   several a block ("LIMIT offset count"), by a <group> that group's token.
//   [ ... ] is optional, < ... > a required group; inside a group '|'
//   separates alternatives (a oneof), at top level it joins single words
//   ("LEFT|RIGHT"). "x [x ...]" makes x repeatable ("multiple"); the repeat
//   may be several items ("key value [key value ...]") or start with a
//   token ("[GET pattern [GET pattern ...]]", "multiple_token").
// Argument types are inferred: key positions from first/last/step and
// names like "key" or "destination"; integer, double, pattern and
// unix-time from well-known names; everything else is a string.
//
// Thread safety: pure functions of the (immutable) command table.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "cmd/command.h"

namespace ordis {

struct DocArg {
  std::string name;
  std::string type;   // key string integer double pattern unix-time pure-token oneof block
  std::string token;  // empty when none
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;
  int key_spec_index = -1;   // for type "key"
  std::vector<DocArg> args;  // oneof / block children
};

// Parses spec.syntax. `is_subcommand` shifts argument positions by one
// (keys are counted from the container's name). Malformed syntax yields
// what could be parsed; it never fails.
std::vector<DocArg> ParseSyntax(const CommandSpec& spec, bool is_subcommand);

// Renders arguments the way redis-cli builds its hints from COMMAND DOCS
// (used by tests to check that the tree says what the syntax string says).
std::string RenderHint(const std::vector<DocArg>& args);

// One key spec as COMMAND INFO reports it (begin_search index, find_keys
// range).
struct KeySpec {
  std::string flags;  // "RW access update"
  int begin_index;
  int lastkey;  // relative to begin_index; negative counts from the end
  int keystep;
  int limit;
};
std::vector<KeySpec> KeySpecsOf(const CommandSpec& spec);

// Key argument positions of a request and each key's flags (GETKEYS,
// GETKEYSANDFLAGS, keyspace hooks). args[0] is the command name; uses
// spec.get_keys for movablekeys commands.
std::vector<KeyRef> KeysOf(const CommandSpec& spec, ArgList args);

// COMMAND INFO entry; `fullname` is "get" or "config|get". nullptr -> null.
void ReplyCommandInfo(ReplyBuilder& r, const CommandSpec* spec, std::string_view fullname);
// COMMAND DOCS value (the map) for one command and its subcommands.
void ReplyCommandDocs(ReplyBuilder& r, const CommandSpec& spec, bool is_subcommand);

// "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", the
// given lines, then HELP's own entry; as status replies, like Redis.
void ReplyHelp(CommandContext& ctx, std::initializer_list<const char*> lines);
// "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try
// <CMD> HELP."
void ReplySubcommandSyntaxError(CommandContext& ctx);

}  // namespace ordis
