#!/bin/bash
# usage: _rss.sh OUT -- listen args... ; samples the listen process's max RSS
out=$1; shift
"$@" > $out.stdout 2> $out.stderr &
pid=$!
max=0
while kill -0 $pid 2>/dev/null; do
  for p in $pid; do r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); [ -n "$r" ] && [ "$r" -gt "$max" ] && max=$r; done
  sleep 0.2
done
wait $pid; echo "rc=$? maxRSS_kB=$max"
