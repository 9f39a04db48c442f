// ThreadSanitizer build only: makes Debian's (uninstrumented) absl::Mutex and
// absl::Notification visible to ThreadSanitizer as what they are, so the code they guard is
// checked instead of reported as racing.
//
// libabsl_synchronization.so is not built with -fsanitize=thread, so its locking is invisible:
// two threads taking one absl::Mutex look unsynchronised, and every field under
// ABSL_GUARDED_BY would be reported. The link wraps (ld --wrap, see REFORMLOG_SANITIZE in the
// top CMakeLists.txt) the calls our own objects make — not gRPC's calls inside its library —
// and the wrappers below tell ThreadSanitizer about each lock, unlock, notify and wait.
// The symbols are Debian 12's abseil (20220623, inline namespace debian3); a newer abseil
// fails the link instead of silently losing the annotations.
#include <sanitizer/tsan_interface.h>

#define REFORMLOG_MUTEX(fn) _ZN4absl7debian35Mutex##fn##Ev
#define REFORMLOG_NOTIFICATION(fn) _ZN4absl7debian312Notification##fn

extern "C" {

void __real__ZN4absl7debian35Mutex4LockEv(void* mu);
void __real__ZN4absl7debian35Mutex6UnlockEv(void* mu);
bool __real__ZN4absl7debian35Mutex7TryLockEv(void* mu);
void __real__ZN4absl7debian35Mutex10ReaderLockEv(void* mu);
void __real__ZN4absl7debian35Mutex12ReaderUnlockEv(void* mu);
void __real__ZN4absl7debian312Notification6NotifyEv(void* n);
void __real__ZNK4absl7debian312Notification19WaitForNotificationEv(const void* n);

void __wrap__ZN4absl7debian35Mutex4LockEv(void* mu) {
  __tsan_mutex_pre_lock(mu, 0);
  __real__ZN4absl7debian35Mutex4LockEv(mu);
  __tsan_mutex_post_lock(mu, 0, 0);
}

void __wrap__ZN4absl7debian35Mutex6UnlockEv(void* mu) {
  __tsan_mutex_pre_unlock(mu, 0);
  __real__ZN4absl7debian35Mutex6UnlockEv(mu);
  __tsan_mutex_post_unlock(mu, 0);
}

bool __wrap__ZN4absl7debian35Mutex7TryLockEv(void* mu) {
  __tsan_mutex_pre_lock(mu, __tsan_mutex_try_lock);
  const bool locked = __real__ZN4absl7debian35Mutex7TryLockEv(mu);
  __tsan_mutex_post_lock(mu, locked ? __tsan_mutex_try_lock : __tsan_mutex_try_lock_failed, 0);
  return locked;
}

void __wrap__ZN4absl7debian35Mutex10ReaderLockEv(void* mu) {
  __tsan_mutex_pre_lock(mu, __tsan_mutex_read_lock);
  __real__ZN4absl7debian35Mutex10ReaderLockEv(mu);
  __tsan_mutex_post_lock(mu, __tsan_mutex_read_lock, 0);
}

void __wrap__ZN4absl7debian35Mutex12ReaderUnlockEv(void* mu) {
  __tsan_mutex_pre_unlock(mu, __tsan_mutex_read_lock);
  __real__ZN4absl7debian35Mutex12ReaderUnlockEv(mu);
  __tsan_mutex_post_unlock(mu, __tsan_mutex_read_lock);
}

// What the notifier wrote before Notify() happens before what the waiter reads after.
void __wrap__ZN4absl7debian312Notification6NotifyEv(void* n) {
  __tsan_release(n);
  __real__ZN4absl7debian312Notification6NotifyEv(n);
}

void __wrap__ZNK4absl7debian312Notification19WaitForNotificationEv(const void* n) {
  __real__ZNK4absl7debian312Notification19WaitForNotificationEv(n);
  __tsan_acquire(const_cast<void*>(n));
}

}  // extern "C"
