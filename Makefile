# cmlx - the two commands of the README, plus a few helpers.
#   make demo   builds cmlx and runs the main job
#   make test   builds cmlx and runs every test (installs what is missing)
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR ?= ON
PYTHON ?= python3

.PHONY: all build demo test test-c test-python test-asan bench install clean deps-build deps-test

all: build

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps-build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCMLX_WERROR=$(WERROR) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/examples/demo

test: test-c test-python

test-c: deps-test build
	cd $(BUILD) && ctest --output-on-failure -j 1

# The Python package (cmlx.core) built in place, then its tests against MLX.
test-python: deps-test
	$(PYTHON) python/setup.py build_ext --inplace
	PYTHONPATH=python timeout 1800 $(PYTHON) -m pytest tests/python -q -p no:cacheprovider -o faulthandler_timeout=300

# The C tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps-test
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMLX_SANITIZE=ON -DCMLX_WERROR=$(WERROR) \
	  -DCMLX_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 1

bench: build
	python3 bench/run.py --build $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
