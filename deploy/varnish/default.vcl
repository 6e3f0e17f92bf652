vcl 4.1;
# The way in for the production shape (deploy/up, docs/production-shape.md):
# two app nodes behind a round-robin director, health probes, a retry on the
# other node when one dies mid-fetch, and grace so shoppers keep getting pages
# while a node (or every node) is down. What is cached, its key, its tags and
# the purge rules live in cache.vcl (included last), so this file is only
# about where requests go and what happens when a backend fails.
#
# deploy/shape.py rewrites the two ports below to the shape's own.

import directors;
import std;

# /healthz?reads=1 answers 200 when the node reaches the database its public
# pages read (the replica; marketplace/views.py): a primary restart does not
# take the nodes out of rotation, only writes fail for those seconds.
probe healthz {
    .request =
        "GET /healthz?reads=1 HTTP/1.1"
        "Host: 127.0.0.1"
        "User-Agent: varnish-probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 2s;
    # Sick after 2 failures in the last 3 probes; healthy again after 2 good ones.
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(app1);
    nodes.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();
    # Grace: with a healthy node, a page past its TTL is served at most 10 s
    # stale while it is fetched again in the background. With no healthy node
    # the object's whole grace (below) applies: stale-if-error.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    # Which client this is, for the app's rate limits (TRUSTED_PROXIES believes
    # 127.0.0.1); Varnish appends client.ip to X-Forwarded-For itself.
}

sub vcl_backend_fetch {
    # A retry goes to the other node: the probes need a second or two to mark
    # a dead node sick, and round robin alone could send the retry back to it.
    if (bereq.retries > 0) {
        if (bereq.http.X-Failed-Node == "app1") {
            set bereq.backend = app2;
        } elsif (bereq.http.X-Failed-Node == "app2") {
            set bereq.backend = app1;
        }
        unset bereq.http.X-Failed-Node;
    }
}

sub vcl_backend_response {
    # A 5xx while refreshing an object we still hold: keep the stale copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # A node that dies under a GET answers nothing or a 502/503 from its dying
    # master: the same GET once more, on the other node.
    if (beresp.status >= 502 && beresp.status <= 504 && bereq.retries < 1
            && (bereq.method == "GET" || bereq.method == "HEAD")) {
        set bereq.http.X-Failed-Node = beresp.backend.name;
        return (retry);
    }
    # How long a stored page may still be served stale: a few seconds while the
    # nodes are healthy (req.grace above), up to 6 h while they are not
    # (stale-if-error); keep holds it 24 h more for conditional refetches.
    set beresp.grace = 6h;
    # The app's own stale-if-error, when it sends one, says how long instead.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 6h);
    }
    set beresp.keep = 24h;
    # Which node built the response (the drills count them; no secret in it).
    set beresp.http.X-Node = beresp.backend.name;
}

sub vcl_backend_error {
    # Connection refused or reset before a response: the node is dead or dying.
    # GET and HEAD are safe to repeat; a POST is never sent twice by us (the app
    # deduplicates double submits anyway, but the shopper decides to retry).
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        set bereq.http.X-Failed-Node = beresp.backend.name;
        return (retry);
    }
}

include "cache.vcl";
