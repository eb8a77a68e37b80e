"""README.md is nbs/index.ipynb rendered as Markdown (Quarto, which nbdev_readme needs, is not installable here).
`python .ci/readme.py` writes it; `python .ci/readme.py --check` fails when README.md is out of date."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
cells = json.loads((root / 'nbs' / 'index.ipynb').read_text())['cells']
parts = []
for c in cells:
    src = ''.join(c['source']).strip()
    if not src or src.startswith('#|'): continue
    parts.append(src.replace('](images/', '](nbs/images/') if c['cell_type'] == 'markdown' else f"```python\n{src}\n```")
text = '\n\n'.join(parts) + '\n'
if '--check' in sys.argv:
    if (root / 'README.md').read_text() != text:
        sys.exit('README.md is out of date with nbs/index.ipynb: run python .ci/readme.py and commit it')
else:
    (root / 'README.md').write_text(text)
