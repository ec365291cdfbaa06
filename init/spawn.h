/* spawn: fork and exec the command with a clean signal state, reporting
 * every failure in the child back to the parent through a CLOEXEC pipe. */
#ifndef VIGIL_SPAWN_H
#define VIGIL_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

enum spawn_stage {
	STAGE_NONE = 0,
	STAGE_SETUP,      /* setpgid, setsid, tcsetpgrp, sigprocmask ... */
	STAGE_PRIV,       /* privilege drop (supervisor) */
	STAGE_PREFLIGHT,  /* /tmp checks failed with --preflight fail */
	STAGE_SECCOMP,    /* loading the seccomp filter */
	STAGE_EXEC,       /* exec itself */
	STAGE_RLIMIT,     /* setrlimit of an --rlimit (supervisor) */
};

#define SPAWN_LISTEN_PID_PREFIX "LISTEN_PID="
#define SPAWN_LISTEN_PID_LEN (sizeof(SPAWN_LISTEN_PID_PREFIX) + 20)

/* Fits in one pipe write (< PIPE_BUF) so it arrives whole or not at all. */
struct spawn_error {
	int stage;
	int err;            /* errno value */
	char what[240];     /* what was attempted, e.g. "setgroups" */
};

/* Runs in the child after fork, before exec. Returns 0, or -1 with *e filled.
 * Must only use async-signal-safe calls plus what the parent prepared. */
typedef int (*spawn_hook)(void *ctx, struct spawn_error *e);

struct spawn_cfg {
	char *const *argv;
	bool new_pgrp;      /* make the child a process-group leader */
	bool new_session;   /* setsid (dumb-init style), takes the tty if any */
	bool no_ctty;       /* with new_session: take no terminal (probes) */
	bool take_tty;      /* give the terminal's foreground to the child's group */
	bool inherit_signals; /* child gets vigil's inherited mask and SIG_IGNs (tini) */
	const char *cwd;    /* chdir here before exec; NULL: keep vigil's */
	/* Socket activation: the child points *listen_pid_slot (its environ
	 * entry) at listen_pid, a buffer starting "LISTEN_PID=" with room for
	 * the child's pid, which it writes there. NULL: leave it. */
	char **listen_pid_slot;
	char *listen_pid;
	spawn_hook hook;
	void *hook_ctx;
	/* With a hook only: do not wait for the exec (a health probe must
	 * not cost vigil a wake). *exec_status gets the read end of the
	 * exec-status pipe, non-blocking and close-on-exec, for
	 * spawn_read_status once the child is reaped. NULL: wait. */
	int *exec_status;
};

/* 0 on success with *pid set; -1 with *e filled when fork failed or the
 * child reported a failure before exec (the child is reaped then). */
int spawn_child(const struct spawn_cfg *cfg, pid_t *pid, struct spawn_error *e);

/* After the child of an exec_status spawn was reaped: 1 with *e filled
 * when it failed before its exec, else 0. Closes fd. */
int spawn_read_status(int fd, struct spawn_error *e);

/* Exit code vigil uses for a failed spawn stage (126, 127, 77, 78, ...). */
int spawn_error_exit_code(const struct spawn_error *e);

#endif
