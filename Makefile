# Thin driver over CMake. The two commands of the README:
#   make run    set up (Debian packages when root), build, run `mcusim reproduce`
#   make test   set up, build, run the whole suite through ctest; then the
#               same suite built with ASan+UBSan in build-asan/ (the valgrind
#               memcheck run is one of the tests of the normal build)
#   make fuzz   libFuzzer harnesses of tests/fuzz/ in build-fuzz/ (clang),
#               FUZZ_SECONDS per harness (config loader, units, point files)
BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 300
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEBIAN_PACKAGES := cmake make g++ pkg-config libsystemc-dev libyaml-dev libcunit1-dev valgrind
FUZZ_PACKAGES := clang libclang-rt-14-dev
# SystemC switches between coroutine stacks; ASan's fake stacks for
# use-after-return cannot follow that (mcusim run then dies in the first
# SC_THREAD), so that one check is off, explicitly, whatever the toolchain
# default. Everything else of ASan+UBSan stays on for all code, SystemC
# layer included. halt_on_error makes any UBSan report fail its test.
SAN_ENV := ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all deps fuzz-deps configure build run test test-asan fuzz bench clean

all: build

deps fuzz-deps: PACKAGES = $(if $(filter fuzz-deps,$@),$(FUZZ_PACKAGES),$(DEBIAN_PACKAGES))
deps fuzz-deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "mcusim: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "mcusim: missing Debian packages:$$missing"; \
	    echo "        run 'sudo apt-get install$$missing' or 'sudo make deps'"; exit 1; \
	  fi; \
	fi

configure: deps
	@test -f $(BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/mcusim reproduce

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan

# The suite again with AddressSanitizer + UndefinedBehaviorSanitizer (all C
# and C++ code, the SystemC layer included); benchmarks are not built there.
test-asan: deps
	@test -f $(ASAN_BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(ASAN_BUILD_DIR) \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCUSIM_SANITIZE=address,undefined -DMCUSIM_BENCH=OFF
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)

# Each harness runs FUZZ_SECONDS from a seed corpus of the shipped and the
# bad configs plus tests/fuzz/seeds/; crashes land in
# $(FUZZ_BUILD_DIR)/artifacts/ -- copy each to tests/fuzz/regressions/ once fixed.
fuzz: deps fuzz-deps
	@test -f $(FUZZ_BUILD_DIR)/CMakeCache.txt || CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCUSIM_FUZZ=ON -DMCUSIM_BENCH=OFF
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzz_loader fuzz_units fuzz_points
	mkdir -p $(FUZZ_BUILD_DIR)/corpus/loader $(FUZZ_BUILD_DIR)/corpus/units $(FUZZ_BUILD_DIR)/corpus/points \
	         $(FUZZ_BUILD_DIR)/artifacts
	for f in configs/*/*.yaml configs/experiments/*/*.yaml tests/bad_configs/*.yaml \
	         tests/bad_configs/parts/*.yaml tests/fuzz/seeds/loader/* tests/fuzz/regressions/loader/*; do \
	  [ -f "$$f" ] && cp "$$f" $(FUZZ_BUILD_DIR)/corpus/loader/seed_$$(echo "$$f" | tr / _); done; true
	cp tests/fuzz/seeds/units/* tests/fuzz/regressions/units/* $(FUZZ_BUILD_DIR)/corpus/units/
	cp tests/fuzz/seeds/points/* $(FUZZ_BUILD_DIR)/corpus/points/
	cp tests/fuzz/regressions/points/* $(FUZZ_BUILD_DIR)/corpus/points/ 2>/dev/null || true
	cd $(FUZZ_BUILD_DIR) && ./tests/fuzz/fuzz_loader -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=8192 -artifact_prefix=artifacts/ corpus/loader
	cd $(FUZZ_BUILD_DIR) && ./tests/fuzz/fuzz_units -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -artifact_prefix=artifacts/ corpus/units
	cd $(FUZZ_BUILD_DIR) && ./tests/fuzz/fuzz_points -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=artifacts/ corpus/points

bench: build
	bash bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
