"""The lab's pages as pure data: one list read by the app, the tests and the screenshot script.

Examples
--------
>>> [p.url_path for p in PAGES][:2]
['', 'regime-map']
>>> page_for("repeated").title
'Repeated play'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Page", "PAGES", "PAGES_DIR", "page_for"]

#: Folder of the page scripts.
PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class Page:
    """One page of the lab.

    Attributes
    ----------
    file : str
        Script name inside :data:`PAGES_DIR`.
    title : str
        Title in the navigation and the browser tab.
    icon : str
        Streamlit material icon.
    url_path : str
        Path in the link (``""`` for the default page, served at ``/``).
    """

    file: str
    title: str
    icon: str
    url_path: str

    @property
    def path(self) -> Path:
        """Absolute path of the page script."""
        return PAGES_DIR / self.file

    @property
    def default(self) -> bool:
        """The page served at ``/``."""
        return self.url_path == ""


PAGES: list[Page] = [
    Page("one_shot.py", "The dilemma (one year)", ":material/balance:", ""),
    Page("regime_map.py", "Regime map", ":material/map:", "regime-map"),
    Page("repeated.py", "Repeated play", ":material/replay:", "repeated"),
    Page("tournament.py", "Tournament and evolution", ":material/emoji_events:", "tournament"),
    Page("scenario_page.py", "Scenario and downloads", ":material/description:", "scenario"),
]


def page_for(url_path: str) -> Page:
    """The page with this URL path (``""`` is the default page).

    Raises
    ------
    KeyError
        No page has that path.
    """
    for page in PAGES:
        if page.url_path == url_path:
            return page
    raise KeyError(f"no lab page at /{url_path}; pages: {[p.url_path for p in PAGES]}")
