#include "cmd/command_docs.h"

#include <cctype>

#include "cmd/command_table.h"
#include "util/strutil.h"

namespace ordis {

namespace {

// ---------------------------------------------------------------------------
// Syntax string -> raw tree

struct Lexeme {
  enum Kind { kWord, kOpen, kClose, kLt, kGt, kBar, kDots } kind;
  std::string text;
};

std::vector<Lexeme> Lex(std::string_view s) {
  std::vector<Lexeme> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '[' || c == ']' || c == '<' || c == '>' || c == '|') {
      Lexeme::Kind k = c == '['   ? Lexeme::kOpen
                       : c == ']' ? Lexeme::kClose
                       : c == '<' ? Lexeme::kLt
                       : c == '>' ? Lexeme::kGt
                                  : Lexeme::kBar;
      out.push_back({k, std::string(1, c)});
      ++i;
    } else if (s.substr(i, 3) == "...") {
      out.push_back({Lexeme::kDots, "..."});
      i += 3;
    } else {
      size_t j = i;
      while (j < s.size() && std::string_view(" \t[]<>|").find(s[j]) == std::string_view::npos &&
             s.substr(j, 3) != "...")
        ++j;
      out.push_back({Lexeme::kWord, std::string(s.substr(i, j - i))});
      i = j;
    }
  }
  return out;
}

struct Raw {
  enum Kind { kWord, kGroup, kDots } kind = kWord;
  std::string word;
  bool optional = false;
  bool top_bar = false;   // "A|B" joined at top level
  bool repeated = false;  // a oneof that repeats: "A|B [A|B ...]" folded
  std::vector<std::vector<Raw>> alts;
  std::string text;  // canonical source text, to recognize "x [x ...]"
};

std::string SeqText(const std::vector<Raw>& seq) {
  std::string t;
  for (const Raw& r : seq) {
    if (!t.empty()) t += ' ';
    t += r.text;
  }
  return t;
}

void FinishGroupText(Raw* g) {
  std::string t = g->top_bar ? "" : (g->optional ? "[" : "<");
  for (size_t i = 0; i < g->alts.size(); ++i) {
    if (i) t += '|';
    t += SeqText(g->alts[i]);
  }
  if (!g->top_bar) t += g->optional ? "]" : ">";
  g->text = std::move(t);
}

bool IsToken(const std::string& w) {
  bool letter = false;
  for (char c : w) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    if (std::isupper(static_cast<unsigned char>(c))) letter = true;
  }
  return letter;
}

bool IsTokenWord(const Raw& r) {
  return r.kind == Raw::kWord && IsToken(r.word);
}
bool IsArgWord(const Raw& r) {
  return r.kind == Raw::kWord && !IsToken(r.word);
}

// A token followed only by argument words so far ("EX", "LIMIT offset").
bool TakesWords(const std::vector<Raw>& items) {
  if (items.empty() || !IsTokenWord(items[0])) return false;
  for (size_t i = 1; i < items.size(); ++i)
    if (!IsArgWord(items[i])) return false;
  return true;
}

// "[TYPE NORMAL|MASTER|PUBSUB]" reads as TYPE applied to a choice of
// tokens: the first alternative is two tokens and the others one each.
void HoistCommonToken(Raw* g) {
  if (g->alts.size() < 2) return;
  const std::vector<Raw>& first = g->alts[0];
  if (first.size() != 2 || !IsTokenWord(first[0]) || !IsTokenWord(first[1])) return;
  for (size_t i = 1; i < g->alts.size(); ++i)
    if (g->alts[i].size() != 1 || !IsTokenWord(g->alts[i][0])) return;
  Raw choice;
  choice.kind = Raw::kGroup;
  choice.alts.push_back({first[1]});
  for (size_t i = 1; i < g->alts.size(); ++i) choice.alts.push_back(g->alts[i]);
  FinishGroupText(&choice);
  Raw token = first[0];
  g->alts.clear();
  g->alts.push_back({std::move(token), std::move(choice)});
}

bool IsRepeatGroup(const Raw& r) {
  return r.kind == Raw::kGroup && !r.alts.empty() && !r.alts.back().empty() &&
         r.alts.back().back().kind == Raw::kDots;
}

