"""Page scaffolding shared by the views: the language store, the events toggle, notices."""
from __future__ import annotations

from dash import Input, Output, dcc, html

from dash_app import queries
from dash_app.components.notes import share_link, share_link_component, unavailable_notice
from dash_app.components.series import _missing, format_number
from dash_app.i18n import qualifier, t, unit_label, yes_no

# Modebar: no upload to a cloud service (Chart Studio "share" / "Edit in Chart Studio" / the link),
# the PNG button kept; the PNG carries title, source and date (series.with_caption).
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "showSendToCloud": False,
                "showEditInChartStudio": False, "showLink": False,
                "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
                "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "trendvakt"}}


def events_on(value) -> bool:
    """`events=off` in the URL hides event annotations; anything else shows them."""
    off = ("off", "0", "no", "false")
    if isinstance(value, (list, tuple)):  # the checklist (["on"] or []) or a repeated URL parameter
        return bool(value) and all(str(v).strip().lower() not in off for v in value)
    return str(value or "on").strip().lower() not in off


def unavailable_figure(exc: Exception, lang: str):
    """An empty chart that says why there is nothing to draw."""
    from dash_app.components.series import empty_figure

    if isinstance(exc, queries.NotYetPublished):
        return empty_figure(t("not_published", lang, view=exc.view))
    return empty_figure(t("unavailable", lang))


def events_toggle(prefix: str, on: bool, lang: str):
    """The events checklist in a group named by its own text (a screen reader announces the group)."""
    box = dcc.Checklist(id=f"{prefix}-events", options=[{"label": " " + t("events", lang), "value": "on"}],
                        value=["on"] if on else [], inline=True, className="tv-checklist tv-events-toggle")
    return html.Div(box, role="group", id=f"{prefix}-events-group", **{"aria-label": t("events", lang)})


def lang_store(prefix: str, lang: str):
    return dcc.Store(id=f"{prefix}-lang", data=lang)


def _component_id(component) -> str | None:
    cid = getattr(component, "id", None)
    return cid if isinstance(cid, str) else None


def control(label: str, component, html_for: str | None = None, wide: bool = False):
    """A labelled control. The component sits in a group (radiogroup for radio items) named by the
    label through aria-labelledby, so radio and checklist groups and the explorer's year pair have an
    accessible name; a single input is also tied to the label by htmlFor."""
    cid = html_for or _component_id(component)
    label_id = f"{cid}-label" if cid else None
    role = "radiogroup" if isinstance(component, dcc.RadioItems) else "group"
    group = html.Div(component, role=role, className="tv-control-group",
                     **({"aria-labelledby": label_id} if label_id else {"aria-label": label}))
    named = {"id": label_id} if label_id else {}
    return html.Div([html.Label(label, htmlFor=html_for, className="tv-label", **named), group],
                    className="tv-control tv-control-wide" if wide else "tv-control")


def url_state(prefix: str) -> dict:
    """The id of a view's address store: its callbacks write the view's query string there and the
    shell copies it into the address bar (dash_app/app.py)."""
    return {"type": "url-state", "page": prefix}


def address(params: dict, lang: str) -> str:
    """The query string (with '?') of a view state; empty values are left out."""
    return share_link("", {**params, "lang": lang})[0]


def _figure_title(figure) -> str:
    """The chart's title as plain text (no <br>/<sup> markup), for its text alternative."""
    import re

    try:
        text = figure["layout"]["title"]["text"] if isinstance(figure, dict) else figure.layout.title.text
    except (KeyError, TypeError, AttributeError):
        text = None
    text = re.sub(r"<br\s*/?>", ". ", str(text or ""))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip(" .")


def _label_charts(node, lang: str):
    """Every dcc.Graph under `node` in a role=figure container named by the chart's title (updated
    in the browser when a callback redraws the chart: assets/a11y.js)."""
    if isinstance(node, (list, tuple)):
        return [_label_charts(child, lang) for child in node]
    if isinstance(node, dcc.Graph):
        name = _figure_title(getattr(node, "figure", None)) or ("Diagram" if lang == "nb" else "Chart")
        return html.Div(node, role="figure", className="tv-chart", **{"aria-label": name})
    children = getattr(node, "children", None)
    if children is not None and not isinstance(children, str):
        node.children = _label_charts(children, lang)
    return node


def page(children: list, lang: str, prefix: str):
    return html.Main([lang_store(prefix, lang), dcc.Store(id=url_state(prefix)), *_label_charts(children, lang)],
                     className="tv-page", lang=lang)


