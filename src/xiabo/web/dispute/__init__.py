"""A case's dispute with the agency on the web: the case section, the dispute page (form and
report), the lawyer's page and PDF, and the API. When the case is marked "the agency is the
counter-party", only the streamer and their adviser may read any of it (``access``)."""
