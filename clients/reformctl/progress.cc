#include "clients/reformctl/progress.h"

#include <unistd.h>

#include <iostream>

namespace reformlog::ctl {

Progress::Progress(std::string what, size_t total, std::chrono::steady_clock::duration quiet_for)
    : what_(std::move(what)),
      total_(total),
      tty_(isatty(2) != 0),
      show_from_(std::chrono::steady_clock::now() + quiet_for) {}

void Progress::Update(size_t done) {
  if (total_ < 2) return;
  if (std::chrono::steady_clock::now() < show_from_) return;
  const size_t percent = done * 100 / total_;
  std::lock_guard lock(mu_);
  if (tty_) {
    const size_t filled = percent / 5;
    std::cerr << "\r" << what_ << " [" << std::string(filled, '=') << std::string(20 - filled, ' ')
              << "] " << percent << "% " << done << "/" << total_ << std::flush;
    if (done == total_) std::cerr << "\n";
  } else if (percent / 10 != last_ / 10 || done == total_) {
    std::cerr << what_ << ": " << done << "/" << total_ << "\n";
  }
  last_ = percent;
}

}  // namespace reformlog::ctl
