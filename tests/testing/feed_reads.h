// The event recorded at a position, read through the feed: how tests check what a command
// recorded (its principal, its commit id) as a client sees it.
#ifndef REFORMLOG_TESTS_TESTING_FEED_READS_H_
#define REFORMLOG_TESTS_TESTING_FEED_READS_H_

#include <chrono>
#include <memory>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"

namespace reformlog::testing {

// The event at `position` (the feed's first from there); a default event, and a failure,
// when the channel's principal cannot read it or there is none.
inline api::v1::Event EventAt(const std::shared_ptr<grpc::Channel>& channel, uint64_t position) {
  api::v1::ReadAllRequest read;
  read.set_from_position(position);
  read.set_max_count(1);
  api::v1::ReadAllResponse events;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const grpc::Status s = api::v1::EventFeed::NewStub(channel)->ReadAll(&context, read, &events);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(events.events_size(), 1) << "no event at position " << position;
  return events.events_size() == 1 ? events.events(0) : api::v1::Event();
}

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_FEED_READS_H_
