# suivi — see README.md.  `make run` and `make test` are the two commands a
# newcomer needs; both install missing Debian packages first (tools/deps).

# Builds use every core unless the caller chose (make -jN): `make test` compiles the
# sanitizer build, some 130 files, before its tests; one at a time that was a minute and a
# half of the run on two cores.
ifeq ($(filter -j% --jobs%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DOCDIR    = $(PREFIX)/share/doc/suivi
CC       ?= cc
PORT     ?= 8080
DB       ?= suivi.db

# libxml2 reads and checks IATI files (src/formats/iati_parse.c).
# The pkg-config flags are read when first used (the lazy-once idiom), not when make
# starts: on a fresh machine the packages come with tools/deps, which every object
# waits for (| deps below).
XML_CFLAGS = $(eval XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null))$(XML_CFLAGS)
# cairo and pango draw PDFs, libqrencode their QR codes (src/formats/pdf.c); their
# headers are system headers (glib's do not pass our warnings).
PDF_CFLAGS = $(eval PDF_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags pangocairo libqrencode 2>/dev/null)))$(PDF_CFLAGS)
# libpq, libxml2, cairo, pango and libqrencode are not linked: loaded when first
# needed (src/core/lazylib.h)
LIBS      = -lmicrohttpd -ljansson -lsqlite3 -lsodium -lnettle -lxlsxwriter -lminizip -ldl -lpthread -lm
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-missing-field-initializers -Wformat=2 -Wno-format-nonliteral
# Each layer's folder is on the include path: a file includes "buf.h", and
# tools/layers checks that no file includes a header of a layer above its own.
LAYERS    = core registry formats store domain http pages report serve cmd
BASEFLAGS = -std=c11 $(WARN) $(LAYERS:%=-Isrc/%) -I/usr/include/postgresql $(XML_CFLAGS) $(PDF_CFLAGS) -DSUIVI_VERSION='"$(VERSION)"'
RELFLAGS  = -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
# The test build runs under AddressSanitizer and UndefinedBehaviorSanitizer, and
# hashes passwords at Argon2id's minimum cost (src/domain/auth.c: PWHASH_OPS).
SANFLAGS  = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer -DSUIVI_TEST_PWHASH

