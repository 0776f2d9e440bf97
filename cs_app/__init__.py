"""Customer Success views of the published analyst database: data access, charts and templates
shared by the Streamlit app (cs_app/streamlit_app.py) and the static report (scripts/report.py)."""
