"""The Streamlit lab: the pages, their shared sidebar, and the lab's pure state.

Nothing in the core package imports this subpackage; it ships in the
distribution so that ``dilemma lab`` works from an installed wheel.

============== ================================================================
module         what
============== ================================================================
``entry/app``  the entry script Streamlit runs (``dilemma lab``; ``app.py`` in a
               checkout runs it too): page config, navigation, sidebar. In a
               folder of its own: Streamlit runs a ``pages/`` folder beside the
               main script as a v1 multipage app
``pages/``     one script per page; each collects inputs, calls the package and
               renders (no computation of its own)
``navigation`` the list of pages (file, title, icon, URL path): pure data, read
               by ``app`` and by the tests
``common``     what every page shares: the sidebar, cached calls into the core
``state``      pure, unit-tested lab state: URL format, slider steps, settings
============== ================================================================

To add a page, write ``pages/<name>.py`` and add one :class:`~dilemma.lab.navigation.Page`
to :data:`dilemma.lab.navigation.PAGES`.
"""