// "A|B|C [A|B|C ...]" (Redis's rendering of a repeatable oneof): if the
// repeat group `rep` restates the last alternatives of `alts` (the final
// one read without `trim_last` trailing items), those alternatives become
// one repeatable oneof. Returns true when folded.
bool FoldRepeatedAlternatives(std::vector<std::vector<Raw>>* alts, size_t trim_last,
                              const Raw& rep) {
  size_t m = rep.alts.size();
  if (m < 2 || alts->size() < m) return false;
  std::vector<Raw> body_last(rep.alts.back().begin(), rep.alts.back().end() - 1);
  size_t first = alts->size() - m;
  for (size_t j = 0; j < m; ++j) {
    std::vector<Raw> mine = (*alts)[first + j];
    if (first + j + 1 == alts->size()) mine.resize(mine.size() - trim_last);
    const std::vector<Raw>& theirs = j + 1 == m ? body_last : rep.alts[j];
    if (mine.empty() || SeqText(mine) != SeqText(theirs)) return false;
  }
  Raw folded;
  folded.kind = Raw::kGroup;
  folded.repeated = true;
  folded.alts.assign(rep.alts.begin(), rep.alts.end());
  folded.alts.back() = std::move(body_last);
  FinishGroupText(&folded);
  alts->resize(first);
  alts->push_back({std::move(folded)});
  return true;
}

class Parser {
 public:
  explicit Parser(std::vector<Lexeme> lex) : lex_(std::move(lex)) {}

  std::vector<Raw> ParseTop() {
    // At top level '|' joins units: a token with the argument words after
    // it ("LIB-NAME libname|LIB-VER libver") or a single item ("LEFT|RIGHT").
    struct Unit {
      std::vector<Raw> items;
      bool bar_before;
    };
    std::vector<Unit> units;
    bool bar = false;
    while (pos_ < lex_.size()) {
      if (lex_[pos_].kind == Lexeme::kBar) {
        ++pos_;
        bar = true;
        continue;
      }
      Raw item;
      if (!ParseItem(&item)) {
        ++pos_;  // stray closing bracket: skip
        continue;
      }
      if (!bar && !units.empty() && IsArgWord(item) && TakesWords(units.back().items)) {
        units.back().items.push_back(std::move(item));
      } else {
        units.push_back({{std::move(item)}, bar && !units.empty()});
      }
      bar = false;
    }
    std::vector<std::vector<std::vector<Raw>>> runs;  // alternatives joined by '|'
    for (Unit& u : units) {
      if (u.bar_before) {
        runs.back().push_back(std::move(u.items));
      } else {
        runs.push_back({std::move(u.items)});
      }
    }
    std::vector<Raw> seq;
    for (auto& run : runs) {
      if (run.size() > 1) {
        Raw g;
        g.kind = Raw::kGroup;
        g.top_bar = true;
        g.alts = std::move(run);
        FinishGroupText(&g);
        seq.push_back(std::move(g));
        continue;
      }
      for (Raw& item : run[0]) {
        if (IsRepeatGroup(item) && !seq.empty() && seq.back().top_bar &&
            FoldRepeatedAlternatives(&seq.back().alts, 0, item)) {
          FinishGroupText(&seq.back());
          continue;
        }
        seq.push_back(std::move(item));
      }
    }
    return seq;
  }

 private:
  // Parses a word, "..." or a bracketed group at pos_. False (consuming
  // nothing) on a closing bracket or '|'.
  bool ParseItem(Raw* out) {
    if (pos_ >= lex_.size()) return false;
    const Lexeme& l = lex_[pos_];
    switch (l.kind) {
      case Lexeme::kWord:
        out->kind = Raw::kWord;
        out->word = out->text = l.text;
        ++pos_;
        return true;
      case Lexeme::kDots:
        out->kind = Raw::kDots;
        out->text = "...";
        ++pos_;
        return true;
      case Lexeme::kOpen:
      case Lexeme::kLt: {
        ++pos_;
        out->kind = Raw::kGroup;
        out->optional = l.kind == Lexeme::kOpen;
        Lexeme::Kind close = out->optional ? Lexeme::kClose : Lexeme::kGt;
        out->alts.emplace_back();
        while (pos_ < lex_.size() && lex_[pos_].kind != close) {
          if (lex_[pos_].kind == Lexeme::kBar) {
            ++pos_;
            out->alts.emplace_back();
            continue;
          }
          Raw item;
          if (ParseItem(&item)) {
            out->alts.back().push_back(std::move(item));
          } else {
            ++pos_;  // mismatched closing bracket inside: skip
          }
        }
        if (pos_ < lex_.size()) ++pos_;  // the closing bracket
        HoistCommonToken(out);
        std::vector<Raw>& last = out->alts.back();
        if (!last.empty() && IsRepeatGroup(last.back())) {
          Raw rep = last.back();  // copied: folding replaces the alternatives
          (void)FoldRepeatedAlternatives(&out->alts, 1, rep);
        }
        FinishGroupText(out);
        return true;
      }
      default:
        return false;
    }
  }

