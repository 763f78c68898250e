#!/usr/bin/env bash
# Pack `npm run bench:gpu` (and `npm run bench`) for a GPU server that has no Node.js, no package registry and no
# Vulkan loader: one folder holding Node, the two benchmarks bundled into single files, Dawn's Linux binary, the
# GL/Vulkan loader packages, the reference arrays and the hand-written limit. Copy the folder there and run its
# run.sh (usage below). Needs Debian's apt-get here; the server must be x86-64 Linux with NVIDIA's Vulkan driver.
#
#   bash scripts/pack-gpu-bench.sh OUT_DIR [SHARED_DIR]     # SHARED_DIR: reference/ and bench/ (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: pack-gpu-bench.sh OUT_DIR [SHARED_DIR]}
shared=${2:-../shared}
[ -d "$shared/reference" ] || { echo "pack-gpu-bench: no reference arrays in $shared/reference" >&2; exit 2; }
mkdir -p "$out/node_modules/webgpu/dist" "$out/debs" "$out/reference"

# Node 22 (the npm package's binary), compressed: ~30 MB instead of ~120
xz -T0 -6 -c "$(readlink -f node_modules/.bin/node)" >"$out/node.xz"
# the benchmarks as single ES modules; Dawn's binding and gpu.js's optional headless-gl stay outside
for entry in gpu run; do
  npx esbuild "bench/$entry.ts" --bundle --platform=node --format=esm --target=node22 --log-level=warning \
    --outfile="$out/bench-$entry.mjs" --external:webgpu --external:gl \
    --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);"
done
# Dawn: its loader and the Linux binary only (the package also carries macOS and Windows builds)
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64.dawn.node >"$out/node_modules/webgpu/dist/linux-x64.dawn.node.xz"
# Dawn's Vulkan backend needs the loader and glvnd's libraries; the server's driver provides the rest
(cd "$out/debs" && apt-get download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 2>/dev/null)
cp "$shared"/reference/*.npy "$out/reference/"
[ -f "$shared/bench/torch_seed.py" ] && cp "$shared/bench/torch_seed.py" "$out/"
[ -d "$shared/bench/limit" ] && cp -r "$shared/bench/limit" "$out/limit"

cat >"$out/run.sh" <<'EOF'
#!/usr/bin/env bash
# On the GPU server, as root:  bash run.sh gpu [bench:gpu flags]   or   bash run.sh cpu [npm run bench flags]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
what=${1:?usage: run.sh gpu|cpu [flags]}; shift
mkdir -p /tmp/rte-node && xz -dc "$here/node.xz" >/tmp/rte-node/node && chmod +x /tmp/rte-node/node
export PATH=/tmp/rte-node:$PATH
dawn=$here/node_modules/webgpu/dist/linux-x64.dawn.node
[ -f "$dawn" ] || xz -dk "$dawn.xz"
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in "$here"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=${VK_DRIVER_FILES:-$icd} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-$icd}
export RTE_REFERENCE_DIR=$here/reference RTE_LIMIT_DIR=$here/limit RTE_PYTHON=${RTE_PYTHON:-python3}
export RTE_TORCH_BENCH=${RTE_TORCH_BENCH:-$here/torch_seed.py}
cd "$here"
case $what in
  gpu) exec node bench-gpu.mjs --dawn vulkan --torch-device cuda "$@" ;;
  cpu) exec node --expose-gc bench-run.mjs "$@" ;;
  *) echo "run.sh: gpu or cpu, not $what" >&2; exit 2 ;;
esac
EOF
chmod +x "$out/run.sh"
du -sh "$out"
