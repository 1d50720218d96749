import gc

from api import create_app

app = create_app()

# The app keeps some 430,000 objects for its whole life (regions, catalog, classifier); a full garbage
# collection walking them takes ~140 ms and showed as latency spikes under load. Frozen after start,
# they are left out of every collection.
gc.collect()
gc.freeze()
