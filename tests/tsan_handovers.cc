// Under ThreadSanitizer only: tells TSan about the hand-overs between threads
// that Debian's uninstrumented GLib and GStreamer make, so that it neither
// reports them as races nor needs a suppression that could hide one of ours
// (tests/tsan.supp says which kinds of suppression would).
//
// How: these definitions interpose GLib's and GStreamer's. Callers outside
// the defining library (GStreamer, its plugins, our code) reach those
// functions through the PLT, and the executable's definition comes first in
// symbol lookup. Each calls the real one and announces what it did with
// __tsan_acquire / __tsan_release on the object's address. No lock ownership
// is modelled, so TSan checks no lock discipline here, only happens-before.
//
//   GMutex, GCond     futex-based inside GLib, invisible to TSan: a lock
//                     acquires, an unlock releases, a condition wait does both.
//                     They guard GST_OBJECT_LOCK, appsrc's and queue's queues,
//                     the bus, and our own `sync=mutex` policy.
//   GRecMutex,        pthread locks inside GLib, but tests/tsan.supp makes TSan
//   GRWLock           ignore the calls GLib makes (called_from_lib), so they
//                     are announced here too (GST_PAD_STREAM_LOCK, ...).
//   gst_mini_object_unref
//                     a buffer's reference count is an atomic in GStreamer:
//                     whoever drops a reference releases, so that what they
//                     did to the buffer happens before what the last holder
//                     does (dispose, return to a pool).
//   gst_buffer_pool_acquire_buffer
//                     GstBufferPool hands a returned buffer to the next
//                     acquirer through a lock-free queue: acquiring acquires
//                     the buffer's releases.
//
// Not covered: GLib's and GStreamer's calls to their own functions, which do
// not go through the PLT (GAsyncQueue inside GThreadPool, unrefs inside
// libgstreamer). What those leave is the libraries' own frees and copies,
// which tests/tsan.supp has TSan ignore.
#if defined(__SANITIZE_THREAD__)

#include <dlfcn.h>
#include <glib.h>
#include <gst/gst.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

namespace {

// The library's own definition of `name`, the next one after this executable's.
template <typename Function>
Function Real(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan_handovers: the real %s not found: %s\n", name, dlerror());
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

}  // namespace

extern "C" {

void g_mutex_lock(GMutex* mutex) {
  static const auto real = Real<void (*)(GMutex*)>("g_mutex_lock");
  real(mutex);
  __tsan_acquire(mutex);
}

gboolean g_mutex_trylock(GMutex* mutex) {
  static const auto real = Real<gboolean (*)(GMutex*)>("g_mutex_trylock");
  const gboolean locked = real(mutex);
  if (locked) __tsan_acquire(mutex);
  return locked;
}

void g_mutex_unlock(GMutex* mutex) {
  static const auto real = Real<void (*)(GMutex*)>("g_mutex_unlock");
  __tsan_release(mutex);
  real(mutex);
}

// The wait unlocks `mutex` inside GLib and locks it again before returning.
void g_cond_wait(GCond* cond, GMutex* mutex) {
  static const auto real = Real<void (*)(GCond*, GMutex*)>("g_cond_wait");
  __tsan_release(mutex);
  real(cond, mutex);
  __tsan_acquire(mutex);
}

gboolean g_cond_wait_until(GCond* cond, GMutex* mutex, gint64 end_time) {
  static const auto real = Real<gboolean (*)(GCond*, GMutex*, gint64)>("g_cond_wait_until");
  __tsan_release(mutex);
  const gboolean signalled = real(cond, mutex, end_time);
  __tsan_acquire(mutex);
  return signalled;
}

void g_rec_mutex_lock(GRecMutex* mutex) {
  static const auto real = Real<void (*)(GRecMutex*)>("g_rec_mutex_lock");
  real(mutex);
  __tsan_acquire(mutex);
}

gboolean g_rec_mutex_trylock(GRecMutex* mutex) {
  static const auto real = Real<gboolean (*)(GRecMutex*)>("g_rec_mutex_trylock");
  const gboolean locked = real(mutex);
  if (locked) __tsan_acquire(mutex);
  return locked;
}

void g_rec_mutex_unlock(GRecMutex* mutex) {
  static const auto real = Real<void (*)(GRecMutex*)>("g_rec_mutex_unlock");
  __tsan_release(mutex);
  real(mutex);
}

void g_rw_lock_writer_lock(GRWLock* lock) {
  static const auto real = Real<void (*)(GRWLock*)>("g_rw_lock_writer_lock");
  real(lock);
  __tsan_acquire(lock);
}

gboolean g_rw_lock_writer_trylock(GRWLock* lock) {
  static const auto real = Real<gboolean (*)(GRWLock*)>("g_rw_lock_writer_trylock");
  const gboolean locked = real(lock);
  if (locked) __tsan_acquire(lock);
  return locked;
}

void g_rw_lock_writer_unlock(GRWLock* lock) {
  static const auto real = Real<void (*)(GRWLock*)>("g_rw_lock_writer_unlock");
  __tsan_release(lock);
  real(lock);
}

void g_rw_lock_reader_lock(GRWLock* lock) {
  static const auto real = Real<void (*)(GRWLock*)>("g_rw_lock_reader_lock");
  real(lock);
  __tsan_acquire(lock);
}

gboolean g_rw_lock_reader_trylock(GRWLock* lock) {
  static const auto real = Real<gboolean (*)(GRWLock*)>("g_rw_lock_reader_trylock");
  const gboolean locked = real(lock);
  if (locked) __tsan_acquire(lock);
  return locked;
}

void g_rw_lock_reader_unlock(GRWLock* lock) {
  static const auto real = Real<void (*)(GRWLock*)>("g_rw_lock_reader_unlock");
  __tsan_release(lock);
  real(lock);
}

// Releases before the count drops: after it the buffer may already be back in
// a pool, or freed.
void gst_mini_object_unref(GstMiniObject* object) {
  static const auto real = Real<void (*)(GstMiniObject*)>("gst_mini_object_unref");
  __tsan_release(object);
  // If this is the last reference: every earlier holder's release. (One that
  // releases between this acquire and our decrement is missed: a window of a
  // few instructions, which would show as a spurious report, never hide one.)
  __tsan_acquire(object);
  real(object);
}

GstFlowReturn gst_buffer_pool_acquire_buffer(GstBufferPool* pool, GstBuffer** buffer,
                                             GstBufferPoolAcquireParams* params) {
  static const auto real = Real<GstFlowReturn (*)(GstBufferPool*, GstBuffer**, GstBufferPoolAcquireParams*)>(
      "gst_buffer_pool_acquire_buffer");
  const GstFlowReturn result = real(pool, buffer, params);
  if (result == GST_FLOW_OK && *buffer != nullptr) __tsan_acquire(*buffer);
  return result;
}

}  // extern "C"

#endif  // __SANITIZE_THREAD__
