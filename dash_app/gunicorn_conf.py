"""gunicorn settings for `make serve`: `gunicorn --config dash_app/gunicorn_conf.py dash_app.app:server`.

The Makefile passes --bind and --workers on the command line (they override what is set here);
the defaults below make a bare `gunicorn -c dash_app/gunicorn_conf.py dash_app.app:server` serve
the same way: TRENDVAKT_HOST / TRENDVAKT_PORT (dash_app/config.py), TRENDVAKT_WORKERS.
"""
from __future__ import annotations

import os

from dash_app import config as app_config  # not `config`: gunicorn reads that name as its --config setting


def default_workers() -> int:
    """2 x usable cores + 1, at most 8 (the Makefile's WORKERS default is the same): a request is
    mostly Python (pandas, plotly) holding the GIL, so processes, not threads, give parallelism;
    each worker's memory grows with what it has rendered (about 90 MB at start, shared with the
    master through preload), hence the cap."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cores + 1, 8)


wsgi_app = "dash_app.app:server"
bind = [f"{app_config.host()}:{app_config.port()}"]
workers = int(os.environ.get("TRENDVAKT_WORKERS", "").strip() or default_workers())
# A few threads a worker: a page load fires several Dash callbacks at once, and a thread waiting on
# DuckDB (which releases the GIL while it scans) or on a slow client does not hold a whole process.
# Threads of one worker share its reader instance of the published file (warehouse/connection.py,
# thread-safe under its lock). gthread also keeps connections alive, which sync workers do not.
worker_class = "gthread"
threads = int(os.environ.get("TRENDVAKT_THREADS", "").strip() or 4)
# Generous: the first request of a worker renders figures cold and may wait on a DuckDB file that a
# publish is replacing. gthread workers heartbeat from their main loop, so this kills a hung
# worker, not a slow request.
timeout = 120
graceful_timeout = 30
keepalive = 5

# preload_app = True: the app (Dash, pandas, plotly, the page registry: about 1.5 s of imports) is
# imported once in the master and the workers are forked from it, sharing those pages of memory and
# starting at once; an import error stops `make serve` before any worker starts. This is safe only
# because importing dash_app.app opens no DuckDB connection: every query opens its reader inside
# the request (dash_app/queries.py, warehouse/connection.open_published_reader), so each worker
# opens its own after the fork. A DuckDB instance opened in the master would be copied into every
# worker with its threads gone and its locks in whatever state they were: `pre_fork` below refuses
# to fork (the master exits) if it holds an open reader of the published file. (Code reload on HUP
# is lost with preload; restart instead.)
preload_app = True

# Logs to the terminal: access lines on stdout, errors and gunicorn's own messages on stderr.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# 127.0.0.1 [03/Dec/2026:12:00:00 +0000] "GET /alcohol?lang=en HTTP/1.1" 200 4581 B 12 ms
# The size is the Content-Length header: gunicorn's own byte count (%(B)s) is 0 for files it
# sends with sendfile (the assets).
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %({content-length}o)s B %(M)s ms'

# No control socket: its default path ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl) is one per
# user, so two servers (a test next to `make serve`) would fight over it; nothing here uses gunicornc.
control_socket_disable = True


def when_ready(server) -> None:
    listeners = ", ".join(str(listener) for listener in server.LISTENERS)
    print(f"trendvakt: serving {listeners}/ with {server.cfg.workers} workers x {server.cfg.threads} "
          f"threads (warehouse {app_config.warehouse_path()})", flush=True)


def pre_fork(server, worker) -> None:
    from warehouse.connection import open_reader_count

    if open_reader_count():
        raise RuntimeError("the gunicorn master holds an open DuckDB reader; with preload_app the "
                           "workers would inherit it. Open connections per request, not at import.")


def post_worker_init(worker) -> None:
    """Set Dash up in this worker before it accepts a request. Dash does its setup on a process's
    first requests (Dash._setup_server registers the script paths it will serve, the pages router
    registers its callback), marking each done before doing it and with no lock: with threads, a
    fresh worker's concurrent first requests then find the setup "done" but empty and answer 500
    ("dash is not a registered library") or miss the router callback. One request here, alone,
    does it; GET / renders only the HTML shell, no view, so it opens no DuckDB connection."""
    from werkzeug.test import Client

    status = Client(worker.wsgi).get("/").status_code
    if status != 200:
        worker.log.warning("trendvakt: warm-up GET / answered %s", status)
