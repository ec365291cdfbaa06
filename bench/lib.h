/* lib: what every bench driver shares. Starting an init as PID 1 of a
 * fresh PID namespace, bounded waits on pipes and on process exit, clocks,
 * percentiles, and the one result-line format bench/run turns into a table. */
#ifndef BENCH_LIB_H
#define BENCH_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_INITS 16
#define MAX_ARGS 32

/* One init under test: "label=/path/to/init [options]" from the command line. */
struct init_spec {
	const char *label;
	char *argv[MAX_ARGS];
	int argc;
};

/* A process started by ns_spawn(): the init, PID 1 of its own namespace. */
struct nsproc {
	pid_t pid;      /* as seen from the driver's namespace */
	int pidfd;      /* becomes readable when the init exits */
	int to_child;   /* write end of the child's stdin, or -1 */
	int from_child; /* read end of the child's stdout, or -1 */
};

enum { NS_PIPE_IN = 1, NS_PIPE_OUT = 2, NS_MOUNT_PROC = 4 };

_Noreturn void die(const char *what);
_Noreturn void die_msg(const char *fmt, ...);

int parse_inits(int argc, char **argv, struct init_spec *specs);
int build_argv(char **out, size_t cap, const struct init_spec *init,
	       char *const child[]);

int ns_spawn(struct nsproc *p, char *const argv[], int flags);
int ns_wait(struct nsproc *p, int timeout_ms, int *status);
void ns_kill(struct nsproc *p);

int read_timeout(int fd, void *buf, size_t len, int timeout_ms);
void write_all(int fd, const void *buf, size_t len);

int64_t now_ns(void);
void sleep_ms(int ms);
long proc_cpu_ticks(pid_t pid);

void sort_doubles(double *v, size_t n);
double percentile(const double *sorted, size_t n, double p);

void result(const char *metric, const char *label, double value,
	    const char *fmt, ...);

#endif
