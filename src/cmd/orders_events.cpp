#include "cmd/orders_events.h"

#include <cstdio>
#include <string>

#include "server/pubsub.h"
#include "server/server.h"

namespace ordis {
namespace {

using order::OrderEvent;

void AppendDecimal(std::string* out, const char* name, int64_t v) {
  char buf[decimal::kFormatBufferSize];
  size_t n = decimal::Format(v, buf);
  out->append(",\"").append(name).append("\":\"").append(buf, n).append("\"");
}

void AppendInt(std::string* out, const char* name, uint64_t v) {
  out->append(",\"").append(name).append("\":").append(std::to_string(v));
}

void AppendStr(std::string* out, const char* name, std::string_view v) {
  // Values here (event and enum names, symbols) never need escaping.
  out->append(",\"").append(name).append("\":\"").append(v).append("\"");
}

class Publisher : public order::OrderListener {
 public:
  explicit Publisher(Server& s) : server_(s) {}

  void OnOrderEvent(const OrderEvent& e) override {
    PubSub& ps = server_.pubsub();
    if (ps.channel_count() == 0 && ps.pattern_count() == 0) return;  // the common case
    const order::Order& o = *e.order;
    const std::string& symbol = server_.orders().SymbolName(e.symbol);
    const char* event = order::EventName(e.kind);
    std::string channel = "order.user." + std::to_string(o.user);
    if (server_.HasSubscribers(channel)) {
      std::string m = "{\"event\":\"";
      m.append(event).append("\"");
      AppendInt(&m, "id", o.id);
      AppendInt(&m, "user", o.user);
      AppendStr(&m, "symbol", symbol);
      AppendStr(&m, "side", order::SideName(o.side()));
      AppendStr(&m, "status", order::StatusName(o.status()));
      AppendDecimal(&m, "price", o.price);
      AppendDecimal(&m, "remaining", o.remaining);
      AppendDecimal(&m, "filled", o.filled);
      if (e.kind == order::EventKind::kFilled) {
        AppendDecimal(&m, "last_qty", e.fill_qty);
        AppendDecimal(&m, "last_price", e.fill_price);
        if (e.trade != 0) AppendInt(&m, "trade", e.trade);
      }
      AppendInt(&m, "time", static_cast<uint64_t>(e.time_us));
      m.append("}");
      server_.Publish(channel, m);
    }
    channel = "order.book." + symbol;
    if (!server_.HasSubscribers(channel)) return;
    for (int i = 0; i < e.level_count; ++i) {
      const order::LevelState& l = e.levels[i];
      std::string m = "{\"event\":\"";
      m.append(event).append("\"");
      AppendInt(&m, "id", o.id);
      AppendStr(&m, "symbol", symbol);
      AppendStr(&m, "side", order::SideName(e.side));
      AppendDecimal(&m, "price", l.price);
      AppendDecimal(&m, "qty", l.qty);
      AppendInt(&m, "count", l.count);
      AppendInt(&m, "time", static_cast<uint64_t>(e.time_us));
      m.append("}");
      server_.Publish(channel, m);
    }
  }

 private:
  Server& server_;
};

}  // namespace

std::unique_ptr<order::OrderListener> MakeOrderEventPublisher(Server& server) {
  return std::make_unique<Publisher>(server);
}

}  // namespace ordis
