"""Letters with clocks on a case: the page section, one letter's page, bulk follow-ups, the API."""
