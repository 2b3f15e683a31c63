# kioskd: the commands a newcomer needs. Each installs what is missing first (Debian packages,
# with sudo when not root), and starts and stops its own stand-ins for the kiosk hardware.
#   make test    build and run the whole test suite (what CI runs)
#   make demo    run the kiosk in this terminal against the stand-ins
#   make bench   measure, release build, into bench/results.json
#   make check-profiles   validate every profile in kiosk-profiles/

SWIFT ?= swift

.PHONY: all deps build test demo bench check-profiles clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

test: deps
	@scripts/run-tests.sh

demo: deps
	@scripts/demo.sh

bench: deps
	@scripts/run-bench.sh

check-profiles: build
	@for profile in kiosk-profiles/*.yaml; do .build/debug/kioskd --check --profile "$$profile" || exit 1; done

clean:
	rm -rf .build
