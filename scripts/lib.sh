# Shared by the scripts: Maven without terminal colour codes. Debian's Maven 3.8 writes ANSI
# resets (ESC[0m) even in batch mode, so its output is filtered.
mvn_plain() {
  mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | sed -u -e 's/\x1b\[[0-9;]*m//g'
}
