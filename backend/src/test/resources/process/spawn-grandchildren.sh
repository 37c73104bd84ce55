#!/bin/sh
# A command that leaves processes behind: a grandchild whose parent has already exited (so it is init's child,
# out of reach of Process.descendants()), and a plain background child. Appends each pid to "$1", then waits.
sh -c 'sleep 1000 & echo $! >> "$1"' spawner "$1"
sleep 1000 &
echo $! >> "$1"
echo $$ >> "$1"
if [ "$2" = exit ]; then
  exit 0
fi
wait
