#include "order/order.h"

namespace ordis::order {

const char* SideName(Side s) {
  return s == Side::kBuy ? "BUY" : "SELL";
}

const char* TypeName(OrderType t) {
  return t == OrderType::kLimit ? "LIMIT" : "LIMIT_MAKER";
}

const char* TifName(Tif t) {
  switch (t) {
    case Tif::kGtc:
      return "GTC";
    case Tif::kIoc:
      return "IOC";
    case Tif::kFok:
      return "FOK";
    case Tif::kGtd:
      return "GTD";
  }
  return "?";
}

const char* StatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kNew:
      return "NEW";
    case OrderStatus::kPartiallyFilled:
      return "PARTIALLY_FILLED";
    case OrderStatus::kFilled:
      return "FILLED";
    case OrderStatus::kCanceled:
      return "CANCELED";
    case OrderStatus::kExpired:
      return "EXPIRED";
  }
  return "?";
}

bool ValidCid(std::string_view cid) {
  if (cid.empty() || cid.size() > kMaxCidLen) return false;
  for (char c : cid)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Character i occupies bits [7i, 7i + 7) of the little-endian bit string.
PackedCid PackCid(std::string_view cid) {
  PackedCid p{};
  uint32_t acc = 0;
  int bits = 0;
  size_t out = 0;
  for (char c : cid) {
    acc |= static_cast<uint32_t>(static_cast<unsigned char>(c) & 0x7f) << bits;
    bits += 7;
    while (bits >= 8) {
      p[out++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) p[out] = static_cast<uint8_t>(acc);
  return p;
}

size_t UnpackCid(const PackedCid& p, char* buf) {
  uint32_t acc = 0;
  int bits = 0;
  size_t in = 0, n = 0;
  while (n < kMaxCidLen) {
    while (bits < 7 && in < kPackedCidBytes) {
      acc |= static_cast<uint32_t>(p[in++]) << bits;
      bits += 8;
    }
    char c = static_cast<char>(acc & 0x7f);
    if (c == 0) break;
    buf[n++] = c;
    acc >>= 7;
    bits -= 7;
  }
  return n;
}

bool ValidSymbol(std::string_view s) {
  if (s.empty() || s.size() > kMaxSymbolLen) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

uint64_t HashUserCid(uint64_t user, const PackedCid& cid) {
  uint64_t h = Mix64(user ^ 0x9e3779b97f4a7c15ULL);
  for (size_t i = 0; i < kPackedCidBytes; i += 4) {
    uint32_t w;
    memcpy(&w, cid.data() + i, 4);
    h = Mix64(h ^ w);
  }
  return h;
}

OrderView OrderView::Of(const Order& o, int64_t expire_ms) {
  OrderView v;
  v.id = o.id;
  v.user = o.user;
  v.symbol = o.symbol;
  v.side = o.side();
  v.type = o.type();
  v.tif = o.tif();
  v.status = o.status();
  v.price = o.price;
  v.filled = o.filled;
  v.remaining = o.remaining;
  v.quote = o.quote;
  v.created_us = o.created_us;
  v.updated_us = o.updated_us;
  v.expire_ms = expire_ms;
  v.cid = o.cid;
  return v;
}

}  // namespace ordis::order
