#!/bin/sh
# The man pages lmo(1) and lmo-check(1): they render without a groff warning, and they name
# every command lmo --help lists and every claim lmo-check --help lists, so that a new
# command or claim cannot be added without its page. Skipped (77) without groff.
. "$(dirname "$0")/lib.sh"
command -v groff >/dev/null 2>&1 || { echo "skipped: groff not installed"; exit 77; }
for page in "$LMO_SRC/cli/lmo.1" "$LMO_SRC/proofs/lmo-check.1"; do
    expect_exit 0 groff -man -Tutf8 -ww -z "$page"
    if [ -s "$T/err" ]; then fail "groff warns on $page: $(head -c 300 "$T/err")"; else ok; fi
done
groff -man -Tutf8 "$LMO_SRC/cli/lmo.1" 2>/dev/null | col -b > "$T/lmo.txt"
"$LMO_BIN" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}' > "$T/commands"
[ -s "$T/commands" ] && ok || fail "lmo --help lists no command"
while read -r c; do
    if grep -qE "^ +$c( |$)" "$T/lmo.txt"; then ok; else fail "lmo(1) has no entry for the command $c"; fi
done < "$T/commands"
groff -man -Tutf8 "$LMO_SRC/proofs/lmo-check.1" 2>/dev/null | col -b > "$T/check.txt"
for claim in rank deep_linear witness bundle; do
    "$LMO_CHECK" --help | grep -q "^  $claim " || fail "lmo-check --help has no claim $claim"
    if grep -qE "^ +$claim( |$)" "$T/check.txt"; then ok; else fail "lmo-check(1) has no entry for the claim $claim"; fi
done
for word in "not verifiable" LMO_MAX_ENTRIES "--version" "standard input"; do
    if grep -qF -- "$word" "$T/check.txt"; then ok; else fail "lmo-check(1) does not mention $word"; fi
done
finish
