// Whether this test binary was built with ThreadSanitizer (--config=tsan).
// TSan slows every instrumented access several times over and serialises
// threads on its own locks, so what a test promises about speed (a rate kept,
// a pipeline that keeps up with a pool) says nothing there; what it promises
// about order and counts still holds.
#pragma once

namespace rxbench::tests {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif
#else
inline constexpr bool kUnderTsan = false;
#endif

}  // namespace rxbench::tests
