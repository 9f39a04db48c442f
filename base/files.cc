#include "base/files.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace reformlog {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string bytes(bytes_max + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > bytes_max) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds more than ", bytes_max, " bytes; it is not what was asked for"));
  }
  return bytes;
}

}  // namespace reformlog
