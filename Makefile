# SPDX-License-Identifier: GPL-3.0-or-later
# Makefile -- builds powernap_calculator, its tests, benchmark and checks.
#
#   make            build ./powernap_calculator and, when mpicc exists,
#                   ./powernap_calculator-mpi (Open MPI; see README "Cluster")
#   make run        install missing packages, build, answer the seed's 10/4/20
#   make test       install missing packages, build, run every Criterion test
#   make bench      side-by-side throughput figures on this machine (and the cost of MPI)
#   make sanitize   the test suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer over the option parser (FUZZ_SECONDS, default 60)
#   make valgrind   memcheck over CLI runs of the cpu and exact engines
#   make plot-example  redraw doc/sweep-10x4.png, the chart the README shows
#   make install    the binaries, man pages and bash completion under DESTDIR/PREFIX
#                   (BINDIR, MANDIR, COMPLETIONSDIR); make uninstall removes them

CC      ?= cc
CFLAGS  ?= -O2 -g
# A release build (make, make install) warns; a strict one (STRICT=1: make
# test, make sanitize, make fuzz and so .ci/run) makes every warning an error.
WARN    := -Wall -Wextra $(if $(filter 1,$(STRICT)),-Werror)
CPPFLAGS += -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L -DCL_TARGET_OPENCL_VERSION=120
STD     := -std=c11
# libsqlite3 reads the Azure packing trace 2020 (libsqlite3-dev, scripts/install-deps.sh)
LDLIBS  += -lOpenCL -lnettle -lmpfr -lgmp -lsqlite3 -lm -lpthread
TEST_LDLIBS := -lutil
# cairo draws --plot charts (libcairo2-dev, installed by scripts/install-deps.sh)
CPPFLAGS += $(shell pkg-config --cflags cairo 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs cairo 2>/dev/null || echo -lcairo)

BUILD   := build
BIN     := powernap_calculator
VERSION := $(shell cat VERSION)
CPPFLAGS += -DPN_VERSION='"$(VERSION)"'

