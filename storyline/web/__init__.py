"""The story pages: Jinja2 templates, the stylesheet, and the server-side pieces they draw from
(the claim matrix, the figure chart as SVG geometry, a document's text cut into marked segments)."""
