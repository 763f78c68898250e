#!/usr/bin/env bash
# One-time set-up on a fresh Debian 12 machine (idempotent): system packages, then the locked npm tree.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
# PyTorch is the benchmark peer; python3-zarr and python3-xarray are the independent readers of sweep stores in
# the tests (xarray: ~20 s more of apt); chromium
# runs the renderer and the e2e tests; EGL/GLES + Mesa let Dawn (WebGPU for Node) run compiled kernels on a
# software GPU where there is no real one. Slurm and munge: the one-node cluster of the sweep tests
# (scripts/slurm-single-node.sh starts it; installed here so the tests do not wait on apt).
for p in python3-torch python3-zarr python3-xarray chromium libegl1 libgles2 libgl1-mesa-dri slurmctld slurmd slurm-client munge; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
