#!/bin/sh
# deps.sh: installs the Debian packages lumo's build, demo and tests need, when they are
# missing (called by `make deps` and `make deps-test`, which `make demo` and `make test` run first).
# As root it runs apt-get update and apt-get install and says what it installs; as
# another user it prints the command to run instead. Extra packages: DEPS_EXTRA.
set -u
# `deps.sh build` (make, make demo): what building and syncing need; `deps.sh test`
# (make test): also the sanitizer/valgrind tools and the real clients the tests drive
# (unixODBC with the SQLite ODBC driver, Chromium for the Datasette page, python3-venv).
# libzstd-dev: optional for the build (Codex's compressed rollouts); installed so they are read.
want="gcc make libc6-dev libsqlite3-dev zlib1g-dev libzstd-dev sqlite3 python3"
if [ "${1:-build}" = test ]; then
  want="$want clang valgrind time python3-venv unixodbc libsqliteodbc chromium zstd locales"
fi
# Node.js and npm run the OpenTelemetry JS SDK of the end-to-end OTLP test; any node on
# PATH will do (Debian's nodejs 18.19 is new enough).
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null 2>&1; then
  want="$want nodejs npm"
fi
want="$want ${DEPS_EXTRA:-}"
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# tests/check_locale.py runs lumo in a comma-decimal locale: de_DE.UTF-8 is generated
# (as root, after the packages) when the system does not have it.
need_locale() {
  [ "${1:-build}" = test ] && ! locale -a 2>/dev/null | grep -qix 'de_DE.utf-\{0,1\}8'
}
make_locale() {
  need_locale "$@" || return 0
  if [ "$(id -u)" = 0 ]; then
    echo "lumo deps: generating the de_DE.UTF-8 locale" >&2
    localedef -i de_DE -f UTF-8 de_DE.UTF-8 >&2 || { echo "lumo deps: localedef failed" >&2; return 1; }
  else
    echo "lumo deps: missing the de_DE.UTF-8 locale; run:" >&2
    echo "  sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8" >&2
    return 1
  fi
}
if [ -z "$missing" ]; then make_locale "$@"; exit $?; fi
if [ "$(id -u)" = 0 ]; then
  echo "lumo deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 || {
    echo "lumo deps: apt-get install$missing failed" >&2
    exit 1
  }
  make_locale "$@" || exit 1
else
  echo "lumo deps: missing$missing; run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
