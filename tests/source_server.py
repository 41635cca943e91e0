"""A real HTTP server on 127.0.0.1 for the source-fetching tests: routes set per test."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Route:
    def __init__(self, body=b"", status=200, content_type="text/html; charset=utf-8", **extra):
        self.body, self.status, self.content_type = body, status, content_type
        self.location = extra.get("location")
        self.delay = extra.get("delay", 0)
        self.repeat = extra.get("repeat", 1)  # the body is sent this many times (big answers)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.server.routes.get(self.path)
        if route is None:
            route = Route(b"not here", status=404, content_type="text/plain")
        self.server.hits.append(self.path)
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.location:
            self.send_header("Location", route.location)
        self.send_header("Content-Length", str(len(route.body) * route.repeat))
        self.end_headers()
        try:
            for _ in range(route.repeat):
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its size limit

    def log_message(self, *args):
        pass


class SourceServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes, self.httpd.hits = {}, []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def routes(self):
        return self.httpd.routes

    @property
    def hits(self):
        return self.httpd.hits

    def url(self, path):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def article(*paragraphs, title="An article"):
    """A news-like HTML page with the paragraphs as its body, and site chrome around it."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body>"
        "<nav><a href=/>Home</a> <a href=/world>World</a></nav>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer>Copyright the publisher</footer></body></html>"
    )
    return html.encode("utf-8")
