"""Blogs moving house: import from Blogger and WordPress exports, export the whole blog.

read.py       safe, streamed XML (defusedxml, iterparse), format detection, errors
blogger.py    Blogger Atom export -> items      wordpress.py  WXR 1.1/1.2 -> items
bodies.py     imported HTML -> the body format, quotations found on the way in
load.py       items -> rows, in one transaction, idempotent (ImportedItem)
native.py     our own JSON export -> items      export.py     JSON and WXR writers
"""
