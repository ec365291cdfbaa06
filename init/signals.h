/* signals: which signals vigil takes over, the signalfd, and the table of
 * names (real-time signals included) used by every parser and message. */
#ifndef VIGIL_SIGNALS_H
#define VIGIL_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Upper bound for signal numbers on Linux (SIGRTMAX is 64). */
#define VIGIL_NSIG 65

/* The real-time range vigil forwards and names, fixed rather than the
 * libc's SIGRTMIN: a musl vigil (SIGRTMIN 35) must still forward 34, which
 * glibc programs and the kill command call SIGRTMIN. 32 and 33 stay out:
 * glibc uses them inside every threaded program. */
#define VIGIL_RTMIN 34
#define VIGIL_RTMAX 64

/* "TERM", "SIGTERM", "sigterm", "15", "RTMIN+2", "SIGRTMAX-1" -> number.
 * Returns the signal number, 0 only for "0" when allow_zero, or -EINVAL. */
int sig_parse(const char *s, int allow_zero);

/* "SIGTERM", "SIGRTMIN+3", or "SIG<n>" for an unnamed number. */
const char *sig_name(int sig, char *buf, size_t len);

/* True for signals that vigil forwards: everything catchable except
 * SIGCHLD, the user-sent faults (SEGV, ABRT...) included. A real fault in
 * vigil still kills it: the kernel forces those through any mask. */
int sig_is_forwarded(int sig);

/* SEGV BUS FPE ILL TRAP ABRT SYS: a kernel-generated one is vigil's own
 * (a fault), only a user-sent one is forwarded. */
int sig_is_fault(int sig);

/* Build the set vigil blocks and reads through the signalfd. */
void sig_takeover_set(sigset_t *set);

/* Reset dispositions of the taken-over signals to SIG_DFL: an inherited
 * SIG_IGN would make the kernel discard them before signalfd sees them.
 * Records which signals were ignored, for sig_prepare_exec. Uses the raw
 * system call where the libc refuses a number (musl: 34). */
void sig_reset_dispositions(void);

/* Pure part, for tests: the SigIgn set in a /proc/PID/status text of len
 * bytes (bit sig-1 for sig). 0, or -EPROTO: no well-formed line found. */
int sig_status_ignored(const char *buf, size_t len, uint64_t *bits);

/* Block set, recording the mask vigil was started with. 0 or -errno. */
int sig_block_takeover(const sigset_t *set);

/* In the child, just before exec. inherit: give back the mask and the
 * ignored signals vigil was started with (tini mode); otherwise an empty
 * mask and no signal ignored, whatever the libc reserves. 0 or -errno. */
int sig_prepare_exec(bool inherit);

#endif
