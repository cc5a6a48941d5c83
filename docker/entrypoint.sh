#!/usr/bin/env bash
# Starts the classic Jupyter notebook server in ~/work, which gets a copy of the project's notebooks
# (and of their cached results/) when it holds none (mount a host folder there to keep executed notebooks).
#   JUPYTER_IP (default 0.0.0.0), JUPYTER_PORT (default 8888): where the server listens
#   JUPYTER_TOKEN: the access token; when unset Jupyter makes a random one and prints the URL with it
# Any arguments replace the server command (e.g. `bash`, or `make -C /opt/dales notebooks`).
set -euo pipefail
. /etc/dales-backend.env
work="$HOME/work"
mkdir -p "$work"
if ! ls "$work"/*.ipynb >/dev/null 2>&1; then
  cp /opt/dales/notebooks/*.ipynb "$work"/
fi
# The controls notebook reads its cached runs from results/ beside it (training only what is missing).
if [ ! -e "$work/results" ]; then
  cp -r /opt/dales/notebooks/results "$work"/
fi
if [ "$#" -gt 0 ]; then
  exec "$@"
fi
exec jupyter notebook --no-browser --ip="${JUPYTER_IP:-0.0.0.0}" --port="${JUPYTER_PORT:-8888}" \
  --notebook-dir="$work" --NotebookApp.open_browser=False
