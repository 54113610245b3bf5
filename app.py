"""kztrade dashboard. Start it with `make run` (or `streamlit run app.py`).

This file is both the script Streamlit runs for every visit and the server's app: `streamlit run app.py` finds the
`st.App` below (by reading this file) and imports it, and the App's lifespan (kztrade/serve.py) gets the page ready
while the server starts. Each visit runs this file as `__main__`."""

import streamlit as st

if __name__ == "__main__":
    from kztrade.ui import main

    main()
else:
    from kztrade.serve import lifespan

    app = st.App("app.py", lifespan=lifespan)
