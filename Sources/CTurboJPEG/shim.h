#ifndef KIOSK_CTURBOJPEG_SHIM_H
#define KIOSK_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
