#ifndef KIOSK_CZBAR_SHIM_H
#define KIOSK_CZBAR_SHIM_H
#include <zbar.h>
#endif
