// AddressSanitizer's view of which stack the main thread runs on, kept right
// across the SystemC kernel's coroutine switches.
#ifndef MCUSIM_SANITIZER_STACK_H
#define MCUSIM_SANITIZER_STACK_H

namespace mcusim {

// Tells AddressSanitizer (when linked in; a no-op otherwise) that the caller
// runs on the main thread's own stack. Call it once sc_start() has returned.
void sanitizer_back_on_main_stack();

} // namespace mcusim

#endif
