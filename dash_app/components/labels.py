"""Names of places, substances and indicators in the reader's language, from the catalogues
carried by the publish views (queries.names()) with readable fallbacks."""


def geo_label(code: str, names: dict | None = None, lang: str | None = None) -> str:
    """A place's published name in `lang` (publish.geographies), else its one published name, else a
    readable form of its code (state_usa_ct -> USA: CT)."""
    names = names or {}
    if lang and code in names.get(f"geo_{lang}", {}):
        return str(names[f"geo_{lang}"][code])
    if code in names.get("geo", {}):
        return str(names["geo"][code])
    parts = str(code).split("_")
    if parts[0] == "nation" and len(parts) == 2:
        return parts[1].upper()
    if parts[0] in ("state", "city") and len(parts) >= 3:
        return f"{parts[1].upper()}: {' '.join(parts[2:]).upper() if parts[0] == 'state' else ' '.join(parts[2:]).title()}"
    if parts[0] == "ambulancearea":
        area = " ".join(parts[2:]).replace("helse", "Helse").title()
        return f"{area} (ambulanse)" if lang == "nb" else f"{area} (ambulance)"
    return str(code)


def substance_label(sid: str, lang: str, names: dict | None = None, row: dict | None = None) -> str:
    if row is not None:
        for key in (f"substance_name_{lang}", "substance_name_en"):
            value = row.get(key)
            if isinstance(value, str) and value:
                return value
    names = names or {}
    for key in (f"substance_{lang}", "substance_en"):
        if sid in names.get(key, {}):
            return names[key][sid]
    return "Alle" if sid == "all" and lang == "nb" else ("All" if sid == "all" else str(sid).replace("_", " ").capitalize())


def indicator_label(row: dict, lang: str) -> str:
    for key in (f"indicator_name_{lang}", "indicator_name_en", f"name_{lang}", "name_en"):
        value = row.get(key)
        if isinstance(value, str) and value:
            return value
    return str(row.get("indicator_id", ""))
