"""Blogs moving house: import from Blogger and WordPress exports, export the whole blog.

- imports.py: one import (detect the format, stream the file, load it)
- read.py: safe, streamed XML (defusedxml, iterparse), format detection, errors
- blogger.py, wordpress.py, native.py: Blogger Atom, WordPress WXR 1.1/1.2 and our own
  JSON Lines export -> items (items.py)
- bodies.py: imported HTML -> the body format, and the quotations found in it
- load.py: items -> rows, in one transaction, idempotent (models.ImportedItem)
- export.py: JSON Lines and WXR writers; admin.py: the admin's import page
"""
