#ifndef KIOSK_CSANE_SHIM_H
#define KIOSK_CSANE_SHIM_H
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <signal.h>
#include <sys/prctl.h>

/* kiosk-scan-helper, the process libsane runs in, asks to be killed when kioskd dies.
   prctl is variadic, which Swift cannot call, hence this wrapper. */
static inline int kiosk_sane_helper_dies_with_parent(void) {
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}
#endif
