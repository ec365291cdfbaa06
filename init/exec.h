/* exec: run the command the way execvp searches PATH, but never hand a
 * file the kernel refuses (ENOEXEC) to /bin/sh, whatever the libc. */
#ifndef VIGIL_EXEC_H
#define VIGIL_EXEC_H

/* PATH when the environment has none (musl's, a superset of glibc's). */
#define VIGIL_DEFAULT_PATH "/usr/local/bin:/bin:/usr/bin"

/* Replaces the process with argv[0] (searched in PATH when it has no '/').
 * Returns only on failure, with -errno: -ENOENT when not found anywhere,
 * -EACCES when some candidate was refused and none ran, -ENOEXEC for a
 * file of unknown format. Async-signal-safe: runs between fork and exec. */
int exec_command(char *const argv[]);

#endif
