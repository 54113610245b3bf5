"""The baseline for bench/serve_bench.py: a minimal Streamlit app with one plotly chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.title("Baseline")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])), theme=None, key="plot-baseline")
