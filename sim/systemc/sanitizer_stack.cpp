// libsystemc 2.3.4 (Debian) announces its coroutine switches to ASan only
// when a thread yields, not when a thread process ends and QuickThreads
// aborts it into the next coroutine. If the kernel returns to the main
// coroutine that way (the last chip's program ends and nothing else is
// left to run), ASan keeps the ended thread's stack as the main thread's
// stack; that stack is freed with its process, and LeakSanitizer's exit-time
// scan of it dies with "Tracer caught signal 11". Which process ends last
// depends on the program, so this hit some runs and not others. Restating
// the real main stack once the kernel has returned makes the exit-time scan
// cover the right memory whatever the kernel did.
#include "sanitizer_stack.h"

#include <pthread.h>

#include <cstddef>

extern "C" {
// Weak: resolved only when the ASan runtime is linked in.
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size)
    __attribute__((weak));
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old) __attribute__((weak));
}

namespace mcusim {

void sanitizer_back_on_main_stack()
{
    if (!__sanitizer_start_switch_fiber || !__sanitizer_finish_switch_fiber) return;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    void *bottom = nullptr;
    size_t size = 0;
    int rc = pthread_attr_getstack(&attr, &bottom, &size);
    pthread_attr_destroy(&attr);
    if (rc != 0 || !bottom || !size) return;
    // A switch to the stack we are already on: ASan records its bounds.
    __sanitizer_start_switch_fiber(nullptr, bottom, size);
    __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
}

} // namespace mcusim
