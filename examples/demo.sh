#!/bin/sh
# demo: the child vigil runs in the README's first command. It shows the
# three jobs of a PID 1: orphans are reaped, signals sent to PID 1 are
# forwarded here, and the exit status comes back out of vigil.
echo "demo: running as pid $$ under pid $PPID"

# Each inner shell exits at once, so its sleep is orphaned and re-parented
# to PID 1; when the sleeps end, only PID 1 can reap them.
for i in 1 2 3 4 5; do sh -c 'sleep 0.2 & exit 0'; done
sleep 1
zombies=$(grep -l '^State:[[:space:]]*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
echo "demo: 5 orphans exited, zombies left: $zombies"

trap 'echo "demo: got SIGUSR1 through vigil"' USR1
trap 'echo "demo: got SIGTERM through vigil, exiting with 0"; exit 0' TERM
kill -USR1 1
sleep 1 & wait $!
kill -TERM 1
sleep 5 & wait $!
echo "demo: SIGTERM never arrived" >&2
exit 1