  std::vector<Lexeme> lex_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Raw tree -> DocArg

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct ConvertCtx {
  const CommandSpec& spec;
};

std::string TypeForName(const ConvertCtx& cx, const std::string& name) {
  static const char* const kIntegers[] = {"count",
                                          "numkeys",
                                          "index",
                                          "offset",
                                          "start",
                                          "end",
                                          "seconds",
                                          "milliseconds",
                                          "db",
                                          "destination-db",
                                          "numreplicas",
                                          "port",
                                          "samples",
                                          "decrement",
                                          "bit",
                                          "cursor",
                                          "len",
                                          "limit",
                                          "ttl",
                                          "numslots",
                                          "number-of-keys",
                                          "client-id",
                                          "stop",
                                          "index1",
                                          "index2",
                                          "protover"};
  if (name == "key" || EndsWith(name, "key") || name == "source" || name == "destination")
    return "key";
  if (name.rfind("unix-time", 0) == 0) return "unix-time";
  if (name == "pattern") return "pattern";
  if (name == "increment") return EndsWith(cx.spec.name, "float") ? "double" : "integer";
  if (name == "timeout") return (cx.spec.flags & kCmdBlocking) ? "double" : "integer";
  if (name == "score" || name == "latitude" || name == "longitude" || name == "radius")
    return "double";
  for (const char* n : kIntegers)
    if (name == n) return "integer";
  return "string";
}

DocArg MakeArg(const ConvertCtx& cx, const std::string& name) {
  DocArg a;
  a.name = name;
  a.type = TypeForName(cx, name);
  return a;
}

DocArg MakeContainer(const char* type, std::vector<DocArg> children) {
  DocArg a;
  a.type = type;
  for (const DocArg& c : children) {
    if (!a.name.empty()) a.name += '_';
    a.name += c.name;
  }
  a.args = std::move(children);
  return a;
}

std::vector<DocArg> ConvertSeq(const ConvertCtx& cx, const std::vector<Raw>& items);

DocArg ConvertGroup(const ConvertCtx& cx, const Raw& g) {
  std::vector<DocArg> alts;
  for (const std::vector<Raw>& alt : g.alts) {
    std::vector<DocArg> seq = ConvertSeq(cx, alt);
    if (seq.empty()) continue;
    alts.push_back(seq.size() == 1 ? std::move(seq[0]) : MakeContainer("block", std::move(seq)));
  }
  DocArg out;
  if (alts.size() == 1) {
    out = std::move(alts[0]);
  } else {
    out = MakeContainer("oneof", std::move(alts));
  }
  if (g.repeated) out.multiple = true;
  if (g.optional) out.optional = true;
  return out;
}

// One element of a sequence after repeat detection: an item, or a body
// that may repeat ("x [x ...]").
struct Element {
  const Raw* item = nullptr;
  std::vector<Raw> repeat;  // when item == nullptr
  bool optional = false;
};

std::vector<DocArg> ConvertSeq(const ConvertCtx& cx, const std::vector<Raw>& items) {
  std::vector<Element> elems;
  for (const Raw& r : items) {
    bool is_repeat = r.kind == Raw::kGroup && r.alts.size() == 1 && !r.alts[0].empty() &&
                     r.alts[0].back().kind == Raw::kDots;
    if (!is_repeat) {
      elems.push_back({&r, {}, false});
      continue;
    }
    std::vector<Raw> body(r.alts[0].begin(), r.alts[0].end() - 1);
    std::string body_text = SeqText(body);
    // Does the body repeat the items just before the group?
    size_t k = body.size();
    bool matches = k > 0 && elems.size() >= k;
    if (matches) {
      std::string prev;
      for (size_t j = elems.size() - k; j < elems.size(); ++j) {
        if (!elems[j].item) {
          matches = false;
          break;
        }
        if (!prev.empty()) prev += ' ';
        prev += elems[j].item->text;
      }
      matches = matches && prev == body_text;
    }
    if (matches) elems.resize(elems.size() - k);
    elems.push_back({nullptr, std::move(body), matches ? false : r.optional});
  }

  auto convert_repeat = [&](const Element& e, DocArg* a) {
    std::vector<DocArg> body = ConvertSeq(cx, e.repeat);
    if (body.empty()) return false;
    *a = body.size() == 1 ? std::move(body[0]) : MakeContainer("block", std::move(body));
    a->multiple = true;
    if (!a->token.empty()) a->multiple_token = true;
    if (e.optional) a->optional = true;
    return true;
  };
  auto is_operand = [&](const Element& e) { return !e.item || IsArgWord(*e.item); };

  std::vector<DocArg> out;
  for (size_t i = 0; i < elems.size(); ++i) {
    const Element& e = elems[i];
    if (!e.item) {
      DocArg a;
      if (convert_repeat(e, &a)) out.push_back(std::move(a));
      continue;
    }
    const Raw& r = *e.item;
    if (r.kind == Raw::kDots) continue;
    if (r.kind == Raw::kGroup) {
      out.push_back(ConvertGroup(cx, r));
      continue;
    }
    if (!IsToken(r.word)) {
      out.push_back(MakeArg(cx, r.word));
      continue;
    }
    // A token: attach it to the operands that follow ("EX seconds",
    // "LIMIT offset count", "ID client-id [client-id ...]") or to a
    // required group ("FILTERBY <...>"); alone it is a pure token.
    size_t j = i + 1;
    while (j < elems.size() && is_operand(elems[j])) ++j;
    DocArg a;
    if (j == i + 2 && elems[i + 1].item) {
      a = MakeArg(cx, elems[i + 1].item->word);
    } else if (j > i + 1) {
      std::vector<DocArg> children;
      for (size_t k = i + 1; k < j; ++k) {
        DocArg c;
        if (elems[k].item) {
          children.push_back(MakeArg(cx, elems[k].item->word));
        } else if (convert_repeat(elems[k], &c)) {
          children.push_back(std::move(c));
        }
      }
      a = MakeContainer("block", std::move(children));
    } else if (j < elems.size() && elems[j].item->kind == Raw::kGroup && !elems[j].item->optional &&
               !elems[j].item->top_bar) {
      a = ConvertGroup(cx, *elems[j].item);
      j = j + 1;
    } else {
      a.name = ToLower(r.word);
      a.type = "pure-token";
    }
    a.token = r.word;
    out.push_back(std::move(a));
    i = j - 1;
  }
  return out;
}

// Marks top-level arguments at key positions as keys and numbers the key
// specs they belong to.
void AssignKeys(const CommandSpec& spec, bool is_sub, std::vector<DocArg>* args) {
  size_t specs = KeySpecsOf(spec).size();
  int pos = is_sub ? 2 : 1;
  int key_index = 0;
  auto key_at = [&](int p) {
    if (spec.first_key <= 0 || p < spec.first_key) return false;
    if (spec.last_key >= 0 && p > spec.last_key) return false;
    int step = spec.key_step > 0 ? spec.key_step : 1;
    return (p - spec.first_key) % step == 0;
  };
  for (DocArg& a : *args) {
    bool fixed = pos > 0 && !a.optional && a.type != "oneof" && a.type != "block";
    if (fixed) {
      bool pure = a.type == "pure-token";
      int at = pos + ((a.token.empty() || pure) ? 0 : 1);
      if (key_at(at) && !pure) a.type = "key";
      pos = a.multiple ? -1 : at + 1;
    } else {
      pos = -1;  // positions after a variable part are unknown
    }
  }
  // Number key specs in order of appearance, depth first.
  std::vector<DocArg*> todo;
  for (auto it = args->rbegin(); it != args->rend(); ++it) todo.push_back(&*it);
  while (!todo.empty()) {
    DocArg* a = todo.back();
    todo.pop_back();
    if (a->type == "key") {
      a->key_spec_index = specs ? std::min(key_index, static_cast<int>(specs) - 1) : 0;
      ++key_index;
    }
    for (auto it = a->args.rbegin(); it != a->args.rend(); ++it) todo.push_back(&*it);
  }
}

void RenderArg(const DocArg& a, std::string* out);

void RenderList(const std::vector<DocArg>& args, const char* sep, std::string* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out->append(sep);
    RenderArg(args[i], out);
  }
}

