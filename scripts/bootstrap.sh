# Sourced by the other scripts: make .venv with the package and its dev tools installed.
# Re-installs only when pyproject.toml changes (its hash is kept in .venv/.installed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "arendegen: skapar $venv" >&2
  "$python" -m venv "$venv"
fi
stamp="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]; then
  echo "arendegen: installerar paketet och utvecklingsverktygen i $venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e "$root[dev]"
  echo "$stamp" > "$venv/.installed"
fi
# Bytecode for the package's own modules, as a wheel install would have it: without it every
# run compiles them again (a sixth of `arendegen validate`'s time), when PYTHONDONTWRITEBYTECODE
# is set or the checkout is read-only. Only changed files are compiled.
"$venv/bin/python" -m compileall -q "$root/src" >/dev/null
"$root/scripts/install-system-deps"
export PATH="$venv/bin:$PATH"
cd "$root"
