// Progress of a long run (an import, a demo load) on stderr: a bar redrawn in place when
// stderr is a terminal, otherwise a line "WHAT: DONE/TOTAL" each time another tenth is done
// and at the end. Nothing is shown for a total under 2. Thread-safe: importers update it from
// many threads.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_

#include <cstddef>
#include <mutex>
#include <string>

namespace reformlog::ctl {

class Progress {
 public:
  Progress(std::string what, size_t total);
  // `done` of the total are done (0 ≤ done ≤ total).
  void Update(size_t done);

 private:
  std::string what_;
  size_t total_;
  bool tty_;
  size_t last_ = 0;
  std::mutex mu_;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_PROGRESS_H_
