"""Serve a floor script (`python bench/serve_floor.py SCRIPT [streamlit options]`) with
the app's own start-up (dashboard.serve: imports warmed while the browser loads, the
quicker start-up steps): the map-only floor measured the way the app is served."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import serve  # noqa: E402

if __name__ == "__main__":
    serve.main(sys.argv[2:], script=Path(sys.argv[1]).resolve())
