"""Admin search and finders over quotations that cost the same at 300 or 300,000 rows.

Django's admin search is a case-insensitive LIKE on every search field, joined across
speakers and sources: a scan of the whole table per keystroke in the quotation finder
(1.4 s at 10,000 posts under load), then a COUNT of the same scan to say whether more
results follow. Here the words are looked up in the full-text documents the renderers
keep anyway (quotes/search_documents.py), as prefixes, and the finder learns whether
another page follows by reading one row more.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

from . import search_documents

# Matches a search considers, newest first; a finder shows 20 at a time.
MAX_MATCHES = 200


class LookAheadPage(Page):
    def has_next(self):
        return self.more


class LookAheadPaginator(Paginator):
    """Pages that know whether another follows from one extra row: no COUNT."""

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = LookAheadPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page


class IndexedQuotationSearch:
    """For QuotationAdmin: search by words (prefixes, in the words, speaker or source) or
    by id ("123" or "#123"), through the search index (finders page without a COUNT:
    quotes/finder.py)."""

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.startswith("#") and term[1:].isdigit():  # an id, as the finder lines show it
            return queryset.filter(pk=int(term[1:])), False
        ids = search_documents.prefix_matches("quotation", term, MAX_MATCHES)
        if term.isdigit():  # a number in the words, or an id
            ids.append(int(term))
        return queryset.filter(pk__in=ids), False
