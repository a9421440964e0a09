"""Loading published files into the raw schema of the build database.

One generic loader (`loader.py`) drives everything; each source is a declarative spec in
`sources/*.yml`; each file format has one parser in `parsers/`.
"""
