"""The report pages people open from ``report_url``: server-rendered HTML (Jinja2 templates, Russian and English
strings, one stylesheet), the competency chart's geometry and the security headers every page carries."""
