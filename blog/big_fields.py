"""The post's large columns: what a list of posts never shows and so never loads.

One list for every admin list that loads posts (the post changelist, the comment queue's
post links), so a field added to the post row is left out everywhere at once.
"""

POST_BIG_FIELDS = [
    "body",
    "body_html",
    "excerpt",
    "summary",
    "updates_top_html",
    "updates_appended_html",
    "sources_html",
    "comments_html",
    "article_html",
    "listing_html",
    "head_html",
    "cache_keys",
]
