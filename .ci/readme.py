"""README.md is nbs/index.ipynb rendered as Markdown (Quarto, which nbdev_readme needs, is not installable here), and every
notebook's measured tables are rendered from the results files that the commands which measured them wrote.
`python .ci/readme.py` writes both; `python .ci/readme.py --check` fails when either is out of date.

Markdown cells of index are copied; `#| hide` cells are run, not shown; an `#| echo: false` cell is replaced by the
Markdown it renders now (the tables come from nbs/results/*.json). In the other notebooks an `#| echo: false` cell
stands alone (it reads its results file itself) and its kept output is the Markdown it renders now, so a notebook opened
on GitHub, in Jupyter without running anything, and the README quote the same figures."""
import ast, json, os, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root / 'nbs')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

def flags_body(src: str) -> tuple[list, str]:
    lines = src.splitlines()
    return [l[2:].strip() for l in lines if l.startswith('#|')], '\n'.join(l for l in lines if not l.startswith('#|'))

def render(body: str, namespace: dict) -> str:
    "The Markdown an `echo: false` cell shows: its statements run, its last one evaluated (an IPython `Markdown`)."
    tree = ast.parse(body)
    *setup, last = tree.body
    exec(compile(ast.Module(setup, []), '<cell>', 'exec'), namespace)
    return eval(compile(ast.Expression(last.value), '<cell>', 'eval'), namespace).data.strip()

def kept(c: dict) -> list:
    return [''.join(o['data'].get('text/markdown', '')) for o in c.get('outputs', []) if o['output_type'] == 'execute_result']

def markdown_output(text: str) -> list:
    lines = text.splitlines(keepends=True)
    return [dict(output_type='execute_result', execution_count=None, metadata={},
                 data={'text/markdown': lines, 'text/plain': ['<IPython.core.display.Markdown object>']})]

stale, notebooks = [], {}
for path in sorted(Path('.').glob('*.ipynb')):
    nb = json.loads(path.read_text())
    namespace, parts, changed = {}, [], False
    for i, c in enumerate(nb['cells']):
        src = ''.join(c['source']).strip()
        if not src: continue
        if path.name == 'index.ipynb' and c['cell_type'] == 'markdown':
            parts.append(src.replace('](images/', '](nbs/images/')); continue
        if c['cell_type'] != 'code': continue
        flags, body = flags_body(src)
        if 'echo: false' in flags:
            try: text = render(body, namespace if path.name == 'index.ipynb' else {})
            except Exception as e: sys.exit(f"nbs/{path.name} cell {i} does not render: {type(e).__name__}: {e}")
            if kept(c) != [text]:
                stale.append(f"{path.name} cell {i}"); c['outputs'] = markdown_output(text); changed = True
            parts.append(text)
        elif path.name == 'index.ipynb':
            if 'hide' in flags: exec(body, namespace)
            else: parts.append(f"```python\n{body}\n```")
    if changed: notebooks[path] = nb
    if path.name == 'index.ipynb': readme = '\n\n'.join(parts) + '\n'

if '--check' in sys.argv:
    if stale: sys.exit(f"the kept output of {', '.join(stale)} differs from what it renders now from nbs/results: "
                       "run python .ci/readme.py and commit the notebooks")
    if (root / 'README.md').read_text() != readme:
        sys.exit('README.md is out of date with nbs/index.ipynb: run python .ci/readme.py and commit it')
else:
    for path, nb in notebooks.items(): path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    (root / 'README.md').write_text(readme)
    print(f"README.md written; rendered tables updated in {len(notebooks)} notebook(s): {', '.join(p.name for p in notebooks) or 'none'}")