// Mirrors redis-cli's cliAddArgument.
void RenderArg(const DocArg& a, std::string* out) {
  std::string repeat;
  if (a.type == "oneof") {
    RenderList(a.args, "|", &repeat);
  } else if (a.type == "block") {
    RenderList(a.args, " ", &repeat);
  } else if (a.type != "pure-token") {
    repeat = a.name;
  }
  std::string token = a.token;
  if (!token.empty() && a.type != "pure-token") token += ' ';
  if (a.optional) out->append("[");
  out->append(token);
  out->append(repeat);
  if (a.multiple) {
    out->append(" [");
    if (a.multiple_token) out->append(token);
    out->append(repeat);
    out->append(" ...]");
  }
  if (a.optional) out->append("]");
}

void ReplyDocArg(ReplyBuilder& r, const DocArg& a) {
  bool has_flags = a.optional || a.multiple || a.multiple_token;
  int64_t fields = 2 + (a.type == "key") + !a.token.empty() + has_flags + !a.args.empty();
  r.MapHeader(fields);
  r.Bulk("name");
  r.Bulk(a.name);
  r.Bulk("type");
  r.Bulk(a.type);
  if (a.type == "key") {
    r.Bulk("key_spec_index");
    r.Integer(a.key_spec_index < 0 ? 0 : a.key_spec_index);
  }
  if (!a.token.empty()) {
    r.Bulk("token");
    r.Bulk(a.token);
  }
  if (has_flags) {
    r.Bulk("flags");
    r.SetHeader(a.optional + a.multiple + a.multiple_token);
    if (a.optional) r.Simple("optional");
    if (a.multiple) r.Simple("multiple");
    if (a.multiple_token) r.Simple("multiple_token");
  }
  if (!a.args.empty()) {
    r.Bulk("arguments");
    r.ArrayHeader(static_cast<int64_t>(a.args.size()));
    for (const DocArg& c : a.args) ReplyDocArg(r, c);
  }
}

