#!/usr/bin/env bash
# Build the wheel, install it in a clean venv outside the checkout, and use it as a user
# would: `dilemma presets`, `dilemma solve 2025-baseline`, and `dilemma lab` answering
# /_stcore/health. Fails on the first thing that does not work.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'kill "${lab_pid:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
python3 -m pip wheel -q --no-deps -w "$tmp/dist" "$root"
wheel=$(ls "$tmp"/dist/dilemma-*.whl)
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) kB)"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q "$wheel"
cd "$tmp"                      # outside the checkout: nothing of the repository is on the path
"$tmp/venv/bin/dilemma" presets | grep -q "games/chicken"
"$tmp/venv/bin/dilemma" solve 2025-baseline | head -n 8
port=$("$tmp/venv/bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$tmp/venv/bin/dilemma" lab --server.port "$port" --server.headless true --server.address 127.0.0.1 \
  > "$tmp/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 1 90); do
  if curl -fsS "http://127.0.0.1:$port/_stcore/health" 2>/dev/null | grep -q ok; then
    echo "dilemma lab (from the wheel) serves /_stcore/health on port $port"
    exit 0
  fi
  sleep 1
done
echo "dilemma lab did not answer /_stcore/health within 90 s; its log:" >&2
cat "$tmp/lab.log" >&2
exit 1
