#!/usr/bin/env bash
# checksec: prove from the ELF file alone that the binary got the hardening
# meson.build asks for, as checksec(1) would report it. Usage:
#   checksec.sh BINARY KIND FORTIFY
# KIND dynamic: PIE, full RELRO (GNU_RELRO + BIND_NOW), stack canary,
# non-executable stack, no text relocations; FORTIFY 1 adds *_chk calls.
# KIND static: only the non-executable stack (the static core keeps its
# size; see meson.build).
set -u
bin=$1 kind=$2 fortify=$3
PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1: $2"; }

command -v readelf >/dev/null || { echo "# skip: readelf missing (binutils)"; exit 77; }
hdr=$(readelf -hW "$bin") || { echo "not ok - readelf $bin"; exit 1; }
phdr=$(readelf -lW "$bin")
stack=$(printf '%s\n' "$phdr" | awk '$1 == "GNU_STACK" {print $(NF - 1)}')
case $stack in
	*E*) fail stack_not_executable "GNU_STACK flags '$stack'" ;;
	"") fail stack_not_executable "no GNU_STACK header: the loader's default may be executable" ;;
	*) ok stack_not_executable ;;
esac

if [ "$kind" = static ]; then
	echo "# totals: $PASSED ok, $FAILED not ok"
	[ "$FAILED" -eq 0 ]
	exit
fi

dyn=$(readelf -dW "$bin")
syms=$(readelf --dyn-syms -W "$bin" | awk '$7 == "UND" {print $8}' | sed 's/@.*//')

if printf '%s\n' "$hdr" | grep -Eq '^ *Type: +DYN' && printf '%s\n' "$phdr" | grep -q INTERP; then
	ok position_independent_executable
else
	fail position_independent_executable "$(printf '%s\n' "$hdr" | grep 'Type:')"
fi
if printf '%s\n' "$phdr" | grep -q GNU_RELRO; then
	ok relro_segment
else
	fail relro_segment "no GNU_RELRO program header"
fi
if printf '%s\n' "$dyn" | grep -Eq '\(FLAGS\) +.*BIND_NOW|\(FLAGS_1\) +Flags:.* NOW' ||
   printf '%s\n' "$dyn" | grep -q '(BIND_NOW)'; then
	ok bind_now_full_relro
else
	fail bind_now_full_relro "no BIND_NOW / FLAGS_1 NOW: the GOT stays writable"
fi
if printf '%s\n' "$dyn" | grep -q TEXTREL; then
	fail no_text_relocations "TEXTREL in the dynamic section"
else
	ok no_text_relocations
fi
if printf '%s\n' "$syms" | grep -qx __stack_chk_fail; then
	ok stack_protector
else
	fail stack_protector "__stack_chk_fail is not referenced"
fi
if [ "$fortify" = 1 ]; then
	chk=$(printf '%s\n' "$syms" | grep -E '^__.*_chk$' | grep -vx __stack_chk_fail | tr '\n' ' ')
	if [ -n "$chk" ]; then
		ok "fortify_source ($chk)"
	else
		fail fortify_source "no __*_chk function is referenced"
	fi
fi
echo "# totals: $PASSED ok, $FAILED not ok"
[ "$FAILED" -eq 0 ]
