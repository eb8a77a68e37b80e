"""Run the README's "Using it" block as it stands, in an empty folder, as a newcomer would right after installing."""
import os, re, subprocess, sys, tempfile
from pathlib import Path

readme = (Path(__file__).resolve().parent.parent / 'README.md').read_text()
section = readme.split('## Using it', 1)[1]
block = re.search(r'```python\n(.*?)```', section, re.S).group(1)
with tempfile.TemporaryDirectory() as tmp:
    (Path(tmp) / 'using_it.py').write_text(block)
    p = subprocess.run([sys.executable, 'using_it.py'], cwd=tmp, env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '3'})
sys.exit(f"README's 'Using it' block failed (exit {p.returncode})" if p.returncode else 0)
