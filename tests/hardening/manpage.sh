#!/usr/bin/env bash
# manpage: doc/vigil.1 cannot silently go stale. Every long and short option
# of the three front-ends' tables, every option --help prints, every
# environment variable the sources read, every exit code vigil owns, every
# key and reason of the JSON report must appear in it; and groff (and man,
# when installed) must render it without a single warning. Usage:
#   manpage.sh SOURCE_ROOT VIGIL_BINARY VERSION
set -u
src=$1 vigil=$2 version=$3
page=$src/doc/vigil.1
PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1: $2"; }

# count_is WHAT EXPECTED FOUND: a parse of the sources that found fewer
# items than they hold fails, instead of checking a part of them.
count_is() {
	[ "$2" -eq "$3" ] || fail "$1" "the sources hold $2, the test read $3: fix its patterns"
}

# The page as plain words: roff's \- is a minus sign, font escapes go.
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(..//g' "$page")
# section NAME: the page's text from ".SH NAME" to the next .SH
section() {
	printf '%s\n' "$text" | awk -v s="$1" '/^\.SH / { on = ($0 == ".SH " s) ; next } on'
}

# has_all WHAT TEXT ITEM...: ok when every ITEM is a word of TEXT.
has_all() {
	local what=$1 hay=$2 missing=() i
	shift 2
	[ $# -gt 0 ] || { fail "$what" "found nothing to look for in the sources"; return; }
	for i in "$@"; do
		printf '%s\n' "$hay" | grep -Eq -- "(^|[^[:alnum:]_-])$i([^[:alnum:]_-]|\$)" || missing+=("$i")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ok "$what ($# checked)"
	else
		fail "$what" "missing from doc/vigil.1: ${missing[*]}"
	fi
}

# Long options: every name in a `struct option` table of the front-ends.
mapfile -t longs < <(awk '/^[\t ]*static const struct option [a-z_]+\[\] = \{/ { on = 1 } on && /\{ *"/ { print } on && /^\t*\};/ { on = 0 }' \
	"$src"/init/*.c | sed -n 's/.*{ *"\([^"]*\)".*/--\1/p' | sort -u)
has_all man_page_lists_every_long_option "$text" "${longs[@]}"

# Short options: the letters of every getopt_long option string.
mapfile -t shorts < <(grep -ho 'getopt_long([^"]*"[^"]*"' "$src"/init/*.c |
	sed 's/.*"\(.*\)"/\1/' | tr -d '+:' | fold -w1 | sort -u | sed 's/^/-/')
has_all man_page_lists_every_short_option "$text" "${shorts[@]}"

# What --help prints must be there too (a usage line added without a table
# entry, or the other way round, shows up in one of the two checks).
mapfile -t helped < <("$vigil" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
has_all man_page_lists_every_option_of_help "$text" "${helped[@]}"

# Environment variables read anywhere in the sources.
mapfile -t envs < <(grep -rhoE '(getenv|options_env_true|options_env_set|parse_verbosity_env)\([^")]*"[A-Z_]+"' \
	"$src/init" "$src/supervisor" | sed 's/.*"\(.*\)"/\1/' | sort -u)
has_all man_page_lists_every_environment_variable "$(section ENVIRONMENT)" "${envs[@]}"

# Exit codes vigil owns (a define may end in a comment).
mapfile -t codes < <(sed -En 's/^#define EXIT_[A-Z_]+[[:space:]]+([0-9]+)([[:space:]].*)?$/\1/p' \
	"$src/init/vigil.h" | sort -u)
count_is man_page_lists_every_exit_code "$(grep -cE '^#define EXIT_[A-Z_]+[[:space:]]' "$src/init/vigil.h")" \
	"$(sed -En 's/^#define EXIT_[A-Z_]+[[:space:]]+([0-9]+)([[:space:]].*)?$/\1/p' "$src/init/vigil.h" | wc -l)"
has_all man_page_lists_every_exit_code "$(section 'EXIT STATUS')" "${codes[@]}"

# Keys of the JSON report, whatever the writer's variable is called (&j
# in the main writer, j in the helpers it calls).
mapfile -t keys < <(grep -hoE 'json_[a-z_]+\(&?[a-z_]+, *"[a-z_]+"' "$src/supervisor/report.c" |
	sed 's/.*"\(.*\)"/\1/' | sort -u)
count_is man_page_lists_every_report_key "$(grep -oE 'json_[a-z_]+\([^)]*"[a-z_]+"' "$src/supervisor/report.c" |
	grep -vE '^json_(begin|end|escape)' | sed 's/.*"\(.*\)"/\1/' | sort -u | wc -l)" "${#keys[@]}"
has_all man_page_lists_every_report_key "$(section 'EXIT REPORT')" "${keys[@]}"
# Reasons: the start failures' table, what a function named *reason
# returns, and every literal assigned to a reason field, in any file.
mapfile -t reasons < <({ grep -hoE '\{ *EXIT_[A-Z_]+, *"[a-z_]+" *\}' "$src/init/failure.c"
	awk '/^[a-z].*reason\(/ { on = 1 } on && /return "[a-z_]+";/ { print } /^}/ { on = 0 }' "$src"/supervisor/*.c
	grep -hoE '(\.|->)reason = "[a-z_]+"' "$src"/init/*.c "$src"/supervisor/*.c; } |
	sed 's/.*"\(.*\)".*/\1/' | sort -u)
has_all man_page_lists_every_report_reason "$(section 'EXIT REPORT')" "${reasons[@]}"

# Subcommands of the native front-end (argv[1] compared to a word) are
# in the synopsis.
mapfile -t subs < <(grep -hoE 'strcmp\(argv\[1\], "[a-z]+"\)' "$src"/init/*.c | sed 's/.*"\(.*\)".*/\1/' | sort -u)
has_all man_page_lists_every_subcommand "$(section SYNOPSIS)" "${subs[@]}"

if grep -q "^\.TH VIGIL 1 .*\"vigil $version\"" "$page"; then
	ok man_page_names_this_version
else
	fail man_page_names_this_version "the .TH line does not say \"vigil $version\""
fi

# Rendering: groff's warnings (-ww) go to stderr; so do man's (--warnings).
if command -v groff >/dev/null; then
	w=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
	if [ -z "$w" ]; then ok groff_renders_without_warnings; else fail groff_renders_without_warnings "$w"; fi
else
	fail groff_renders_without_warnings "groff is not installed (groff-base)"
fi
if command -v man >/dev/null; then
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	if [ -z "$w" ]; then ok man_renders_without_warnings; else fail man_renders_without_warnings "$w"; fi
else
	echo "# man (man-db) not installed: only groff checked"
fi
echo "# totals: $PASSED ok, $FAILED not ok"
[ "$FAILED" -eq 0 ]
