/* pdeath: arm the parent-death signal without losing a parent that died
 * before it was armed. */
#ifndef VIGIL_PDEATH_H
#define VIGIL_PDEATH_H

#include <sys/types.h>

/* Set sig as vigil's parent-death signal. parent_at_start is getppid()
 * taken as early as possible: if the parent changed since, it died
 * already and sig is sent to ourselves. Returns 0, 1 (sig sent to self)
 * or -errno. */
int pdeath_arm(int sig, pid_t parent_at_start);

#endif
