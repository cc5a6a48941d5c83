#!/usr/bin/python3
"""Executes notebooks headlessly with the GoNB kernel and writes, beside each, the executed .ipynb
(in place) and its HTML export. Prints one progress line per cell. A notebook whose execution fails
is written to <name>.failed.ipynb instead, so the committed executed notebook is never clobbered.

Usage: execute.py [--timeout SECONDS] NOTEBOOK.ipynb...
Run it through `make notebooks` (which runs setup.sh first and puts gonb and goimports on PATH).
"""
import argparse
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter


def first_line(cell):
    for line in cell.source.splitlines():
        line = line.strip()
        if line and line != "%%" and not line.startswith("!"):
            return line[:70]
    return ""


def execute(path, timeout):
    nb = nbformat.read(path, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(nb, timeout=timeout, kernel_name="gonb",
                            resources={"metadata": {"path": folder}})
    started = {}

    def on_start(cell, cell_index, **_):
        if cell_index not in code:
            return
        started[cell_index] = time.time()
        print(f"  [{code.index(cell_index) + 1:2d}/{len(code)}] {first_line(cell)}", flush=True)

    def on_done(cell, cell_index, **_):
        if cell_index not in code:
            return
        print(f"          done in {time.time() - started.get(cell_index, time.time()):.1f} s", flush=True)

    client.on_cell_start = on_start
    client.on_cell_executed = on_done
    t0 = time.time()
    print(f"{path}: executing {len(code)} code cells", flush=True)
    # The kernel's own log goes to a temporary file, shown only when something fails.
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            client.execute(stderr=log)
        except Exception as e:  # CellExecutionError, a dead kernel, a timeout
            failed = path[:-len(".ipynb")] + ".failed.ipynb"
            nbformat.write(nb, failed)
            log.seek(0)
            tail = log.read()[-4000:]
            print(f"{path}: FAILED after {time.time() - t0:.0f} s; partial notebook in {failed}\n{e}\n"
                  f"--- kernel log (tail) ---\n{tail}", flush=True)
            return False
    merge_streams(nb)
    # GoNB leaves the lexer unnamed, and nbconvert then highlights the code as Python (an apostrophe in a
    # Go comment opens a string): name Go's.
    info = nb.metadata.setdefault("language_info", {})
    info["pygments_lexer"], info["codemirror_mode"] = "go", "go"
    tmp = path + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    html, _ = exporter().from_notebook_node(nb, resources=html_resources(nb, path))
    html_path = path[:-len(".ipynb")] + ".html"
    with open(html_path + ".tmp", "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(html_path + ".tmp", html_path)
    print(f"{path}: done in {time.time() - t0:.0f} s; wrote {path} and {html_path}", flush=True)
    return True


def merge_streams(nb):
    """Joins each code cell's consecutive outputs on the same stream (stdout, stderr) into one, as Jupyter
    shows them: how the kernel's messages happened to be split in time would otherwise change the
    committed notebook from one execution to the next with the same text."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (last is not None and out.output_type == "stream" and last.output_type == "stream"
                    and last.name == out.name):
                last.text += out.text
            else:
                merged.append(out)
        cell.outputs = merged


# Debian's nbconvert points the export's require.js and MathJax at file:// URLs of the exporting machine's
# javascript folder, which a shared copy cannot load: load them from public CDNs instead (the same
# versions Debian packages: require.js 2.3, MathJax 2.7).
REQUIRE_JS = "https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js"
MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@2.7.9/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


def html_resources(nb, path):
    """The export's resources: the page's title is the notebook's first heading (else its file name)."""
    title = os.path.basename(path)[:-len(".ipynb")]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return {"metadata": {"name": line[2:].strip()}}
            break
    return {"metadata": {"name": title}}


def exporter():
    e = HTMLExporter()
    e.mathjax_url = MATHJAX
    e.require_js_url = REQUIRE_JS
    return e


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=int, default=3600, help="per-cell timeout in seconds")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    # No browser draws widgets here: a live panel (dales_law_explore.ipynb) draws its default state instead.
    os.environ["SNN_HEADLESS"] = "1"
    ok = all([execute(p, args.timeout) for p in args.notebooks])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
