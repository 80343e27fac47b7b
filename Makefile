# Two commands a new user needs: `make demo` and `make test`. Both install what is missing first.
SWIFT ?= swift
BIN := .build/debug/adviser-planner
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps browser build demo test bench orlib clean peers

all: build

# GLPK's headers and library come from Debian's libglpk-dev; install them only when absent.
deps:
	@if [ ! -f /usr/include/glpk.h ]; then \
		echo "Installing GLPK (libglpk-dev) from Debian's packages..."; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev; \
	fi

# The test suite renders the HTML report in headless Chromium (Debian's chromium); install it only for tests.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing Chromium (for the HTML report's browser test) from Debian's packages..."; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

build: deps
	$(SWIFT) build

demo: build
	$(BIN) solve scenarios/knowsley-pathways

test: deps browser
	$(SWIFT) build
	$(SWIFT) test

# Every OR-Library generalized assignment instance against its published optimum.
orlib: deps
	tools/orlib-gap

clean:
	rm -rf .build

# Our solve against HiGHS and CBC (from PyPI into .venv-peers/) on the same MPS models, same time limit.
peers: deps
	tools/peers
