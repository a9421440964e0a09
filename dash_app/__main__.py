"""`python -m dash_app`: Flask's development server on TRENDVAKT_HOST:TRENDVAKT_PORT (default
127.0.0.1:8050), one process, for working on the app (`make dev`). Planners get `make serve`
(gunicorn, several workers: dash_app/gunicorn_conf.py).

TRENDVAKT_DEBUG=1 (set by `make dev`) turns on Dash's debug mode: dev tools in the page (callback
errors and the callback graph), hot reload when code or assets change, Werkzeug's debugger. Off by
default, and never on a non-loopback host: the debugger runs Python for whoever reaches it.
"""
import os

from dash_app import config
from dash_app.app import app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def main() -> None:
    host, port = config.host(), config.port()
    debug = os.environ.get("TRENDVAKT_DEBUG", "").strip() not in ("", "0")
    if debug and host not in LOOPBACK:
        print(f"trendvakt: debug mode stays off on {host} (it is for 127.0.0.1 only)", flush=True)
        debug = False
    # With debug the reloader runs the app in a child process and imports this module twice: say it once.
    if not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        mode = "development server, debug and hot reload on" if debug else "development server"
        print(f"trendvakt: serving http://{host}:{port}/ ({mode}; warehouse {config.warehouse_path()})",
              flush=True)
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    main()
