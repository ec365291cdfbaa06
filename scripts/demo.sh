#!/usr/bin/env bash
# demo: the README's first command. Builds vigil and runs examples/demo.sh
# under it as PID 1 of a new PID namespace, with the signal/reap trace on.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
set +e
unshare --pid --fork --mount-proc build/vigil --trace -- examples/demo.sh
rc=$?
echo "vigil exited with status $rc"
exit $rc
