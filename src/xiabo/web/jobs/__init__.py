"""Pages and API of long work (``xiabo.jobs``): a job's progress, its retry."""
