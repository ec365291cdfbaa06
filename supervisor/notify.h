/* notify: readiness for the runtime over the sd_notify datagram protocol.
 * READY=1 once the service is up, STOPPING=1 once its stop begins, sent
 * to $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Pure: $NOTIFY_SOCKET's value -> address and its length. 0, or -EINVAL
 * (empty, relative, a lone "@") or -ENAMETOOLONG. */
int notify_parse_addr(const char *s, struct sockaddr_un *addr, socklen_t *len);

/* At start, before the first child: take $NOTIFY_SOCKET for vigil and
 * remove it from the environment, so the child does not receive it (vigil
 * speaks for it). Without the variable, or with a bad one, a warning and
 * every later send does nothing. */
void notify_init(void);

/* Send READY=1 (with STATUS naming the command). Only the first call of
 * vigil's life sends: the health work calls it on the first healthy
 * probe, the supervisor at exec when no probe is set. Never blocks; a
 * failure is one warning. */
void notify_ready(const char *command);

/* Send STOPPING=1, once; same rules. */
void notify_stopping(void);

#endif
