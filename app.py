"""kztrade dashboard. Start it with `make run` (or `streamlit run app.py`)."""

from kztrade.ui import main

main()
