"""README.md is nbs/index.ipynb rendered as Markdown (Quarto, which nbdev_readme needs, is not installable here).
`python .ci/readme.py` writes it; `python .ci/readme.py --check` fails when README.md is out of date.

Markdown cells are copied; `#| hide` cells are run, not shown; an `#| echo: false` cell is replaced by the Markdown it
renders now (the tables come from nbs/results/*.json), and `--check` also fails when the output kept in the notebook
differs from that, so the notebook on GitHub and the README quote the same figures."""
import json, os, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
cells = json.loads((root / 'nbs' / 'index.ipynb').read_text())['cells']
os.chdir(root / 'nbs')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
namespace, parts, stale = {}, [], []
for i, c in enumerate(cells):
    src = ''.join(c['source']).strip()
    if not src: continue
    if c['cell_type'] == 'markdown':
        parts.append(src.replace('](images/', '](nbs/images/')); continue
    lines = src.splitlines()
    flags = [l[2:].strip() for l in lines if l.startswith('#|')]
    body = '\n'.join(l for l in lines if not l.startswith('#|'))
    if 'echo: false' in flags:
        *setup, last = body.splitlines()
        exec('\n'.join(setup), namespace)
        text = eval(last, namespace).data.strip()
        kept = [''.join(o['data'].get('text/markdown', '')) for o in c.get('outputs', []) if o['output_type'] == 'execute_result']
        if kept != [text]: stale.append(i)
        parts.append(text)
    elif 'hide' in flags: exec(body, namespace)
    else: parts.append(f"```python\n{body}\n```")
text = '\n\n'.join(parts) + '\n'
if '--check' in sys.argv:
    if stale: sys.exit(f"nbs/index.ipynb: the kept output of cell(s) {stale} differs from what they render now: "
                       "run python .ci/keep_outputs.py nbs/index.ipynb and commit it")
    if (root / 'README.md').read_text() != text:
        sys.exit('README.md is out of date with nbs/index.ipynb: run python .ci/readme.py and commit it')
else:
    (root / 'README.md').write_text(text)
