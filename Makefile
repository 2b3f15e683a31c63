# kioskd: the commands a newcomer needs. Each installs what is missing first (Debian packages,
# with sudo when not root), and starts and stops its own stand-ins for the kiosk hardware.
#   make test    build and run the whole test suite (what CI runs)
#   make demo    run the kiosk in this terminal against the stand-ins
#   make bench   measure, release build, into bench/results.json
#   make check-profiles   validate every profile in kiosk-profiles/
#   make install [DESTDIR=/tmp/stage] [PREFIX=/usr] [CONFIGURATION=release] [NO_BUILD=1]
#                install binaries, systemd units, sysusers/tmpfiles, udev rules, example
#                profiles and kioskctl's shell completions where Debian expects them

SWIFT ?= swift
PREFIX ?= /usr
DESTDIR ?=
CONFIGURATION ?= release

.PHONY: all deps build test demo bench check-profiles clean install

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

# Where a Debian system looks for each file. The unit runs $(PREFIX)/bin/kioskd and expects the
# profile at /etc/kiosk/profile.yaml: copy one of $(PREFIX)/share/kiosk/profiles there.
install:
ifndef NO_BUILD
	$(SWIFT) build -c $(CONFIGURATION) --product kioskd
	$(SWIFT) build -c $(CONFIGURATION) --product kioskctl
	$(SWIFT) build -c $(CONFIGURATION) --product kiosk-scan-helper
endif
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/kiosk $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d \
	    $(DESTDIR)$(PREFIX)/lib/tmpfiles.d $(DESTDIR)$(PREFIX)/lib/udev/rules.d $(DESTDIR)$(PREFIX)/share/kiosk/profiles \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 .build/$(CONFIGURATION)/kioskd .build/$(CONFIGURATION)/kioskctl $(DESTDIR)$(PREFIX)/bin/
	# kioskd starts it from $(PREFIX)/bin/../libexec/kiosk: libsane runs in it, not in kioskd.
	install -m 0755 .build/$(CONFIGURATION)/kiosk-scan-helper $(DESTDIR)$(PREFIX)/libexec/kiosk/
	install -m 0644 systemd/kioskd.service $(DESTDIR)$(PREFIX)/lib/systemd/system/
	install -m 0644 systemd/sysusers.d/kioskd.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/
	install -m 0644 systemd/tmpfiles.d/kioskd.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/
	install -m 0644 udev/*.rules $(DESTDIR)$(PREFIX)/lib/udev/rules.d/
	install -m 0644 kiosk-profiles/*.yaml $(DESTDIR)$(PREFIX)/share/kiosk/profiles/
	.build/$(CONFIGURATION)/kioskctl --generate-completion-script bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kioskctl
	.build/$(CONFIGURATION)/kioskctl --generate-completion-script zsh >$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_kioskctl
	.build/$(CONFIGURATION)/kioskctl --generate-completion-script fish >$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/kioskctl.fish
