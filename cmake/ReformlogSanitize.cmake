# REFORMLOG_SANITIZE builds every target (ours and the generated protobuf code) with GCC's
# sanitizers, for `tests/run.sh --sanitize`: "address,undefined" or "thread". Any finding
# aborts the process (UBSan's too), so a test that hits one fails. The Debian libraries (gRPC,
# protobuf, abseil, RocksDB) stay uninstrumented; tests/sanitizers/ holds what that costs.
set(REFORMLOG_SANITIZE "" CACHE STRING "GCC sanitizers: empty, address,undefined or thread")
if(NOT REFORMLOG_SANITIZE)
  return()
endif()

# -O1 -g1 (line tables, inlined frames included) after the build type's -O2 -g: half the
# compile time of -O2 -g under the sanitizers, and reports keep every frame and line.
add_compile_options(-fsanitize=${REFORMLOG_SANITIZE} -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -O1 -g1)
add_link_options(-fsanitize=${REFORMLOG_SANITIZE})
# A sanitizer brings its own allocator: nothing links jemalloc. (Shadows the cache entry of
# the top CMakeLists.txt, in this build tree only.)
set(JEMALLOC_LIBRARY "")

if(REFORMLOG_SANITIZE MATCHES "undefined")
  # GCC 12 compiles these three with -fno-delete-null-pointer-checks, under which
  # `kName != nullptr` is no longer a constant expression, so absl::string_view(kName) cannot
  # appear in a constexpr initialiser. AddressSanitizer reports a null dereference anyway.
  add_compile_options(-fno-sanitize=null,nonnull-attribute,returns-nonnull-attribute)
endif()

if(REFORMLOG_SANITIZE STREQUAL "thread")
  # Debian's absl::Mutex and absl::Notification are invisible to ThreadSanitizer; every call
  # our objects make to them goes through tests/sanitizers/tsan_absl_sync.cc, which says
  # what they do. Linked (shared, so that link order does not matter) into everything below.
  set(wrapped
      _ZN4absl7debian35Mutex4LockEv _ZN4absl7debian35Mutex6UnlockEv
      _ZN4absl7debian35Mutex7TryLockEv _ZN4absl7debian35Mutex10ReaderLockEv
      _ZN4absl7debian35Mutex12ReaderUnlockEv _ZN4absl7debian312Notification6NotifyEv
      _ZNK4absl7debian312Notification19WaitForNotificationEv)
  foreach(symbol ${wrapped})
    add_link_options(LINKER:--wrap=${symbol})
  endforeach()
  add_library(reformlog_tsan_absl_sync SHARED ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan_absl_sync.cc)
  target_link_libraries(reformlog_tsan_absl_sync PRIVATE absl::synchronization)
  link_libraries(reformlog_tsan_absl_sync)
endif()
