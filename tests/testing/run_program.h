// RunProgram: runs a command-line program to completion, for end-to-end tests of the tools
// (reformctl). Its stdout and stderr go to files in a scratch directory, not pipes, so a
// chatty program can never deadlock the test.
#ifndef REFORMLOG_TESTS_TESTING_RUN_PROGRAM_H_
#define REFORMLOG_TESTS_TESTING_RUN_PROGRAM_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace reformlog::testing {

struct ProgramRun {
  int code = -1;  // the exit code; 128 + signal when killed; -1 when it could not start
  std::string out;
  std::string err;
};

inline std::string ReadFileDescriptor(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

// Runs `binary` with `args` and this process's environment; out.txt and err.txt in
// `scratch_dir` hold its output (overwritten by the next run there).
inline ProgramRun RunProgram(const std::string& binary, const std::vector<std::string>& args,
                             const std::string& scratch_dir) {
  const std::string out_path = scratch_dir + "/out.txt";
  const std::string err_path = scratch_dir + "/err.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  ProgramRun run;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return run;
  int status = 0;
  waitpid(pid, &status, 0);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int fd = open(out_path.c_str(), O_RDONLY);
  run.out = ReadFileDescriptor(fd);
  close(fd);
  fd = open(err_path.c_str(), O_RDONLY);
  run.err = ReadFileDescriptor(fd);
  close(fd);
  return run;
}

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_RUN_PROGRAM_H_
