# lumo: every build, test and benchmark entry point. `make demo` and `make test` are the
# whole set-up on a fresh Debian machine: `deps` installs what is missing.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
LUMO_CFLAGS := $(WARN) -D_GNU_SOURCE -fPIC -fvisibility=hidden
LDLIBS  := -lz -lpthread -lm
# libzstd is optional (Codex's compressed rollouts, .jsonl.zst): used when zstd.h is there.
# Evaluated by the shell when a recipe runs, so after `deps` has installed it.
ZSTD_CFLAGS = $$(printf '\043include <zstd.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo -DLUMO_HAVE_ZSTD)
ZSTD_LIBS   = $$(printf '\043include <zstd.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo -lzstd)
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE    := $(shell git log -1 --format=%cs 2>/dev/null || echo unknown)
SRC     := $(wildcard ext/*.c)
HDR     := $(wildcard ext/*.h)
DIST    := dist
SO      := $(DIST)/lumo.so
PY      := /usr/bin/python3

.PHONY: all loadable deps deps-test demo test test-asan test-unit fuzz bench bench-scale bench-teams clean docs docs-check install uninstall

all: loadable
loadable: $(SO)

$(SO): $(SRC) $(HDR) $(DIST)/schema_sql.h | $(DIST)
	$(CC) $(CFLAGS) $(LUMO_CFLAGS) $(ZSTD_CFLAGS) -I$(DIST) -DLUMO_COMMIT='"$(COMMIT)"' -DLUMO_DATE='"$(DATE)"' \
	  -shared -o $@ $(SRC) $(LDLIBS) $(ZSTD_LIBS)

# sql/schema.sql and views/*.sql compiled in as C strings, for lumo_sync().
$(DIST)/schema_sql.h: sql/schema.sql $(wildcard views/*.sql) | $(DIST)
	{ echo '/* generated from sql/schema.sql by the Makefile; do not edit */'; \
	  echo 'static const char lumo_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$$/\\n"/' $<; echo ';'; \
	  echo 'static const char lumo_views_sql[] ='; \
	  cat views/*.sql | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$$/\\n"/'; echo ';'; } > $@

$(DIST):
	mkdir -p $(DIST)

# Installs the Debian packages the build (deps) and the tests (deps-test) need, when missing.
deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

demo: deps $(SO)
	@sh scripts/demo.sh

# The whole suite: unit tests of the scanner, golden SQL tests, the same goldens
# under ASan+UBSan, fuzz corpora and regressions, fault injection, TSan over the threaded
# scan and the docs check. Ends with "N passed, N failed".
test: deps-test $(SO)
	@sh tests/run.sh

# Everything under the sanitizers: the goldens, fuzz corpora, fault injection at 150 points
# a kind, TSan, and every Python cross-check with dist/asan/lumo (twice make test's time).
test-asan: deps-test
	@LUMO_ONLY_ASAN=1 LUMO_ASAN_CHECKS=1 FAULT_TRIALS=150 sh tests/run.sh

$(DIST)/asan/lumo.so: $(SRC) $(HDR) $(DIST)/schema_sql.h
	mkdir -p $(DIST)/asan
	$(CC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(LUMO_CFLAGS) $(ZSTD_CFLAGS) -I$(DIST) \
	  -shared -o $@ $(SRC) $(LDLIBS) $(ZSTD_LIBS)

$(DIST)/tsan/lumo.so: $(SRC) $(HDR) $(DIST)/schema_sql.h
	mkdir -p $(DIST)/tsan
	$(CC) -O1 -g -fsanitize=thread $(LUMO_CFLAGS) $(ZSTD_CFLAGS) -I$(DIST) -shared -o $@ $(SRC) $(LDLIBS) $(ZSTD_LIBS)

$(DIST)/test_json: tests/unit/test_json.c $(SRC) $(HDR) $(DIST)/schema_sql.h | $(DIST)
	$(CC) -O1 -g -fsanitize=address,undefined $(WARN) -D_GNU_SOURCE -DSQLITE_CORE $(ZSTD_CFLAGS) -Iext -I$(DIST) -o $@ \
	  tests/unit/test_json.c $(SRC) -lsqlite3 $(LDLIBS) $(ZSTD_LIBS)

# Fault injection (tests/unit/fault.c): lumo's reads wrapped, SQLite's allocator and VFS shimmed.
$(DIST)/fault_host: tests/unit/fault.c $(SRC) $(HDR) $(DIST)/schema_sql.h | $(DIST)
	$(CC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(WARN) -D_GNU_SOURCE -DSQLITE_CORE $(ZSTD_CFLAGS) \
	  -Iext -I$(DIST) -Wl,--wrap=read,--wrap=fread -o $@ tests/unit/fault.c $(SRC) -lsqlite3 $(LDLIBS) $(ZSTD_LIBS)

# The fuzz targets of tests/fuzz/fuzz_sql.c with a plain main(), to replay corpora and findings.
$(DIST)/fuzz_replay: tests/fuzz/fuzz_sql.c tests/fuzz/replay.c $(SRC) $(HDR) $(DIST)/schema_sql.h | $(DIST)
	$(CC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(WARN) -D_GNU_SOURCE -DSQLITE_CORE $(ZSTD_CFLAGS) \
	  -Iext -I$(DIST) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_sql.c $(SRC) -lsqlite3 $(LDLIBS) $(ZSTD_LIBS)

# libFuzzer targets (clang), FUZZ_SECONDS each (FUZZ_TARGETS: a subset; see tests/fuzz/run.sh).
FUZZ_SECONDS ?= 60
fuzz: deps
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: deps $(SO)
	@sh tests/bench/run.sh

# Growth from 100 MB to 10 GB (issue 22): tests/bench/results.md's "Growth" and examples/growth.png.
# Needs ~25 GB free disk for the 10 GB corpus (deleted at the end) and gnuplot for the plot.
bench-scale: $(SO)
	@DEPS_EXTRA=gnuplot-nox sh scripts/deps.sh build
	@/usr/bin/python3 tests/bench/bench_scale.py

# The team ledger at scale: 200 small homes synced, exported and loaded into chdb (issue 23).
bench-teams: deps $(SO)
	@/usr/bin/python3 tests/bench/teams.py

docs:
	$(PY) scripts/gendoc.py --write

docs-check: $(SO)
	$(PY) scripts/gendoc.py --check

clean:
	rm -rf $(DIST)

# `lumo` on PATH ($(PREFIX)/bin), its module in $(PREFIX)/lib/lumo/ and the extension in
# $(PREFIX)/lib, where the installed `lumo` looks for them. The sqlite3 shell's `.load lumo`
# searches the library path: $(PREFIX)/lib for PREFIX=/usr, LD_LIBRARY_PATH for another.
# `make uninstall` with the same PREFIX removes exactly these (and the module's bytecode).
# the lumo command's Python modules, installed beside it
LUMO_MODULES = $(wildcard scripts/lumo_*.py)
PREFIX ?= $(HOME)/.local
install: $(SO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/lumo
	install -m 755 scripts/lumo $(DESTDIR)$(PREFIX)/bin/lumo
	install -m 644 $(LUMO_MODULES) $(DESTDIR)$(PREFIX)/lib/lumo/
	$(PY) -m compileall -q $(DESTDIR)$(PREFIX)/lib/lumo
	install -m 644 $(SO) $(DESTDIR)$(PREFIX)/lib/lumo.so
	@echo "installed $(PREFIX)/bin/lumo and $(PREFIX)/lib/lumo.so"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "add $(PREFIX)/bin to PATH";; esac
	@case "$(PREFIX)" in /usr) ;; *) echo "sqlite3 shell: .load $(PREFIX)/lib/lumo, or .load lumo with LD_LIBRARY_PATH=$(PREFIX)/lib";; esac

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lumo $(DESTDIR)$(PREFIX)/lib/lumo.so \
	  $(addprefix $(DESTDIR)$(PREFIX)/lib/lumo/,$(notdir $(LUMO_MODULES)))
	rm -rf $(DESTDIR)$(PREFIX)/lib/lumo/__pycache__
	-rmdir $(DESTDIR)$(PREFIX)/lib/lumo 2>/dev/null