def unavailable_page(exc: Exception, lang: str, prefix: str, title: str):
    return page([html.H1(title), unavailable_notice(exc, lang)], lang, prefix)


def actions(prefix: str, path: str, params: dict, lang: str, download: bool = True):
    items = []
    if download:
        items += [html.Button(t("download", lang), id=f"{prefix}-download-button", className="tv-button"),
                  dcc.Download(id=f"{prefix}-download")]
    items.append(html.Div(share_link_component(f"{prefix}-share-link", path, {**params, "lang": lang}, lang),
                          id=f"{prefix}-share"))
    return html.Div(items, className="tv-actions")


def safe_events():
    """publish.events, or an empty frame if it cannot be read (annotations are optional)."""
    try:
        return queries.events()
    except queries.WarehouseUnavailable:
        return None


def register_address(app, prefix: str) -> None:
    """Copy the view's share link (always the current state) into its address store, in the browser:
    the shell then writes it into the address bar, so Back/Forward, reload and bookmarks keep it."""
    app.clientside_callback(
        """function (href) {
            if (!href) { return window.dash_clientside.no_update; }
            var at = href.indexOf("?");
            return at < 0 ? "" : href.slice(at);
        }""",
        Output(url_state(prefix), "data"),
        Input(f"{prefix}-share-link", "href"),
        prevent_initial_call=True,
    )


TABS = ("chart", "table")


def tab_of(value) -> str:
    """The chosen tab of a view (`tab=table` in the address); anything else is the chart."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if value in TABS else "chart"


def chart_tabs(prefix: str, graph, table_box, lang: str, value: str = "chart"):
    """A chart and its values as a table (the chart's text alternative) in two tabs, id `<prefix>-tabs`
    with values "chart" and "table"."""
    return dcc.Tabs(id=f"{prefix}-tabs", value=tab_of(value), className="tv-tabs", children=[
        dcc.Tab(label=t("tab_chart", lang), value="chart", children=[graph], className="tv-tab",
                id=f"{prefix}-tab-chart"),
        dcc.Tab(label=t("tab_table", lang), value="table", children=[table_box], className="tv-tab",
                id=f"{prefix}-tab-table"),
    ])


def cell_text(column: str, value, lang: str) -> str:
    """One cell of a values table: booleans Ja/Nei or Yes/No, qualifiers and units in words, numbers as
    series.format_number writes them; small values keep two decimals, since a table is read for the
    exact figure (rates under 10 per 100 000, percentages of a few per cent)."""
    if _missing(value):
        return ""
    if isinstance(value, bool) or column.startswith("is_"):
        return yes_no(value, lang)
    if column == "qualifier":
        return qualifier(value, lang)
    if column == "unit":
        return unit_label(value, lang)
    if isinstance(value, (int, float)):
        number = float(value)
        digits = 0 if number == int(number) or abs(number) >= 1000 else (2 if abs(number) < 10 else 1)
        return format_number(number, lang, digits)
    return str(value)


def frame_table(frame, columns: list[tuple[str, str]], component_id: str, lang: str, max_rows: int = 500):
    """The values of `frame` as a table: `columns` [(column, header in the page language)]; a column
    with no value in any row is left out, so a table of counts has no empty interval columns."""
    cols = [(c, h) for c, h in columns if c in frame.columns and frame[c].notna().any()] if not frame.empty \
        else list(columns)
    rows = [[cell_text(c, r[c], lang) for c, _ in cols] for r in frame.head(max_rows).to_dict("records")]
    return values_table(rows, [h for _, h in cols], component_id)


def values_table(rows: list[list[str]], headers: list[str], component_id: str, caption: str | None = None):
    """A plain HTML table of already formatted cells (text in the page language)."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers]))
    body = html.Tbody([html.Tr([html.Td(c, className="tv-num" if _numeric(c) else None) for c in row])
                       for row in rows])
    parts = ([html.Caption(caption)] if caption else []) + [head, body]
    return html.Div(html.Table(parts, id=component_id, className="tv-table"), className="tv-table-wrap")


def _numeric(text) -> bool:
    """A cell that is a number as i18n.num writes it (no-break spaces between thousands, either decimal mark,
    a minus or a per cent sign), so it is aligned right."""
    return isinstance(text, str) and bool(text) and "".join(ch for ch in text if ch not in " \u00a0\u202f,.−-%") \
        .isdigit()


def text_of(component) -> str:
    """The visible text of a small Dash component tree (e.g. a source note), for captions."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))