SRC       = $(sort $(wildcard $(LAYERS:%=src/%/*.c)))
# The program's own command files (src/cmd: main.c, cmd_*.c) are not
# linked into the unit tests and fuzzers.
CLISRC    = $(wildcard src/cmd/*.c)
LIBSRC    = $(filter-out $(CLISRC),$(SRC))
HDR       = $(wildcard $(LAYERS:%=src/%/*.h))
PO        = $(wildcard po/*.po)
MO        = $(PO:po/%.po=build/po/%.mo)
ASSETS    = $(sort $(wildcard static/*)) data/countries.json data/themes.json data/demo.json data/demo-training.json data/demo-needs.json data/demo-programmes.json $(MO)
UNIT      = $(sort $(wildcard tests/unit/test_*.c))

.PHONY: all run test unit http deps bench fuzz install uninstall clean check-po screenshots

all: build/suivi

deps:
	@tools/deps

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O1 -o $@ $<

build/po/%.mo: po/%.po
	@mkdir -p build/po
	msgfmt --check -o $@ $<

build/assets.c: build/embed $(ASSETS)
	build/embed $@ $(ASSETS)

# The shapes of the map of Africa (src/formats/map.c): Natural Earth via the npm package
# world-atlas, converted to C at build time (tools/gen-map.mjs); nothing is
# fetched at run time.  npm ci leaves node_modules/.package-lock.json behind.
MAP_NPM   = tools/map/node_modules/.package-lock.json
$(MAP_NPM): tools/map/package.json tools/map/package-lock.json
	npm ci --prefix tools/map --no-audit --no-fund --loglevel=error
	@touch $@
build/map_shapes.c: tools/gen-map.mjs data/countries.json $(MAP_NPM)
	@mkdir -p build
	node tools/gen-map.mjs > $@.tmp
	mv $@.tmp $@

# Objects per build flavour: build/rel (optimised) and build/test (sanitizers).
REL_OBJ   = $(SRC:src/%.c=build/rel/%.o) build/rel/assets.o build/rel/map_shapes.o
TEST_OBJ  = $(LIBSRC:src/%.c=build/test/%.o) build/test/assets.o build/test/map_shapes.o

build/rel/%.o: src/%.c $(HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(RELFLAGS) -c -o $@ $<
build/rel/assets.o: build/assets.c src/core/assets.h
	@mkdir -p build/rel
	$(CC) $(BASEFLAGS) $(RELFLAGS) -c -o $@ $<
build/rel/map_shapes.o: build/map_shapes.c src/formats/map_shapes.h
	@mkdir -p build/rel
	$(CC) $(BASEFLAGS) $(RELFLAGS) -c -o $@ $<
build/test/%.o: src/%.c $(HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -c -o $@ $<
build/test/assets.o: build/assets.c src/core/assets.h
	@mkdir -p build/test
	$(CC) $(BASEFLAGS) $(SANFLAGS) -c -o $@ $<
build/test/map_shapes.o: build/map_shapes.c src/formats/map_shapes.h
	@mkdir -p build/test
	$(CC) $(BASEFLAGS) $(SANFLAGS) -c -o $@ $<

build/suivi: $(REL_OBJ)
	$(CC) $(RELFLAGS) -o $@ $(REL_OBJ) $(LIBS)

TEST_CLI  = $(CLISRC:src/%.c=build/test/%.o)
build/test/suivi: $(TEST_OBJ) $(TEST_CLI)
	$(CC) $(SANFLAGS) -o $@ $(TEST_OBJ) $(TEST_CLI) $(LIBS)

build/test/unit_%: tests/unit/test_%.c $(TEST_OBJ)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -Wno-missing-prototypes -o $@ $< $(TEST_OBJ) $(LIBS) -lcmocka

run: deps build/suivi
	@test -f $(DB) || build/suivi demo --db $(DB)
	build/suivi serve --db $(DB) --port $(PORT)

# Every test: unit tests (cmocka) and HTTP tests against a real server on a
# loopback port; ends with one line "N passed, N failed".
test: deps build/test/suivi $(UNIT:tests/unit/test_%.c=build/test/unit_%)
	@tests/run

bench: build/suivi
	@tools/deps --bench
	@bench/run

# The README's screenshots (docs/screenshots/*.jpg), made from the demo in fr/en/ar
# by Chromium; needs what `make test` installs (Debian's chromium, tests/browser/node_modules).
screenshots: build/suivi
	@node tools/screenshots.mjs

# libFuzzer targets (clang); FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = $(patsubst fuzz/fuzz_%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
build/fuzz/%: fuzz/fuzz_%.c $(wildcard fuzz/*.h) $(LIBSRC) $(HDR) build/assets.c build/map_shapes.c | deps
	@mkdir -p build/fuzz
	clang $(BASEFLAGS) -Wno-missing-prototypes -O1 -g -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(LIBSRC) build/assets.c build/map_shapes.c $(LIBS) -lz
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); mkdir -p build/fuzz/corpus-$$n; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/corpus-$$n fuzz/corpus/$$n || exit 1; \
	done

install: build/suivi
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)
	install -m 755 build/suivi $(DESTDIR)$(BINDIR)/suivi
	install -m 644 dist/suivi.1 $(DESTDIR)$(MANDIR)/man1/suivi.1
	install -m 644 dist/suivi.service README.md $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(DOCDIR)/docs
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/suivi $(DESTDIR)$(MANDIR)/man1/suivi.1
	rm -rf $(DESTDIR)$(DOCDIR)

# Refreshes po/*.po from the msgids in the sources (maintainers).
check-po:
	xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 -ktr:2 -o build/suivi.pot $(SRC)

clean:
	rm -rf build
