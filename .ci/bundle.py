"""CI: the Kaggle bundle, as a user gets it onto Kaggle. Two tiny models (one of each family) are bundled with
`nfl_mask_bundle`; a fresh virtual environment gets only the wheel's runtime requirements and what Kaggle's image has
besides (polars, a Jupyter kernel), never nfl_mask; the bundle's notebook runs in a Jupyter kernel of that environment,
from a folder of its own as on Kaggle, installs nfl_mask from the bundle with no index and serves the synthetic test
plays through the emulated gateway. Every answer must keep the contract and equal `write_submission`'s ensemble to 1e-5.
Then a bundle whose model was saved with a newer Keras must be refused by a message alone, not a traceback."""
import json, os, shutil, subprocess, sys, tempfile, time, venv
from pathlib import Path

import numpy as np
import pandas as pd


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode: sys.exit(f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r


def executed(notebook: Path, env: dict) -> list[dict]:
    "The cells of `notebook` executed by nbconvert in the kernel `kaggle_like` (errors kept in the cells, not raised)."
    run('jupyter', 'nbconvert', '--to', 'notebook', '--execute', notebook, '--output', 'executed.ipynb', '--allow-errors',
        '--ExecutePreprocessor.kernel_name=kaggle_like', '--ExecutePreprocessor.timeout=600', '--log-level', 'WARN', env=env)
    return json.loads((notebook.parent / 'executed.ipynb').read_text())['cells']


def text_of(cells: list[dict]) -> str:
    return '\n'.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', ''))
                     for c in cells for o in c.get('outputs', []))


def errors_of(cells: list[dict]) -> list[list[str]]:
    return [o['traceback'] for c in cells for o in c.get('outputs', []) if o['output_type'] == 'error']


t0 = time.perf_counter()
tmp = Path(tempfile.mkdtemp(prefix='bundle_check_'))
env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '3'}
from nfl_mask.train import run_training_pipeline
from nfl_mask.serve import write_submission
from nfl_mask.gateway import check_answer

kw = dict(SYNTH_DIR=str(tmp / 'synth'), SYNTH_PLAYS=200, CACHE_PATH=None, MAX_OUTPUT_LEN=30, UNITS=16, EPOCHS=1, VERBOSE=0)
run_training_pipeline(kw, OUT_DIR=str(tmp / 'player'))
run_training_pipeline(kw, OUT_DIR=str(tmp / 'play'), ARCH='play', HEADS=2, SEED=1)
run('nfl_mask_bundle', tmp / 'player', tmp / 'play', '--out', tmp / 'bundle', env=env)
manifest = json.loads((tmp / 'bundle' / 'nfl_mask_bundle.json').read_text())

venv.create(tmp / 'venv', with_pip=True)
py = tmp / 'venv' / 'bin' / 'python'
run(py, '-m', 'pip', 'install', '-q', *manifest['requires'], 'polars', 'ipykernel')
run(py, '-m', 'ipykernel', 'install', '--prefix', tmp / 'venv', '--name', 'kaggle_like')
if subprocess.run([py, '-c', 'import nfl_mask'], capture_output=True, cwd=tmp).returncode == 0: sys.exit("the fresh environment already has nfl_mask")
t_env = time.perf_counter() - t0

work = tmp / 'working'           # on Kaggle the notebook runs in /kaggle/working, the bundle attached elsewhere
work.mkdir()
shutil.copy(tmp / 'bundle' / 'submission.ipynb', work)
kernel_env = {**env, 'JUPYTER_PATH': str(tmp / 'venv' / 'share' / 'jupyter'), 'NFL_MASK_BUNDLE': str(tmp / 'bundle'),
              'NFL_MASK_DATA': str(tmp / 'synth')}
for k in ('PYTHONPATH', 'VIRTUAL_ENV'): kernel_env.pop(k, None)
cells = executed(work / 'submission.ipynb', kernel_env)
if errors_of(cells): sys.exit("the bundle's notebook failed:\n" + '\n'.join(map('\n'.join, errors_of(cells))))
out = text_of(cells)
site = tmp / 'venv' / 'lib'
for expected in (f"nfl_mask {manifest['version']} installed from its wheel", f"nfl_mask {manifest['version']} from {site}"):
    if expected not in out: sys.exit(f"the notebook's output lacks {expected!r}:\n{out[-3000:]}")

sub = pd.read_csv(work / 'submission.csv')
test = pd.read_csv(tmp / 'synth' / 'test.csv')
for (g, p), rows in test.groupby(['game_id', 'play_id'], sort=False):
    problems = check_answer(sub.set_index('id').loc[rows.id, ['x', 'y']].reset_index(drop=True), rows)
    if problems: sys.exit(f"play {(g, p)}: {problems}")
write_submission([tmp / 'player', tmp / 'play'], tmp / 'synth', tmp / 'reference.csv', verbose=False)
ref = pd.read_csv(tmp / 'reference.csv')
if sub.id.tolist() != ref.id.tolist(): sys.exit("the notebook's submission has other ids than write_submission's")
gap = float(np.abs(sub[['x', 'y']].to_numpy() - ref[['x', 'y']].to_numpy()).max())
if not gap <= 1e-5: sys.exit(f"the notebook's answers differ from write_submission's ensemble by up to {gap:.2e} yd")

newer = tmp / 'bundle_newer_keras'                     # a model saved with a Keras newer than the one installed
shutil.copytree(tmp / 'bundle', newer)
m = json.loads((newer / 'nfl_mask_bundle.json').read_text())
m['models'][1]['keras_version'] = '99.0.0'
(newer / 'nfl_mask_bundle.json').write_text(json.dumps(m))
cells = executed(work / 'submission.ipynb', {**kernel_env, 'NFL_MASK_BUNDLE': str(newer)})
errors = errors_of(cells)
if len(errors) != 1 or len(errors[0]) != 1 or 'saved with Keras 99.0.0' not in errors[0][0]:
    sys.exit(f"a model saved with a newer Keras should be refused by one message line; the notebook showed {errors}")
size_mb = sum(f.stat().st_size for f in (tmp / 'bundle').rglob('*') if f.is_file()) / 2**20
print(f"bundle ({size_mb:.1f} MB) "
      f"installed with no index into a fresh environment ({t_env:.0f} s to make it) and served {len(sub):,} rows through its "
      f"notebook in a Jupyter kernel: within the contract, {gap:.1e} yd from write_submission's ensemble; a model saved with "
      f"a newer Keras refused with: {errors[0][0][:120]}…  ({time.perf_counter() - t0:.0f} s in all)")
shutil.rmtree(tmp, ignore_errors=True)
