"""Glossary: the words the lab uses, one anchor each (``glossary#delta``).

The entries are data in :mod:`dilemma.teaching` (:data:`~dilemma.teaching.GLOSSARY`);
pages link here with :func:`dilemma.lab.common.glossary` and show the same text
in tooltips with :func:`dilemma.lab.common.define`.
"""

import streamlit as st

from dilemma.teaching import GLOSSARY

st.title("Glossary")
st.markdown("The words the lab uses, in plain language. Each entry says where in the lab you can see the idea "
            "at work. Jump to: " + " · ".join(f"[{t.word}](#{t.anchor})" for t in GLOSSARY.values()))

for term in GLOSSARY.values():
    st.subheader(term.word, anchor=term.anchor)
    st.markdown(term.text)
    if term.see_title:
        st.caption(f"See it on: [{term.see_title}]({term.see or '/'})")
