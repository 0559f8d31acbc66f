"""Renderers: what analyses and the ledger's records look like outside Python — terminal
reports and tables (:mod:`.report`, :mod:`.tables`), timeline charts (:mod:`.timeline`),
brat annotations (:mod:`.brat`) and the claim exports (:mod:`.export`)."""
