/* supervise: supervisor mode's entry point, run instead of the core's
 * plain spawn-and-loop when any supervisor flag was given. */
#ifndef VIGIL_SUPERVISE_H
#define VIGIL_SUPERVISE_H

#include "vigil.h"

/* Returns vigil's exit code. */
int supervise_run(struct vigil *v);

#endif
