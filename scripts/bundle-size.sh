#!/usr/bin/env bash
# Prints the size of each file of the release bundle in dist/, raw and gzip -9, and the totals:
# the first load (index.html and what it links: the app's module and wasm, its snippets, the
# styles) and what the app loads later, on first use (the formats worker, the schema editor).
set -euo pipefail
cd "$(dirname "$0")/../dist"
first_raw=0 first_gz=0 later_raw=0 later_gz=0
printf '%-56s %10s %10s  %s\n' file raw gzip loaded
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  # index.html names (by path from the root) everything the page loads before it runs.
  if [ "$f" = index.html ] || grep -qF "/$f" index.html; then
    when="first load"; first_raw=$((first_raw + raw)); first_gz=$((first_gz + gz))
  else
    when="on first use"; later_raw=$((later_raw + raw)); later_gz=$((later_gz + gz))
  fi
  printf '%-56s %10d %10d  %s\n' "$f" "$raw" "$gz" "$when"
done < <(find . -type f ! -name '.*' | sed 's|^\./||' | sort)
printf '%-56s %10d %10d\n' "first load" "$first_raw" "$first_gz"
printf '%-56s %10d %10d\n' "on first use" "$later_raw" "$later_gz"
