#include "services/reformd/data_directory.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace reformlog::services {
namespace {

namespace fs = std::filesystem;

constexpr fs::perms kGroupAndOthers = fs::perms::group_all | fs::perms::others_all;

absl::Status Failed(absl::string_view what, const fs::path& path, const std::error_code& ec) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " ", path.string(), ": ", ec.message()));
}

// Clears the group and other bits of `path` (and, for a directory, sets kDataDirectoryMode).
absl::Status Tighten(const fs::path& path, const fs::file_status& status, int* tightened,
                     fs::perm_options follow = fs::perm_options::nofollow) {
  std::error_code ec;
  const fs::perms want = fs::is_directory(status) ? static_cast<fs::perms>(kDataDirectoryMode)
                                                  : status.permissions() & ~kGroupAndOthers;
  if (status.permissions() == want) return absl::OkStatus();
  fs::permissions(path, want, fs::perm_options::replace | follow, ec);
  if (ec) return Failed("change the permissions of", path, ec);
  if (tightened != nullptr) ++*tightened;
  return absl::OkStatus();
}

}  // namespace

absl::Status SecureDataDirectory(const std::string& dir, int* tightened) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Failed("create the data directory", dir, ec);
  const fs::file_status top = fs::status(dir, ec);
  if (ec) return Failed("read", dir, ec);
  if (!fs::is_directory(top)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  }
  // The data directory itself may be a link to where the data lives (/var/lib/reformlog →
  // /srv/…): its target is tightened. Links below it are not followed.
  if (absl::Status s = Tighten(dir, top, tightened, fs::perm_options::replace); !s.ok()) return s;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return Failed("read", dir, ec);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Failed("read", it->path(), ec);
    const fs::file_status status = it->symlink_status(ec);
    if (ec) return Failed("read", it->path(), ec);
    if (fs::is_symlink(status)) continue;
    if (absl::Status s = Tighten(it->path(), status, tightened); !s.ok()) return s;
  }
  if (ec) return Failed("read", dir, ec);
  return absl::OkStatus();
}

}  // namespace reformlog::services
