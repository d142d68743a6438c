#!/bin/sh
# Print the path of a working CPython 3.10 (Rasa 3.6 needs Python < 3.11; the pins in
# requirements.txt are for 3.10). Each candidate is run, because a pyenv shim named
# python3.10 exists even when no pyenv version selects it, and then it fails.
# Override with RASA_PYTHON=/path/to/python3.10.
set -u
ok() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
for cand in "${RASA_PYTHON:-}" \
    "$(command -v python3.10 2>/dev/null)" \
    $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 2>/dev/null | sort -rV) \
    /usr/local/bin/python3.10 /usr/bin/python3.10 /opt/python3.10/bin/python3.10; do
  if ok "$cand"; then
    "$cand" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "No working python3.10 found (Rasa 3.6 needs Python 3.10)." >&2
echo "Install one (e.g. 'pyenv install 3.10' or your distribution's python3.10)," >&2
echo "or point RASA_PYTHON at it: make rasa-venv RASA_PYTHON=/path/to/python3.10" >&2
exit 1