# The MPI binary's own files (host/mpi/*.c) are compiled with mpicc and
# linked into powernap_calculator-mpi only: libpn.a, the tests and the plain
# binary never need MPI.
MPICC   ?= mpicc
MPI_BIN := $(BIN)-mpi
MPI_SRC := $(wildcard host/mpi/*.c)
MPI_OBJ  = $(MPI_SRC:host/%.c=$(BUILD)/%.o)
HAVE_MPI := $(shell command -v $(MPICC) 2>/dev/null)
MPI_TARGET = $(if $(HAVE_MPI),$(MPI_BIN))

# Every header, public (include/LAYER/) and private (host/LAYER/*.h).
HEADERS = $(wildcard include/*/*.h host/*/*.h)
LIB_SRC := $(filter-out host/cli/main.c $(MPI_SRC),$(wildcard host/*/*.c))
LIB_OBJ := $(LIB_SRC:host/%.c=$(BUILD)/%.o) $(BUILD)/kernel_source.o $(BUILD)/simulate_source.o
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
# The simulation kernel is embedded on its own: it includes Random123, whose
# headers (under RANDOM123_INCLUDE, librandom123-dev) are preprocessed into
# it at build time, so the binary needs no Random123 where it runs.
SIM_KERNEL := kernels/simulate.cl
KERNELS := $(filter-out $(SIM_KERNEL),$(wildcard kernels/*.cl))
# What the kernels and the host C code share (limits, policy numbers, the
# per-host descriptor), put in front of each embedded kernel source.
KERNEL_SHARED := include/opencl/pn_kernel_shared.h
RANDOM123_INCLUDE ?= /usr/include

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions
COMPLETION := scripts/powernap_calculator.bash-completion

# Objects compiled without -Werror leave $(BUILD)/.lenient behind; a strict
# build that finds it newer than its own stamp compiles everything again,
# so a warning cannot hide in an object a release build left.
ifeq ($(STRICT),1)
STRICT_STAMP := $(BUILD)/.strict
$(STRICT_STAMP): $(wildcard $(BUILD)/.lenient) | $(BUILD)
	rm -f $(BUILD)/.lenient
	touch $@
else
LENIENT_MARK = @touch $(BUILD)/.lenient
endif

# The layers' rules (scripts/check-layers.sh): includes point down, no circle, short files.
check-layers: $(BIN)
	bash scripts/check-layers.sh $(BUILD)

.PHONY: all deps run test check-layers bench sanitize fuzz valgrind install uninstall clean \
        plot-example
all: $(BIN) $(MPI_TARGET)
ifeq ($(HAVE_MPI),)
	@echo "make: $(MPICC) not found, so $(MPI_BIN) is not built (scripts/install-deps.sh installs Open MPI)"
endif

deps:
	@bash scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) -h 10 -p 4 -g 20

test: deps
	@$(MAKE) --no-print-directory STRICT=1 $(BIN) $(MPI_TARGET) $(BUILD)/test_pn
	bash scripts/check-layers.sh $(BUILD)
	bash scripts/check-licence.sh
	MAKE="$(MAKE)" bash scripts/check-install.sh
	cd $(BUILD) && ./test_pn --jobs $${PN_TEST_JOBS:-2} $(TEST_ARGS)

# Benchmark: small C programs under bench/ linked against the library, then
# bench/bench.sh prints every figure side by side (python3 for the references).
BENCH_DIR := $(BUILD)/bench

bench:
	@PN_EXTRA_PACKAGES=python3 bash scripts/install-deps.sh
	@$(MAKE) --no-print-directory $(BIN) $(MPI_TARGET) $(BENCH_DIR)/bench_throughput \
		$(BENCH_DIR)/bench_exact $(BENCH_DIR)/bench_simulate $(BENCH_DIR)/bench_startup \
		$(BENCH_DIR)/bench_split
	@BENCH_DIR=$(BENCH_DIR) BIN=./$(BIN) BENCH_NO_BUILD=1 bash bench/bench.sh

# The roofline is the kernel's inner loop at its best in C, for this very CPU.
$(BENCH_DIR)/roofline.o: bench/roofline.c bench/roofline.h
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O3 -march=native $(WARN) $(CPPFLAGS) -c $< -o $@

$(BENCH_DIR)/bench_throughput: bench/bench_throughput.c bench/odometer_baseline.c \
		bench/odometer_baseline.h $(BENCH_DIR)/roofline.o bench/roofline.h $(BUILD)/libpn.a \
		$(HEADERS)
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O2 $(WARN) $(CPPFLAGS) -Ibench -o $@ bench/bench_throughput.c \
		bench/odometer_baseline.c $(BENCH_DIR)/roofline.o $(BUILD)/libpn.a $(LDLIBS)

$(BENCH_DIR)/bench_startup: bench/bench_startup.c $(BUILD)/libpn.a $(HEADERS)
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O2 $(WARN) $(CPPFLAGS) -o $@ $< $(BUILD)/libpn.a $(LDLIBS)

$(BENCH_DIR)/bench_exact: bench/bench_exact.c $(BUILD)/libpn.a $(HEADERS)
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O2 $(WARN) $(CPPFLAGS) -o $@ $< $(BUILD)/libpn.a $(LDLIBS)

$(BENCH_DIR)/bench_simulate: bench/bench_simulate.c $(BUILD)/libpn.a $(HEADERS)
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O2 $(WARN) $(CPPFLAGS) -o $@ $< $(BUILD)/libpn.a $(LDLIBS)

$(BENCH_DIR)/bench_split: bench/bench_split.c $(BUILD)/libpn.a $(HEADERS)
	@mkdir -p $(BENCH_DIR)
	$(CC) $(STD) -O2 $(WARN) $(CPPFLAGS) -o $@ $< $(BUILD)/libpn.a $(LDLIBS)

$(BUILD):
	mkdir -p $(BUILD)/tests

# The kernel is embedded as a C string so the binary runs from any directory;
# embed.sh keeps every newline, so #define lines in the .cl survive; the
# header shared with the host (constants, the host table) goes in front.
$(BUILD)/kernel_source.c: $(KERNEL_SHARED) $(KERNELS) scripts/embed.sh | $(BUILD)
	bash scripts/embed.sh $(KERNEL_SHARED) $(KERNELS) > $@

$(BUILD)/kernel_source.o: $(BUILD)/kernel_source.c $(STRICT_STAMP)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@
	$(LENIENT_MARK)

# Random123's headers spliced in where the kernel includes them, expanded as
# OpenCL C sees them (scripts/inline-random123.sh); the kernel's own #if and
# -D options stay for the OpenCL compiler.
$(BUILD)/simulate.cl: $(SIM_KERNEL) scripts/inline-random123.sh | $(BUILD)
	CC="$(CC)" bash scripts/inline-random123.sh -I $(RANDOM123_INCLUDE) $(SIM_KERNEL) > $@.tmp
	mv $@.tmp $@

$(BUILD)/simulate_source.c: $(KERNEL_SHARED) $(BUILD)/simulate.cl scripts/embed.sh | $(BUILD)
	bash scripts/embed.sh -n pn_simulate_kernel_source $(KERNEL_SHARED) $(BUILD)/simulate.cl > $@

$(BUILD)/simulate_source.o: $(BUILD)/simulate_source.c $(STRICT_STAMP)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@
	$(LENIENT_MARK)

$(BUILD)/%.o: host/%.c $(HEADERS) VERSION $(STRICT_STAMP) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@
	$(LENIENT_MARK)

$(BUILD)/libpn.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(BUILD)/libpn.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/mpi/%.o: host/mpi/%.c $(HEADERS) VERSION $(STRICT_STAMP) | $(BUILD)
	@mkdir -p $(@D)
	$(MPICC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@
	$(LENIENT_MARK)

$(MPI_BIN): $(MPI_OBJ) $(BUILD)/libpn.a
	$(MPICC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%.o: tests/%.c $(HEADERS) $(wildcard tests/*.h) VERSION $(STRICT_STAMP) | $(BUILD)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -Itests -DPN_SOURCE_DIR='"$(CURDIR)"' -c $< -o $@
	$(LENIENT_MARK)

$(BUILD)/test_pn: $(TEST_OBJ) $(BUILD)/libpn.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcriterion $(LDLIBS) $(TEST_LDLIBS)

# Sanitizers: the library, CLI and tests rebuilt with ASan + UBSan in their own
# directory, then the whole suite (the CLI tests run the sanitized binary).
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_DIR   := $(BUILD)/sanitize
# The MPI ranks run with ASan and UBSan but without leak detection: inside an
# Open MPI process LeakSanitizer reports the process-lifetime allocations of
# Open MPI's dlopen'ed components (frames in "<unknown module>", which no
# suppression can name) and its exit-time tracer crashes among the PMIx and
# POCL threads; tests/test_mpi.c passes PN_MPI_ASAN_OPTIONS to every rank.
SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
             LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers.supp:print_suppressions=0 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
             PN_BINARY=$(CURDIR)/$(SAN_DIR)/$(BIN) \
             PN_MPI_BINARY=$(CURDIR)/$(SAN_DIR)/$(MPI_BIN) \
             PN_MPI_ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99

sanitize: deps
	@$(MAKE) --no-print-directory STRICT=1 BUILD=$(SAN_DIR) BIN=$(SAN_DIR)/$(BIN) CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="$(SAN_FLAGS)" $(SAN_DIR)/$(BIN) $(if $(HAVE_MPI),$(SAN_DIR)/$(MPI_BIN)) \
		$(SAN_DIR)/test_pn
	cd $(SAN_DIR) && $(SAN_ENV) ./test_pn --jobs $${PN_TEST_JOBS:-2} $(TEST_ARGS)

# libFuzzer (clang) over the option parser and the slice reader, each for half
# of FUZZ_SECONDS, starting from the seed corpus in fuzz/seed/. New inputs
# go to $(BUILD)/fuzz/corpus-*, crashes to $(BUILD)/fuzz/ (copy each one into
# fuzz/regressions/: tests/test_fuzz_regressions.c replays them all).
FUZZ_SECONDS ?= 60
FUZZ_DIR   := $(BUILD)/fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ   := $(LIB_SRC:host/%.c=$(FUZZ_DIR)/%.o) $(FUZZ_DIR)/kernel_source.o \
              $(FUZZ_DIR)/simulate_source.o

fuzz:
	@PN_EXTRA_PACKAGES="clang libclang-rt-dev" bash scripts/install-deps.sh
	@$(MAKE) --no-print-directory STRICT=1 $(FUZZ_DIR)/fuzz_cli $(FUZZ_DIR)/fuzz_slice
	mkdir -p $(FUZZ_DIR)/corpus-cli $(FUZZ_DIR)/corpus-slice
	$(FUZZ_DIR)/fuzz_cli -max_total_time=$$(( $(FUZZ_SECONDS) / 2 )) -artifact_prefix=$(FUZZ_DIR)/ \
		-print_final_stats=1 $(FUZZ_DIR)/corpus-cli fuzz/seed/cli
	$(FUZZ_DIR)/fuzz_slice -max_total_time=$$(( $(FUZZ_SECONDS) - $(FUZZ_SECONDS) / 2 )) \
		-artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 $(FUZZ_DIR)/corpus-slice fuzz/seed/slice

$(FUZZ_DIR)/%.o: host/%.c $(HEADERS) | $(BUILD)
	@mkdir -p $(@D)
	clang $(STD) $(FUZZ_FLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@

$(FUZZ_DIR)/kernel_source.o: $(BUILD)/kernel_source.c
	@mkdir -p $(FUZZ_DIR)
	clang $(STD) $(FUZZ_FLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@

$(FUZZ_DIR)/simulate_source.o: $(BUILD)/simulate_source.c
	@mkdir -p $(FUZZ_DIR)
	clang $(STD) $(FUZZ_FLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	clang $(STD) $(FUZZ_FLAGS) -fsanitize=fuzzer $(WARN) $(CPPFLAGS) -o $@ $^ $(LDLIBS)

# memcheck over CLI runs that touch no OpenCL (the ICD loader and POCL keep
# process-lifetime state valgrind would report): cpu and exact engines, every
# format, slices, bad input.
VALGRIND := valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=all \
            --errors-for-leak-kinds=all --suppressions=tests/valgrind.supp
VALGRIND_RUNS := "-h 10 -p 4 -g 20 -e cpu" "-h 10 -p 4 -g 20 -e exact -m slots -f json" \
                 "-h 8 -p 2 -g 4 -e cpu -f csv --watts 80 --price 0.10" \
                 "-h 300 -p 8 -g 1200 -e exact" "-h 6 -p 3 -g 7 -e cpu --skip 100 --limit 2000 -f json" \
                 "--keyspace -h 1000 -p 16" "--help" "-h 2x -p 1 -g 1" "-h 40 -p 4 -g 80 -e cpu" \
                 "-h 10 -p 4 -g 20 --simulate first-fit -e cpu --trajectories 8 --ticks 2000 -f json" \
                 "--fleet 3x2@80,2x4@120 -g 7 -e cpu -f json --price 0.1" \
                 "--fleet 3x2,2x4 -g all -e exact -m slots -f csv" "-h 6 -p 3 -g 4:9 --verify" \
                 "--fleet 0x4 -g 1"

valgrind:
	@PN_EXTRA_PACKAGES=valgrind bash scripts/install-deps.sh
	@$(MAKE) --no-print-directory $(BIN)
	@for args in $(VALGRIND_RUNS); do \
		echo "valgrind: ./$(BIN) $$args"; \
		$(VALGRIND) ./$(BIN) $$args > /dev/null 2>$(BUILD)/valgrind.log; rc=$$?; \
		if [ $$rc -ne 0 ] && [ $$rc -ne 2 ] || grep -q "==[0-9]*==" $(BUILD)/valgrind.log; then \
			cat $(BUILD)/valgrind.log; echo "valgrind: FAILED on $$args"; exit 1; fi; \
	done; echo "valgrind: clean on every run"

# The README's chart: every load of the seed's 10 hosts x 4, expected savings
# against the packing bound, drawn by the tool itself.
plot-example: $(BIN)
	./$(BIN) -h 10 -p 4 -g all -e exact -q --plot doc/sweep-10x4.png > /dev/null

install: $(BIN) $(MPI_TARGET)
ifeq ($(HAVE_MPI),)
	@echo "make: $(MPICC) not found, so $(MPI_BIN) is not built (scripts/install-deps.sh installs Open MPI)"
endif
	install -D -m 755 $(BIN) $(DESTDIR)$(BINDIR)/$(BIN)
	$(if $(HAVE_MPI),install -D -m 755 $(MPI_BIN) $(DESTDIR)$(BINDIR)/$(MPI_BIN))
	install -D -m 644 doc/powernap_calculator.1 $(DESTDIR)$(MANDIR)/man1/powernap_calculator.1
	$(if $(HAVE_MPI),install -D -m 644 doc/$(MPI_BIN).1 $(DESTDIR)$(MANDIR)/man1/$(MPI_BIN).1)
	install -D -m 644 $(COMPLETION) $(DESTDIR)$(COMPLETIONSDIR)/$(BIN)
	$(if $(HAVE_MPI),ln -sf $(BIN) $(DESTDIR)$(COMPLETIONSDIR)/$(MPI_BIN))

# Removes what install put there (the MPI binary and its completion whether
# or not this build has them); the directories stay, they may hold others'.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(BIN) $(DESTDIR)$(BINDIR)/$(MPI_BIN) \
		$(DESTDIR)$(MANDIR)/man1/powernap_calculator.1 $(DESTDIR)$(MANDIR)/man1/$(MPI_BIN).1 \
		$(DESTDIR)$(COMPLETIONSDIR)/$(BIN) $(DESTDIR)$(COMPLETIONSDIR)/$(MPI_BIN)

clean:
	rm -rf $(BUILD) $(BIN) $(MPI_BIN)
