"""gunicorn settings: `gunicorn config.wsgi -c config/gunicorn.conf.py`.

Sync workers: every request is short (pages are stored HTML or cached), so a few
processes per core keep the CPUs busy without a thread pool's overhead.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Recycle workers now and then so that no slow leak grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# gunicorn 27's control socket defaults to one path shared by every gunicorn on the
# machine (~/.gunicorn/gunicorn.ctl); app servers do not need it.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