std::vector<std::string> SplitFlags(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string_view part = s.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = comma + 1;
  }
  return out;
}

void ReplyWords(ReplyBuilder& r, std::string_view words) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < words.size()) {
    size_t j = words.find(' ', i);
    if (j == std::string_view::npos) j = words.size();
    if (j > i) parts.push_back(words.substr(i, j - i));
    i = j + 1;
  }
  r.SetHeader(static_cast<int64_t>(parts.size()));
  for (std::string_view p : parts) r.Simple(p);
}

}  // namespace

std::vector<DocArg> ParseSyntax(const CommandSpec& spec, bool is_subcommand) {
  if (!spec.syntax || !*spec.syntax) return {};
  Parser p(Lex(spec.syntax));
  std::vector<Raw> raw = p.ParseTop();
  ConvertCtx cx{spec};
  std::vector<DocArg> args = ConvertSeq(cx, raw);
  AssignKeys(spec, is_subcommand, &args);
  return args;
}

std::string RenderHint(const std::vector<DocArg>& args) {
  std::string out;
  RenderList(args, " ", &out);
  return out;
}

std::vector<KeySpec> KeySpecsOf(const CommandSpec& spec) {
  std::vector<KeySpec> out;
  if (spec.first_key <= 0) return out;
  std::vector<std::string> flags;
  if (spec.key_flags) flags = SplitFlags(spec.key_flags);
  if (flags.empty())
    flags.push_back((spec.flags & kCmdReadonly) ? "RO access" : "RW access update");
  int step = spec.key_step > 0 ? spec.key_step : 1;
  for (size_t i = 0; i < flags.size(); ++i) {
    int begin = spec.first_key + static_cast<int>(i) * step;
    bool last = i + 1 == flags.size();
    int lastkey = 0;
    if (last) lastkey = spec.last_key >= 0 ? spec.last_key - begin : spec.last_key;
    out.push_back({flags[i], begin, lastkey, last ? step : 1, 0});
  }
  return out;
}

std::vector<KeyRef> KeysOf(const CommandSpec& spec, ArgList args) {
  if (spec.get_keys) return spec.get_keys(args);
  std::vector<KeyRef> out;
  int n = static_cast<int>(args.size());
  for (const KeySpec& ks : KeySpecsOf(spec)) {
    int last = ks.lastkey >= 0 ? ks.begin_index + ks.lastkey : n + ks.lastkey;
    for (int i = ks.begin_index; i <= last && i < n; i += ks.keystep)
      out.push_back({static_cast<size_t>(i), ks.flags});
  }
  return out;
}

