#ifndef KIOSK_CCUPS_SHIM_H
#define KIOSK_CCUPS_SHIM_H
#include <cups/cups.h>
#include <cups/ipp.h>
#endif
