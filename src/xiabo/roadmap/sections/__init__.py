"""The guide's eight sections, one module each; :func:`xiabo.roadmap.engine.build_tasks` calls
their builders in an order where a later builder can link to the tasks an earlier one added."""
