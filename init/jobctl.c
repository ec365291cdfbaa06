/* jobctl: vigil as a job of a shell, on a terminal. The child becomes the
 * terminal's foreground group when vigil's group is; when job control stops
 * the child vigil stops too, so the shell sees its job stopped, and hands
 * the terminal back when continued; terminal settings the child left
 * changed are put back at exit. */
#include "vigil.h"

#include "log.h"
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static bool have_saved;

/* tcgetattr fails (ENOTTY) unless stdin is a terminal, so have_saved also
 * answers isatty(stdin) for the first child's start without another ioctl. */
void jobctl_init(void)
{
	if (tcgetattr(STDIN_FILENO, &saved) == 0)
		have_saved = true;
}

/* vigil's process group is the foreground group of its controlling
 * terminal on stdin. */
static bool foreground_is_ours(void)
{
	pid_t fg;
	char c;

	if (!have_saved)
		return false;
	fg = tcgetpgrp(STDIN_FILENO);
	if (fg < 0)
		return false; /* not our controlling terminal */
	if (fg > 0)
		return fg == getpgrp();
	/* 0: the foreground group is outside our PID namespace (PID 1 under
	 * unshare), and that may be our own group. With SIGTTIN blocked, as
	 * it is here, a read from a background group fails with EIO instead
	 * of stopping us; a zero-length one in the foreground returns 0 and
	 * takes nothing from the terminal's input. */
	return read(STDIN_FILENO, &c, 0) == 0 || errno != EIO;
}

bool jobctl_take_tty(const struct vigil *v)
{
	const struct options *o = v->opt;

	if (o->setsid || o->same_pgrp)
		return false;
	/* A restarted child finds the dead one's group in the foreground,
	 * not ours: it takes the terminal back all the same. Not taking it
	 * from the background keeps `vigil -- cmd &` from stealing the
	 * terminal of the shell that started it. */
	return v->tty_given || foreground_is_ours();
}

/* vigil is a job of an interactive shell: stdin is its controlling
 * terminal and its parent is in its session, so its group is not orphaned
 * and someone is there to continue it once stopped. */
static bool in_shell_job(void)
{
	pid_t sid = getsid(0), ppid = getppid();

	return isatty(STDIN_FILENO) && sid > 0 && tcgetsid(STDIN_FILENO) == sid &&
	       ppid > 0 && getsid(ppid) == sid;
}

static void trace_pid_sig(const char *event, pid_t pid, int sig)
{
	char name[16];
	struct trace_field f[2] = {
		{ "pid", NULL, pid },
		{ "signal", sig_name(sig, name, sizeof(name)), 0 },
	};

	trace_event(event, f, sig ? 2 : 1);
}

static void stop_self(pid_t who)
{
	struct trace_field f = { "group", who == 0 ? "yes" : "no", 0 };

	trace_event("stopping_self", &f, 1);
	if (kill(who, SIGSTOP) < 0)
		log_errno(errno, "stop vigil after its child stopped");
}

void jobctl_child_changed(struct vigil *v, int status)
{
	bool forwarded = v->stop_forwarded;

	if (WIFCONTINUED(status)) {
		v->child_stopped = false;
		trace_pid_sig("child_continued", v->child, 0);
		return;
	}
	v->child_stopped = true;
	v->stop_forwarded = false;
	trace_pid_sig("child_stopped", v->child, WSTOPSIG(status));
	/* PID 1 cannot be stopped, and nobody would continue it. */
	if (getpid() == 1)
		return;
	/* Someone stopped vigil itself (dumb-init's rule): only vigil
	 * follows. Otherwise the terminal stopped the child's group; had our
	 * group been in the foreground it would have stopped the whole job,
	 * pipeline partners included, so that is what stops now. */
	if (forwarded)
		v->stop_due = STOP_DUE_SELF;
	else if (in_shell_job())
		v->stop_due = STOP_DUE_GROUP;
}

/* Not in the middle of a batch: signals read with the child's SIGCHLD (the
 * terminal's own TSTP among them) must be passed on before vigil stops, or
 * one would reach the child after fg continued it and stop it again. The
 * SIGCONT that continues the job discards what is then still pending. */
void jobctl_stop_if_due(struct vigil *v)
{
	bool group = v->stop_due == STOP_DUE_GROUP;

	if (v->stop_due == STOP_DUE_NONE)
		return;
	v->stop_due = STOP_DUE_NONE;
	stop_self(group ? 0 : getpid());
}

/* The child's group was stopped by job control: vigil was continued (fg
 * or bg), so the whole group continues, with the terminal if it is ours. */
static void continue_child(struct vigil *v)
{
	const struct options *o = v->opt;
	pid_t target = o->same_pgrp ? v->child : -v->child;

	if (!o->setsid && !o->same_pgrp && foreground_is_ours()) {
		/* SIGTTOU is blocked: this works from the background too. */
		if (tcsetpgrp(STDIN_FILENO, v->child) == 0)
			v->tty_given = true;
		else if (errno != EPERM && errno != ESRCH)
			log_errno(errno, "give the terminal back to the child's group %d", (int)v->child);
	}
	/* The child may have left its group; it is still ours. */
	if (kill(target, SIGCONT) < 0) {
		if (errno != ESRCH || kill(v->child, SIGCONT) < 0) {
			if (errno != ESRCH)
				log_errno(errno, "continue the child %d", (int)target);
			return;
		}
		target = v->child;
	}
	{
		char name[16];
		struct trace_field f[2] = {
			{ "signal", sig_name(SIGCONT, name, sizeof(name)), 0 },
			{ "to", NULL, target },
		};

		trace_event("signal_forwarded", f, 2);
	}
}

bool jobctl_on_signal(struct vigil *v, int sig)
{
	if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		if (v->child && options_target(v->opt, sig))
			v->stop_forwarded = true;
		return false;
	}
	if (sig != SIGCONT)
		return false;
	v->stop_forwarded = false;
	if (!v->child || !v->child_stopped || options_target(v->opt, SIGCONT) != SIGCONT)
		return false;
	continue_child(v);
	return true;
}

static bool same_termios(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
	       a->c_lflag == b->c_lflag && memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) == 0 &&
	       cfgetispeed(a) == cfgetispeed(b) && cfgetospeed(a) == cfgetospeed(b);
}

void jobctl_restore(const struct vigil *v)
{
	struct termios now;
	pid_t fg;
	bool childs;

	if (!have_saved)
		return;
	/* Only a terminal still held by us or our child: a shell that ran us
	 * in the background may have given it to another job since, whose
	 * settings are its own. */
	fg = tcgetpgrp(STDIN_FILENO);
	childs = v->tty_given && fg > 0 && fg == v->last_child;
	if (!childs && !foreground_is_ours())
		return;
	/* SIGTTOU is blocked: both calls work from the background too. */
	if (tcgetattr(STDIN_FILENO, &now) == 0 && !same_termios(&now, &saved) &&
	    tcsetattr(STDIN_FILENO, TCSANOW, &saved) < 0)
		log_errno(errno, "restore the terminal settings");
	/* As a shell does when its job ends: the terminal goes back to our
	 * group, so what runs after us there (a script) is not stopped for
	 * reading it. Under unshare our group has no number here: the shell
	 * outside takes it back itself. */
	if (childs && getpgrp() > 0 && tcsetpgrp(STDIN_FILENO, getpgrp()) < 0 && errno != EIO && errno != ENOTTY)
		log_errno(errno, "take the terminal back from the child's group");
}
