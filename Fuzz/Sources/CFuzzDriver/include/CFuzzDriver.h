// libFuzzer's driver, called from each fuzz target's entry point (see FuzzEntry in the targets).
// SwiftPM links an executable with `main` aliased to `<Target>_main`, which a target built with
// -parse-as-library does not define; each target defines it and hands over to libFuzzer here.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
