# torch_env.sh: sourced by the PyTorch scripts (fidelity.sh, torch_phase.sh). Installs what PyTorch as
# compare.sh's fastest configuration needs (Debian's python3-torch, OpenBLAS, jemalloc) and defines
# torch_run SCRIPT ARGS...: the script at one thread per process, with OpenBLAS and jemalloc.
lib=/usr/lib/x86_64-linux-gnu
need=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
[ -e "$lib/openblas-pthread/libblas.so.3" ] || need+=(libopenblas0-pthread)
[ -e "$lib/libjemalloc.so.2" ] || need+=(libjemalloc2)
if ((${#need[@]})); then
  echo "torch_env: installing ${need[*]} (apt)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
torch_run() {
  env LD_LIBRARY_PATH="$lib/openblas-pthread" LD_PRELOAD="$lib/libjemalloc.so.2" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 "$@" --threads 1
}
