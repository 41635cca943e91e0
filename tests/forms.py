"""What a browser would send for a form on a page: its fields as the page fills them."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.textarea = self.select = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self.textarea and self.data[self.textarea][-1].startswith("\n"):
                self.data[self.textarea][-1] = self.data[self.textarea][-1][1:]
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_data(html, form_id):
    """{name: value or [values]} of the form with id `form_id` in `html`."""
    reader = FormReader(form_id)
    reader.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in reader.data.items()}
