/* vigil: the run-time state shared by the event loop, the child spawner
 * and the optional supervisor extension. */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/types.h>

#include "options.h"
#include "spawn.h"

/* Exit codes owned by vigil itself (the child's own status passes through). */
#define EXIT_USAGE 64
#define EXIT_DEP_TIMEOUT 68          /* sysexits' EX_NOHOST: a dependency never answered */
#define EXIT_UNHEALTHY 69            /* sysexits' EX_UNAVAILABLE: the service stopped serving */
#define EXIT_RESTART_REFUSED 75
#define EXIT_PRIV_FAILED 77
#define EXIT_PREFLIGHT_FAILED 78
#define EXIT_INTERNAL 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

struct vigil;

/* Most fds an extension adds to the poll set (timerfd, a probe's output). */
#define LOOP_EXT_FDS 2

/* Hooks the supervisor plugs into the loop; the core runs without them. */
struct loop_ext {
	/* Fill fds (fd and events) with at most LOOP_EXT_FDS; returns how many. */
	int (*poll_fds)(struct vigil *v, struct pollfd *fds);
	/* After poll: the same fds with their revents. */
	void (*on_fds)(struct vigil *v, const struct pollfd *fds, int n);
	/* true: the signal was taken care of (held, or acted on) */
	bool (*on_signal)(struct vigil *v, const struct signalfd_siginfo *si);
	void (*on_forwarded)(struct vigil *v, int sig);
	void (*on_child_exit)(struct vigil *v);
	/* true: the extension's own process (a probe), not a stray zombie */
	bool (*on_reaped)(struct vigil *v, pid_t pid, int status);
	/* after each reaping pass; no_children: waitpid said ECHILD */
	void (*after_reap)(struct vigil *v, bool no_children);
};

struct vigil {
	const struct options *opt;
	int sfd;                     /* signalfd of the taken-over signals */
	pid_t child;                 /* main child while not reaped, else 0 */
	pid_t last_child;            /* pid of the latest main child, for reports */
	int child_status;            /* wait status of the last main child */
	bool child_ran;              /* a main child was started at least once */
	bool tty_given;              /* the first child got the terminal: so do restarts */
	bool child_stopped;          /* the main child is stopped (seen with WUNTRACED) */
	bool stop_forwarded;         /* a TSTP, TTIN or TTOU was forwarded since the last CONT */
	/* a stop decided while signals were being read, done after them */
	enum { STOP_DUE_NONE = 0, STOP_DUE_SELF, STOP_DUE_GROUP } stop_due;
	bool cwd_left;               /* vigil moved to "/"; restarts go back to cwd */
	char cwd[PATH_MAX];          /* the working directory vigil was started in */
	bool stop;                   /* leave the loop with exit_code */
	int exit_code;
	unsigned long reaped;        /* every process reaped, main included */
	struct signalfd_siginfo term_sig; /* last terminating signal received */
	bool have_term_sig;
	const struct loop_ext *ext;
	void *ext_state;
};

/* Wait status -> vigil exit code: the code or 128+N, then 0 when that
 * final code is remapped. */
int status_exit_code(int status, const bool remap[256]);

/* Reap every zombie until waitpid says 0 or ECHILD. Returns the count. */
unsigned long reap_all(struct vigil *v);

/* Send sig to the main child (or its group) if it is still unreaped.
 * Returns 0, or -errno from kill. */
int forward_signal(struct vigil *v, int sig);

/* Start the main child from v->opt. 0 on success; otherwise an exit code
 * after printing one line, with *e describing the failure. */
int child_start(struct vigil *v, spawn_hook hook, void *hook_ctx, struct spawn_error *e);

/* The one line a failed start prints; returns its exit code. */
int child_report_failure(const struct spawn_error *e);

/* Does a LISTEN_PID value name vigil itself (the socket-activation fds
 * are then its command's)? */
bool child_listen_pid_is_ours(const char *value);

/* jobctl: the terminal and shell job control. */
/* At start: remember the terminal's settings (stdin a terminal). */
void jobctl_init(void);
/* Whether the next child should become the terminal's foreground group. */
bool jobctl_take_tty(const struct vigil *v);
/* The main child stopped or continued (a WUNTRACED/WCONTINUED status). */
void jobctl_child_changed(struct vigil *v, int status);
/* Called for each received signal; true: taken care of, do not forward. */
bool jobctl_on_signal(struct vigil *v, int sig);
/* After a batch of signals: the stop jobctl_child_changed decided on. */
void jobctl_stop_if_due(struct vigil *v);
/* At exit: put back the terminal settings the child left changed, and
 * take the terminal back from the child's group. */
void jobctl_restore(const struct vigil *v);
/* Move vigil to "/" so it pins no mount, remembering where it was for
 * later children. Failures are logged; vigil then stays where it is. */
void child_leave_cwd(struct vigil *v);

/* Run until v->stop. Returns 0, or an exit code on internal failure. */
int loop_run(struct vigil *v);

#endif
