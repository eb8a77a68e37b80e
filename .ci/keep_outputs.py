"""Keep the outputs of a notebook's cheap, deterministic cells, so GitHub and a reader see them without running anything.

    python .ci/keep_outputs.py nbs/00_data.ipynb nbs/index.ipynb ...
    python .ci/keep_outputs.py --flags torch --runs 1 --max-seconds 3600 nbs/tests_backends.ipynb

Runs each notebook twice (`--runs`), each time in a fresh process from its own folder, as `nbdev_test` does (cells
flagged with `tst_flags` and `eval: false` skipped, but for the `--flags` given, as `nbdev_test --flags` runs them), and
writes back the outputs of the code cells that are not exported, took under `--max-seconds` in every run, printed
exactly the same each time (stderr dropped) and whose outputs are under `--max-kb` (small plots, tables; not a gallery
of images). Every other cell's outputs are cleared. One run keeps what a cell too slow to run twice printed; it
cannot check that the cell prints the same each time. `nbdev_clean` (`clear_all = False` in settings.ini) keeps what this writes."""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

SKIP = {'slow', 'torch'}

def directives(src: str) -> dict:
    d = {}
    for line in src.splitlines():
        if not line.startswith('#|'): break
        k, *v = line[2:].strip().split(None, 1)
        d[k.rstrip(':')] = v[0].strip() if v else ''
    return d

def run_once(path: Path, flags: set) -> list:
    "Outputs and seconds of every code cell of `path`, None for cells skipped (`SKIP` but `flags`), run in this process."
    from execnb.shell import CaptureShell
    cells = json.loads(path.read_text())['cells']
    os.chdir(path.parent)
    shell, results = CaptureShell(path), []
    for c in cells:
        d = directives(''.join(c['source'])) if c['cell_type'] == 'code' else {}
        if c['cell_type'] != 'code' or (SKIP - flags) & d.keys() or d.get('eval', '') == 'false':
            results.append(None); continue
        start = time.perf_counter()
        outs = shell.run(''.join(c['source']))
        if shell.exc: raise SystemExit(f"{path}: cell {len(results)} failed: {shell.exc!r}")
        outs = [o for o in json.loads(json.dumps(outs, default=str)) if not (o.get('output_type') == 'stream' and o.get('name') == 'stderr')]
        for o in outs: o.pop('execution_count', None)
        results.append(dict(outputs=outs, seconds=time.perf_counter() - start))
    return results

def keep(path: Path, max_seconds: float, max_kb: float, flags: set = frozenset(), n_runs: int = 2) -> int:
    runs = []
    for _ in range(n_runs):
        p = subprocess.run([sys.executable, __file__, '--once', str(path), *flags], capture_output=True, text=True,
                           env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3'))
        if p.returncode: raise SystemExit(f"{path}: a run failed:\n{p.stderr[-4000:]}")   # the failing cell's own message
        runs.append(json.loads(p.stdout))
    nb = json.loads(path.read_text())
    kept = 0
    for c, *rs in zip(nb['cells'], *runs):
        if c['cell_type'] != 'code': continue
        d, a = directives(''.join(c['source'])), rs[0]
        good = (all(rs) and 'export' not in d and 'hide' not in d and a['outputs'] and all(r['outputs'] == a['outputs'] for r in rs)
                and max(r['seconds'] for r in rs) < max_seconds and len(json.dumps(a['outputs'])) < max_kb * 1024)
        c['outputs'] = [dict(o, execution_count=None) if o['output_type'] == 'execute_result' else o for o in a['outputs']] if good else []
        kept += bool(good)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return kept

if __name__ == '__main__':
    if sys.argv[1] == '--once':
        sys.stdout.write(json.dumps(run_once(Path(sys.argv[2]).resolve(), set(sys.argv[3:])))); sys.exit()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+'); p.add_argument('--max-seconds', type=float, default=5.0)
    p.add_argument('--max-kb', type=float, default=150.0)
    p.add_argument('--flags', action='append', default=[], choices=sorted(SKIP), help='also run the cells with this tst_flag (repeatable)')
    p.add_argument('--runs', type=int, default=2, help='runs whose outputs must agree (1: a cell too slow to run twice)')
    a = p.parse_args()
    for nb in a.notebooks:
        print(f"{nb}: outputs kept for {keep(Path(nb).resolve(), a.max_seconds, a.max_kb, set(a.flags), a.runs)} cell(s)")
