"""Blogs moving house: import from Blogger and WordPress exports, export the whole blog.

    imports.py    one import: detect the format, stream the file, load it
    read.py       safe, streamed XML (defusedxml, iterparse), format detection, errors
    blogger.py    Blogger Atom export -> items      wordpress.py  WXR 1.1/1.2 -> items
    native.py     our own JSON Lines export -> records
    items.py      what readers hand the loader      bodies.py     HTML -> body format,
                                                                  quotations found
    load.py       items -> rows, in one transaction, idempotent (models.ImportedItem)
    export.py     JSON Lines and WXR writers        admin.py      the admin's import page
"""
