"""Input handling: turning one file on disk into the text that is analysed."""

from claimledger.ingest.reader import DEFAULT_MAX_BYTES, LoadedText, load_text, read_document

__all__ = ["DEFAULT_MAX_BYTES", "LoadedText", "load_text", "read_document"]
