#ifndef KIOSK_CPCAUDIO_SHIM_H
#define KIOSK_CPCAUDIO_SHIM_H
#include <pcaudiolib/audio.h>
#endif
