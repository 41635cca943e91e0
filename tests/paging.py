"""Following a list's pager as a reader does."""

import re


def pages(client, url, rel="next"):
    """Every page reached from `url` by following rel=`rel` links: (url, html) pairs."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        seen.append((url, html))
        found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
        url = found and found.group(1).replace("&amp;", "&")
        if url and url.startswith("?"):
            url = seen[0][0].split("?")[0] + url
        assert len(seen) < 50, "the pager does not end"
    return seen
