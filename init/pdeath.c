/* pdeath: the parent-death signal (-p). The kernel only sends it for a
 * parent that dies after prctl, so a parent that died earlier is caught
 * by comparing the parent seen at start with the one after prctl. */
#include "pdeath.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

int pdeath_arm(int sig, pid_t parent_at_start)
{
	if (prctl(PR_SET_PDEATHSIG, sig) < 0)
		return -errno;
	/* From here on a death sends sig; one before it never will. Queue
	 * it ourselves: blocked, it waits in the signalfd and is forwarded
	 * to the child like the kernel's would be. sigqueue, not kill: a
	 * plain self-sent signal is what a failed write raises, and the loop
	 * drops those. */
	if (getppid() == parent_at_start)
		return 0;
	if (sigqueue(getpid(), sig, (union sigval){ .sival_int = 0 }) < 0)
		return -errno;
	return 1;
}
