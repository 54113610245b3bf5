"""kztrade: the Kazakhstan–Russia figures of a News.Az interview, with their sources."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_DIR / "data"
# The research copy lives beside the repository, not inside it; check compares against it when present.
REFERENCE_INTERVIEW = PROJECT_DIR.parent / "shared" / "research" / "interview.txt"
