#ifndef KIOSK_CEVDEV_SHIM_H
#define KIOSK_CEVDEV_SHIM_H
#include <libevdev/libevdev.h>
#include <fcntl.h>
#endif
