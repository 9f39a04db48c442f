// Progress of a long run (an import, a demo load) on stderr: a bar redrawn in place when
// stderr is a terminal, otherwise a line "WHAT: DONE/TOTAL" each time another tenth is done
// and at the end. Nothing is shown for a total under 2, nor before `quiet_for` has passed since
// it was made (a run that ends sooner shows none). Thread-safe: importers update it from many
// threads.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace reformlog::ctl {

class Progress {
 public:
  Progress(
      std::string what, size_t total,
      std::chrono::steady_clock::duration quiet_for = std::chrono::steady_clock::duration::zero());
  // `done` of the total are done (0 ≤ done ≤ total).
  void Update(size_t done);

 private:
  std::string what_;
  size_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point show_from_;
  size_t last_ = 0;
  std::mutex mu_;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_
