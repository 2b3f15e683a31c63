#ifndef KIOSK_CSANE_SHIM_H
#define KIOSK_CSANE_SHIM_H
#include <sane/sane.h>
#include <sane/saneopts.h>
#endif
