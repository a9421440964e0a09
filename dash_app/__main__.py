"""`python -m dash_app`: serve the app on TRENDVAKT_HOST:TRENDVAKT_PORT (default 127.0.0.1:8050)."""
from dash_app import config
from dash_app.app import app


def main() -> None:
    host, port = config.host(), config.port()
    print(f"trendvakt: serving http://{host}:{port}/ (warehouse {config.warehouse_path()})", flush=True)
    app.run(host=host, port=port, debug=False)


if __name__ == "__main__":
    main()