void ReplyCommandInfo(ReplyBuilder& r, const CommandSpec* spec, std::string_view fullname) {
  if (!spec) return r.Null();
  r.ArrayHeader(10);
  r.Bulk(fullname);
  r.Integer(spec->arity);
  std::vector<std::string> flags = CommandTable::FlagNames(spec->flags);
  if (spec->get_keys && !(spec->flags & kCmdFixedKeys)) flags.emplace_back("movablekeys");
  r.SetHeader(static_cast<int64_t>(flags.size()));
  for (const std::string& f : flags) r.Simple(f);
  r.Integer(spec->first_key);
  r.Integer(spec->last_key);
  r.Integer(spec->key_step);
  std::vector<std::string> acl = CommandTable::AclNames(*spec);
  r.SetHeader(static_cast<int64_t>(acl.size()));
  for (const std::string& a : acl) r.Simple(a);
  r.SetHeader(0);  // tips
  std::vector<KeySpec> specs = KeySpecsOf(*spec);
  r.SetHeader(static_cast<int64_t>(specs.size()));
  for (const KeySpec& ks : specs) {
    r.MapHeader(3);
    r.Bulk("flags");
    ReplyWords(r, ks.flags);
    r.Bulk("begin_search");
    r.MapHeader(2);
    r.Bulk("type");
    r.Bulk("index");
    r.Bulk("spec");
    r.MapHeader(1);
    r.Bulk("index");
    r.Integer(ks.begin_index);
    r.Bulk("find_keys");
    r.MapHeader(2);
    r.Bulk("type");
    r.Bulk("range");
    r.Bulk("spec");
    r.MapHeader(3);
    r.Bulk("lastkey");
    r.Integer(ks.lastkey);
    r.Bulk("keystep");
    r.Integer(ks.keystep);
    r.Bulk("limit");
    r.Integer(ks.limit);
  }
  if (spec->subcommands.empty()) {
    r.SetHeader(0);
    return;
  }
  r.ArrayHeader(static_cast<int64_t>(spec->subcommands.size()));
  for (const CommandSpec& sub : spec->subcommands)
    ReplyCommandInfo(r, &sub, std::string(fullname) + "|" + sub.name);
}

void ReplyCommandDocs(ReplyBuilder& r, const CommandSpec& spec, bool is_subcommand) {
  std::vector<DocArg> args = ParseSyntax(spec, is_subcommand);
  bool has_subs = !spec.subcommands.empty();
  int64_t fields = 1 + (spec.summary != nullptr) + (spec.since != nullptr) +
                   (spec.complexity != nullptr) + !args.empty() + has_subs;
  r.MapHeader(fields);
  if (spec.summary) {
    r.Bulk("summary");
    r.Bulk(spec.summary);
  }
  if (spec.since) {
    r.Bulk("since");
    r.Bulk(spec.since);
  }
  r.Bulk("group");
  r.Bulk(spec.group ? spec.group : "server");
  if (spec.complexity) {
    r.Bulk("complexity");
    r.Bulk(spec.complexity);
  }
  if (!args.empty()) {
    r.Bulk("arguments");
    r.ArrayHeader(static_cast<int64_t>(args.size()));
    for (const DocArg& a : args) ReplyDocArg(r, a);
  }
  if (has_subs) {
    r.Bulk("subcommands");
    r.MapHeader(static_cast<int64_t>(spec.subcommands.size()));
    for (const CommandSpec& sub : spec.subcommands) {
      r.Bulk(std::string(spec.name) + "|" + sub.name);
      ReplyCommandDocs(r, sub, true);
    }
  }
}

void ReplyHelp(CommandContext& ctx, std::initializer_list<const char*> lines) {
  std::string cmd(ctx.arg(0));
  for (char& c : cmd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ctx.reply.ArrayHeader(static_cast<int64_t>(lines.size()) + 3);
  ctx.reply.Simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* l : lines) ctx.reply.Simple(l);
  ctx.reply.Simple("HELP");
  ctx.reply.Simple("    Prints this help.");
}

void ReplySubcommandSyntaxError(CommandContext& ctx) {
  std::string cmd(ctx.arg(0));
  for (char& c : cmd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string sub(ctx.argc() > 1 ? ctx.arg(1).substr(0, 128) : std::string_view());
  ctx.reply.Error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " +
                  cmd + " HELP.");
}

}  // namespace ordis
