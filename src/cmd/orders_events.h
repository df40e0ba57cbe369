// Order events on Pub/Sub: every change the order tables report is
// published as one line of JSON on
//   order.user.<user>     {"event","id","user","symbol","side","status",
//                          "price","remaining","filled","time"} (+ "last_qty",
//                          "last_price" and "trade" for fills)
//   order.book.<symbol>   one message per price level touched: {"event",
//                          "id","symbol","side","price","qty","count","time"},
//                          qty and count being the level's new aggregate
// Prices and quantities are decimal strings, ids and times (microseconds)
// numbers. Nothing is built unless Server::HasSubscribers says someone
// listens on that channel.
#pragma once

#include <memory>

#include "order/order_table.h"

namespace ordis {

class Server;

// A listener for Server::orders() that publishes through server.
std::unique_ptr<order::OrderListener> MakeOrderEventPublisher(Server& server);

}  // namespace ordis
