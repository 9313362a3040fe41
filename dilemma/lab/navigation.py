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

__all__ = ["Page", "PAGES", "JOIN_PAGE", "ALL_PAGES", "PAGES_DIR", "page_for", "is_student_url"]

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
    sidebar : bool
        Whether the page shows the lab's scenario sidebar and is listed in the
        navigation (False: the students' join page, small on a phone).
    """

    file: str
    title: str
    icon: str
    url_path: str
    sidebar: bool = True

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
    Page("tour.py", "Guided tour", ":material/school:", "tour"),
    Page("glossary.py", "Glossary", ":material/menu_book:", "glossary"),
    Page("follow_the_money.py", "Follow the money", ":material/account_tree:", "follow-the-money"),
    Page("classroom.py", "Classroom (lecturer)", ":material/groups:", "classroom"),
]

#: The students' page (``/join?room=CODE``): no sidebar, not in the lab's menu.
JOIN_PAGE = Page("join.py", "Join a class", ":material/login:", "join", sidebar=False)

#: Every page the app routes to.
ALL_PAGES: list[Page] = [*PAGES, JOIN_PAGE]


def is_student_url(url: str | None) -> bool:
    """Whether a browser URL opens the students' page (then the app draws no navigation).

    >>> is_student_url("http://10.0.0.5:8501/join?room=AB3CD"), is_student_url("http://x/classroom")
    (True, False)
    """
    from urllib.parse import urlparse

    return bool(url) and urlparse(url).path.rstrip("/").endswith("/" + JOIN_PAGE.url_path)


def page_for(url_path: str) -> Page:
    """The page with this URL path (``""`` is the default page).

    Raises
    ------
    KeyError
        No page has that path.
    """
    for page in ALL_PAGES:
        if page.url_path == url_path:
            return page
    raise KeyError(f"no lab page at /{url_path}; pages: {[p.url_path for p in PAGES]}")
