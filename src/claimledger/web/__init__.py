"""The web UI: HTML pages over a ledger, served by the same process as the JSON API.

``install(app)`` adds the pages and mounts ``/static``; the pages read the ledger from
``app.state.ledger``. Nothing is loaded from outside the app: no CDN, no web fonts.
"""

from __future__ import annotations

from claimledger.web.views import SECURITY_HEADERS, install

__all__ = ["SECURITY_HEADERS", "install"]
