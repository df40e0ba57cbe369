# ordis — thin top-level Makefile. `make help` lists targets.
#
#   make            build src/ordis-server (g++ 12, C++20, -O2 -g -Werror)
#   make test       every test suite; last line "N passed, N failed"
#   make sanitize   ASan+UBSan build, unit + integration tests
#   make bench      ordis vs redis-server side by side
#   make fuzz       libFuzzer target on the request parser + dispatcher
#   make deps       install missing Debian packages (deps/packages.txt)
#   make run        deps + build + start on conf/ordis.conf
#   V=1             show full compiler command lines
#   BUILD=dir       object directory (default build/release)

CXX      ?= g++
BUILD    ?= build/release
SAN      ?=
OPT      ?= -O2
WARN     := -Wall -Wextra -Werror
CXXFLAGS := -std=c++20 $(OPT) -g $(WARN) -Isrc -MMD -MP $(SAN)
LDLIBS   := -levent_core -luring -lnuma -lpthread
ifeq ($(SAN),)
LDLIBS   += -ljemalloc
CXXFLAGS += -DORDIS_JEMALLOC
endif
TEST_LIBS := -lhiredis

ifeq ($(V),1)
Q :=
else
Q := @
endif

SRCS      := $(sort $(wildcard src/*/*.cpp))
MAIN_SRC  := src/server/main.cpp
LIB_SRCS  := $(filter-out $(MAIN_SRC),$(SRCS))
LIB_OBJS  := $(LIB_SRCS:%.cpp=$(BUILD)/%.o)
MAIN_OBJ  := $(MAIN_SRC:%.cpp=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.cpp))
UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(BUILD)/%.o)
INT_SRCS  := $(sort $(wildcard tests/integration/*.cpp))
INT_OBJS  := $(INT_SRCS:%.cpp=$(BUILD)/%.o)
LIB       := $(BUILD)/libordis.a
SERVER    := $(BUILD)/ordis-server
UNIT_BIN  := $(BUILD)/unit-tests
INT_BIN   := $(BUILD)/integration-tests

.PHONY: all deps run test unit integration sanitize bench fuzz fuzz-long redis-tests clients \
        crash-test clean format help
all: src/ordis-server

help:
	@sed -n '1,15p' Makefile

deps:
	@bash deps/install.sh

# Rebuild everything when flags change.
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CXX) $(CXXFLAGS) $(LDLIBS)' | cmp -s - $@ || echo '$(CXX) $(CXXFLAGS) $(LDLIBS)' > $@
FORCE:

$(BUILD)/%.o: %.cpp $(BUILD)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX $<")
	$(Q)$(CXX) $(CXXFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SERVER): $(MAIN_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS)

src/ordis-server: $(SERVER)
	$(Q)cp $< $@

$(UNIT_BIN): $(UNIT_OBJS) $(LIB)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS)

$(INT_BIN): $(INT_OBJS) $(LIB)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

run: deps all
	./src/ordis-server conf/ordis.conf

unit: $(UNIT_BIN)
	$(UNIT_BIN)

integration: $(INT_BIN) $(SERVER)
	ORDIS_SERVER=$(SERVER) $(INT_BIN)

# Everything; tests/run-all.sh prints the final "N passed, N failed".
test: all $(UNIT_BIN) $(INT_BIN) $(BUILD)/ordis-bench
	@BUILD=$(BUILD) bash tests/run-all.sh

# g++ 12 at -O1 with ASan reports false maybe-uninitialized warnings inside
# libstdc++'s <regex> (pulled in by catch.hpp); that warning alone is off here.
sanitize:
	@$(MAKE) --no-print-directory BUILD=build/sanitize OPT=-O1 \
	  SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized' \
	  build/sanitize/unit-tests build/sanitize/integration-tests build/sanitize/ordis-server
	@# A small ASan quarantine keeps the memory-bound tests meaningful.
	@ASAN_OPTIONS=$${ASAN_OPTIONS:-quarantine_size_mb=8} BUILD=build/sanitize SUITES="unit integration" bash tests/run-all.sh

redis-tests: all
	@bash redis-tests/run.sh

clients: all
	@bash redis-tests/clients/run.sh

bench: all
	@bash utils/bench/run.sh

fuzz:
	@bash tests/fuzz/run.sh $${FUZZ_SECONDS:-600}

# kill -9 cycles against the WAL and snapshots (utils/crash-test); the short
# setting runs in `make test` (utils/crash-test/suite.sh).
CRASH_CYCLES ?= 200
crash-test: $(SERVER) $(BUILD)/crash-test
	$(BUILD)/crash-test --server $(SERVER) --cycles $(CRASH_CYCLES) $(CRASH_ARGS) \
	  -- --appendonly yes --appendfsync always

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h) $(UNIT_SRCS) $(INT_SRCS)

clean:
	rm -rf build src/ordis-server

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJS:.o=.d) $(INT_OBJS:.o=.d)

# ORDER.* load generator (utils/ordis-bench) and the side-by-side order
# benchmark against redis-server (utils/bench/orders.sh), also run by `make bench`.
BENCH_SRCS := $(sort $(wildcard utils/ordis-bench/*.cpp))
BENCH_OBJS := $(BENCH_SRCS:%.cpp=$(BUILD)/%.o)
.PHONY: ordis-bench bench-orders
ordis-bench: $(BUILD)/ordis-bench
$(BUILD)/ordis-bench: $(BENCH_OBJS)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ -lhiredis
bench-orders: all $(BUILD)/ordis-bench
	@ORDIS_BENCH=$(BUILD)/ordis-bench bash utils/bench/orders.sh
# Durable (appendonly yes, appendfsync always) side by side (utils/bench/durable.sh).
.PHONY: bench-durable
bench-durable: all $(BUILD)/ordis-bench
	@ORDIS_BENCH=$(BUILD)/ordis-bench bash utils/bench/durable.sh
# Snapshot under load (BGSAVE while the benchmark runs) and recovery from
# snapshot + WAL, redis-server's forking BGSAVE beside (utils/bench/snapshot.sh).
.PHONY: bench-snapshot
bench-snapshot: all $(BUILD)/ordis-bench
	@ORDIS_BENCH=$(BUILD)/ordis-bench bash utils/bench/snapshot.sh
bench: $(BUILD)/ordis-bench
bench: export ORDIS_BENCH = $(BUILD)/ordis-bench
-include $(BENCH_OBJS:.o=.d)

# The crash tester (utils/crash-test): hiredis clients, a reference model,
# kill -9 and recovery checks.
CRASH_SRCS := $(sort $(wildcard utils/crash-test/*.cpp))
CRASH_OBJS := $(CRASH_SRCS:%.cpp=$(BUILD)/%.o)
$(BUILD)/crash-test: $(CRASH_OBJS)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ -lhiredis -lpthread
test: $(BUILD)/crash-test
-include $(CRASH_OBJS:.o=.d)

# utils/ordis-check-wal: verifies a WAL directory, --fix truncates a torn tail.
CHECKWAL_OBJS := $(BUILD)/utils/check-wal/main.o $(BUILD)/src/wal/format.o \
                 $(BUILD)/src/wal/reader.o $(BUILD)/src/util/crc32c.o
.PHONY: ordis-check-wal
ordis-check-wal: $(BUILD)/ordis-check-wal
$(BUILD)/ordis-check-wal: $(CHECKWAL_OBJS)
	@$(if $(Q),echo "  LINK $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^
test: $(BUILD)/ordis-check-wal
-include $(BUILD)/utils/check-wal/main.d
