# CSU Console — the two commands: `make demo` and `make test`.
# Both install what is missing: Debian packages (as root), .venv, the package.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Qt under Xvfb, ALSA headers for simpleaudio, tools for screenshots and sound checks;
# libVLC (python-vlc); GStreamer's RTSP server (demo/test camera streams, run by
# Debian's /usr/bin/python3 for its gi bindings); ffmpeg (UDP test stream for libVLC);
# openbox, xdotool, xprop: the docs' screenshots of the real demo (docs/demo_screenshot.py);
# postgresql: the central review (csu-hub collect --postgres), a throwaway cluster in the tests;
# espeak-ng: urgent alerts spoken in French ([alarm] speak).
APT_PACKAGES := xvfb xauth libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
	libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 \
	libxcb-randr0 libxcb-xfixes0 libfontconfig1 libdbus-1-3 fonts-dejavu-core \
	libasound2-dev imagemagick sox python3-venv \
	libvlc5 vlc-plugin-base ffmpeg poppler-utils \
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
	gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-libav gstreamer1.0-rtsp \
	gir1.2-gst-rtsp-server-1.0 python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 \
	gstreamer1.0-x openbox xdotool x11-utils postgresql espeak-ng

.PHONY: demo test setup system-deps lint clean

system-deps:
	@missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(APT_PACKAGES) 2>/dev/null \
		| awk '$$1 == "ii" {print $$2}' | sort > /tmp/csu-have.$$$$; \
		for p in $(APT_PACKAGES); do grep -qx "$$p" /tmp/csu-have.$$$$ || echo $$p; done; \
		rm -f /tmp/csu-have.$$$$); \
	if [ -n "$$missing" ]; then \
		echo "Paquets système manquants : $$missing"; \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Lancez : sudo apt-get install $$missing"; exit 1; \
		fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

setup: system-deps $(STAMP)

# With no screen (SSH, CI) the demo runs on a virtual X server.
demo: setup
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
		$(BIN)/csu-console demo; \
	else \
		echo "Pas d'écran (DISPLAY vide) : démo sous Xvfb."; \
		xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/csu-console demo; \
	fi

lint: setup
	$(BIN)/ruff check csu_console tests bench docs
	$(BIN)/ruff format --check csu_console tests bench docs
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis *.egg-info
