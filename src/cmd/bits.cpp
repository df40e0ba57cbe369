// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
// BITFIELD_RO. Handlers parse, call kv/bit_ops, reply; argument checks and
// lookups happen in Redis's order so the same request gets the same error.
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/bit_ops.h"
#include "server/server.h"

namespace ordis {

namespace {

constexpr std::string_view kBadBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";

StringOps Ops(CommandContext& ctx) {
  return StringOps(ctx.db(), ctx.server.keyspace().ctx(), ctx.server.config().proto_max_bulk_len);
}

// A bit offset below 8 * proto-max-bulk-len. With `bits` > 0, "#n" means
// n * bits (BITFIELD's field-index form).
bool ParseBitOffset(CommandContext& ctx, std::string_view arg, int bits, uint64_t* out) {
  bool hash = bits > 0 && !arg.empty() && arg[0] == '#';
  int64_t v;
  if (!ParseInt64(hash ? arg.substr(1) : arg, &v) ||
      (hash && __builtin_mul_overflow(v, bits, &v)) || v < 0 ||
      (v >> 3) >= ctx.server.config().proto_max_bulk_len) {
    ctx.reply.Error(err::kBitOffset);
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

void SetBitCmd(CommandContext& ctx) {
  uint64_t offset;
  if (!ParseBitOffset(ctx, ctx.arg(2), 0, &offset)) return;
  int64_t on;
  if (!ParseInt64(ctx.arg(3), &on) || (on & ~1)) return ctx.reply.Error(err::kBit);
  StringOps ops = Ops(ctx);
  auto r = SetBit(ops, ctx.arg(1), offset, on != 0);
  if (ReplyIfError(ctx, r.status())) return;
  if (r->changed) ++ctx.dirty;
  ctx.reply.Integer(r->old);
}

void GetBitCmd(CommandContext& ctx) {
  uint64_t offset;
  if (!ParseBitOffset(ctx, ctx.arg(2), 0, &offset)) return;
  StringOps ops = Ops(ctx);
  auto r = GetBit(ops, ctx.arg(1), offset);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

// BYTE|BIT for BITCOUNT/BITPOS; replies a syntax error otherwise.
bool ParseBitUnit(CommandContext& ctx, size_t i, bool* bit_unit) {
  if (ArgIs(ctx, i, "bit")) {
    *bit_unit = true;
  } else if (ArgIs(ctx, i, "byte")) {
    *bit_unit = false;
  } else {
    ctx.reply.Error(err::kSyntax);
    return false;
  }
  return true;
}

void BitCountCmd(CommandContext& ctx) {
  StringOps ops = Ops(ctx);
  std::string scratch;
  // The key is looked up before the range is parsed: a missing key answers
  // 0 whatever the arguments.
  auto v = ops.Get(ctx.arg(1), &scratch);
  if (v.status() == OpStatus::kNotFound) return ctx.reply.Integer(0);
  if (ReplyIfError(ctx, v.status())) return;
  if (ctx.argc() == 2) return ctx.reply.Integer(BitCount(*v, nullptr));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.reply.Error(err::kSyntax);
  BitRange r;
  if (!ArgInt(ctx, 2, &r.start) || !ArgInt(ctx, 3, &r.end)) return;
  if (r.start < 0 && r.end < 0 && r.start > r.end) return ctx.reply.Integer(0);
  if (ctx.argc() == 5 && !ParseBitUnit(ctx, 4, &r.bit_unit)) return;
  ctx.reply.Integer(BitCount(*v, &r));
}

void BitPosCmd(CommandContext& ctx) {
  int64_t bit;
  if (!ArgInt(ctx, 2, &bit)) return;
  if (bit != 0 && bit != 1) return ctx.reply.Error("ERR The bit argument must be 1 or 0.");
  StringOps ops = Ops(ctx);
  std::string scratch;
  // A missing key is an endless run of zeros.
  auto v = ops.Get(ctx.arg(1), &scratch);
  if (v.status() == OpStatus::kNotFound) return ctx.reply.Integer(bit ? -1 : 0);
  if (ReplyIfError(ctx, v.status())) return;
  int b = static_cast<int>(bit);
  if (ctx.argc() == 3) return ctx.reply.Integer(BitPos(*v, b, nullptr));
  if (ctx.argc() > 6) return ctx.reply.Error(err::kSyntax);
  BitRange r;
  r.end_given = false;
  if (!ArgInt(ctx, 3, &r.start)) return;
  if (ctx.argc() == 6 && !ParseBitUnit(ctx, 5, &r.bit_unit)) return;
  if (ctx.argc() >= 5) {
    if (!ArgInt(ctx, 4, &r.end)) return;
    r.end_given = true;
  }
  ctx.reply.Integer(BitPos(*v, b, &r));
}

void BitOpCmd(CommandContext& ctx) {
  BitOpKind kind;
  if (ArgIs(ctx, 1, "and")) {
    kind = BitOpKind::kAnd;
  } else if (ArgIs(ctx, 1, "or")) {
    kind = BitOpKind::kOr;
  } else if (ArgIs(ctx, 1, "xor")) {
    kind = BitOpKind::kXor;
  } else if (ArgIs(ctx, 1, "not")) {
    kind = BitOpKind::kNot;
  } else {
    return ctx.reply.Error(err::kSyntax);
  }
  if (kind == BitOpKind::kNot && ctx.argc() != 4)
    return ctx.reply.Error("ERR BITOP NOT must be called with a single source key.");
  StringOps ops = Ops(ctx);
  bool changed;
  auto r = BitOp(ops, kind, ctx.arg(2), ctx.args.subspan(3), &changed);
  if (ReplyIfError(ctx, r.status())) return;
  if (changed) ++ctx.dirty;
  ctx.reply.Integer(*r);
}

// "i<1..64>" or "u<1..63>"; the prefix is case-sensitive, as in Redis.
bool ParseBitfieldType(CommandContext& ctx, std::string_view arg, BitFieldOp* op) {
  int64_t bits;
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u') || !ParseInt64(arg.substr(1), &bits) ||
      bits < 1 || bits > (arg[0] == 'i' ? 64 : 63)) {
    ctx.reply.Error(kBadBitfieldType);
    return false;
  }
  op->is_signed = arg[0] == 'i';
  op->bits = static_cast<uint8_t>(bits);
  return true;
}

void BitFieldGeneric(CommandContext& ctx, bool readonly_cmd) {
  std::vector<BitFieldOp> fops;
  BitOverflow overflow = BitOverflow::kWrap;
  bool has_write = false;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    const size_t remaining = ctx.argc() - j - 1;
    BitFieldOp op;
    if (ArgIs(ctx, j, "get") && remaining >= 2) {
      op.kind = BitFieldOp::kGet;
    } else if (ArgIs(ctx, j, "set") && remaining >= 3) {
      op.kind = BitFieldOp::kSet;
    } else if (ArgIs(ctx, j, "incrby") && remaining >= 3) {
      op.kind = BitFieldOp::kIncrBy;
    } else if (ArgIs(ctx, j, "overflow") && remaining >= 1) {
      ++j;
      if (ArgIs(ctx, j, "wrap")) {
        overflow = BitOverflow::kWrap;
      } else if (ArgIs(ctx, j, "sat")) {
        overflow = BitOverflow::kSat;
      } else if (ArgIs(ctx, j, "fail")) {
        overflow = BitOverflow::kFail;
      } else {
        return ctx.reply.Error("ERR Invalid OVERFLOW type specified");
      }
      continue;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
    if (!ParseBitfieldType(ctx, ctx.arg(j + 1), &op)) return;
    if (!ParseBitOffset(ctx, ctx.arg(j + 2), op.bits, &op.offset)) return;
    if (op.kind != BitFieldOp::kGet) {
      has_write = true;
      if (!ArgInt(ctx, j + 3, &op.value)) return;
    }
    op.overflow = overflow;
    fops.push_back(op);
    j += op.kind == BitFieldOp::kGet ? 2 : 3;
  }
  if (has_write && readonly_cmd)
    return ctx.reply.Error("ERR BITFIELD_RO only supports the GET subcommand");

  StringOps ops = Ops(ctx);
  auto r = BitField(ops, ctx.arg(1), fops);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->values.size()));
  for (const auto& v : r->values) {
    if (v) {
      ctx.reply.Integer(*v);
    } else {
      ctx.reply.Null();
    }
  }
  ctx.dirty += r->changes;
}

void BitFieldCmd(CommandContext& ctx) {
  BitFieldGeneric(ctx, false);
}
void BitFieldRoCmd(CommandContext& ctx) {
  BitFieldGeneric(ctx, true);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"setbit", 4, kCmdWrite | kCmdDenyOom, kAclBitmap, 1, 1, 1, SetBitCmd, "bitmap", "2.2.0",
     "Sets or clears the bit at offset in the string value stored at key", "O(1)",
     "key offset value"},
    {"getbit", 3, kCmdReadonly | kCmdFast, kAclBitmap, 1, 1, 1, GetBitCmd, "bitmap", "2.2.0",
     "Returns the bit value at offset in the string value stored at key", "O(1)", "key offset"},
    {"bitcount", -2, kCmdReadonly, kAclBitmap, 1, 1, 1, BitCountCmd, "bitmap", "2.6.0",
     "Count set bits in a string", "O(N)", "key [start end [BYTE|BIT]]"},
    {"bitpos", -3, kCmdReadonly, kAclBitmap, 1, 1, 1, BitPosCmd, "bitmap", "2.8.7",
     "Find first bit set or clear in a string", "O(N)", "key bit [start [end [BYTE|BIT]]]"},
    {"bitop", -4, kCmdWrite | kCmdDenyOom, kAclBitmap, 2, -1, 1, BitOpCmd, "bitmap", "2.6.0",
     "Perform bitwise operations between strings", "O(N)", "operation destkey key [key ...]", {},
     "OW update,RO access"},
    {"bitfield", -2, kCmdWrite | kCmdDenyOom, kAclBitmap, 1, 1, 1, BitFieldCmd, "bitmap", "3.2.0",
     "Perform arbitrary bitfield integer operations on strings",
     "O(1) for each subcommand specified",
     "key [<GET encoding offset|[OVERFLOW <WRAP|SAT|FAIL>] <SET encoding offset value|INCRBY "
     "encoding offset increment>> [<GET encoding offset|[OVERFLOW <WRAP|SAT|FAIL>] <SET encoding "
     "offset value|INCRBY encoding offset increment>> ...]]",
     {}, "RW access update variable_flags"},
    {"bitfield_ro", -2, kCmdReadonly | kCmdFast, kAclBitmap, 1, 1, 1, BitFieldRoCmd, "bitmap",
     "6.0.0",
     "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
     "O(1) for each subcommand specified", "key [GET encoding offset [GET encoding offset ...]]"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> BitCommands() {
  return kCommands;
}

}  // namespace ordis
