"""URLs: which arguments are URLs, and the canonical form documents are stored and
de-duplicated under (courlan: lower-case host, default port and fragment
dropped, tracking parameters such as utm_*, fbclid and gclid stripped)."""

from __future__ import annotations

from urllib.parse import urlsplit

FETCHED_SCHEMES = ("http", "https")


def looks_like_url(argument: str) -> bool:
    """``scheme://…``: an argument meant as a URL, not a path (even if the scheme is not fetched)."""
    scheme, sep, _ = argument.partition("://")
    return bool(sep) and scheme.isalpha() and len(scheme) > 1


def unfetchable(url: str) -> str | None:
    """Why storyline will not fetch ``url``, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in FETCHED_SCHEMES:
        return f"only http and https URLs are fetched, not {parts.scheme or 'scheme-less'} URLs"
    if not parts.hostname:
        return "no host in the URL"
    if parts.username or parts.password:
        return "URLs with credentials are not fetched"
    return None


def canonical_url(url: str) -> str:
    import courlan

    try:
        return courlan.normalize_url(url, strict=True)
    except ValueError:
        return url


def same_site(a: str, b: str) -> bool:
    """Whether ``b`` is on the host of ``a`` or a parent/child domain of it (www. aside)."""
    ha, hb = (urlsplit(u).hostname or "" for u in (a, b))
    ha, hb = ha.removeprefix("www."), hb.removeprefix("www.")
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))
