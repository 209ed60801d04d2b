# Makefile -- builds powernap_calculator, its tests, benchmark and checks.
#
#   make            build ./powernap_calculator
#   make run        install missing packages, build, answer the seed's 10/4/20
#   make test       install missing packages, build, run every Criterion test
#   make bench      side-by-side throughput figures on this machine
#   make sanitize   the test suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer over the option parser (FUZZ_SECONDS, default 60)
#   make valgrind   memcheck over CLI runs of the cpu and exact engines

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror
CPPFLAGS += -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L -DCL_TARGET_OPENCL_VERSION=120
STD     := -std=c11
LDLIBS  += -lOpenCL -lgmp -lm -lpthread

BUILD   := build
BIN     := powernap_calculator
VERSION := $(shell cat VERSION)
CPPFLAGS += -DPN_VERSION='"$(VERSION)"'

LIB_SRC := $(filter-out host/main.c,$(wildcard host/*.c))
LIB_OBJ := $(LIB_SRC:host/%.c=$(BUILD)/%.o) $(BUILD)/kernel_source.o
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
KERNELS := $(wildcard kernels/*.cl)

PREFIX  ?= /usr/local

.PHONY: all deps run test bench sanitize fuzz valgrind install clean
all: $(BIN)

deps:
	@bash scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) -h 10 -p 4 -g 20

test: deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/test_pn
	cd $(BUILD) && ./test_pn --jobs $${PN_TEST_JOBS:-2} $(TEST_ARGS)

$(BUILD):
	mkdir -p $(BUILD)/tests

# The kernel is embedded as a C string so the binary runs from any directory;
# awk keeps every newline, so #define lines in the .cl survive.
$(BUILD)/kernel_source.c: $(KERNELS) scripts/embed.sh | $(BUILD)
	bash scripts/embed.sh $(KERNELS) > $@

$(BUILD)/kernel_source.o: $(BUILD)/kernel_source.c
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@

$(BUILD)/%.o: host/%.c $(wildcard include/*.h) VERSION | $(BUILD)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -c $< -o $@

$(BUILD)/libpn.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/main.o $(BUILD)/libpn.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%.o: tests/%.c $(wildcard include/*.h) $(wildcard tests/*.h) VERSION | $(BUILD)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -Itests -c $< -o $@

$(BUILD)/test_pn: $(TEST_OBJ) $(BUILD)/libpn.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcriterion $(LDLIBS)

install: $(BIN)
	install -D -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(BIN)
	install -D -m 644 doc/powernap_calculator.1 $(DESTDIR)$(PREFIX)/share/man/man1/powernap_calculator.1

clean:
	rm -rf $(BUILD) $(BIN)
