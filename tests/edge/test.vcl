vcl 4.1;
# The tests' own way in (tests/edge/conftest.py): one backend, the app under
# test, and the production caching rules of deploy/varnish/cache.vcl. The
# production default.vcl (two nodes, probes, retries) is deploy's.

import std;

backend app {
    .host = "127.0.0.1";
    .port = "@APP_PORT@";
    .first_byte_timeout = 30s;
}

sub vcl_recv {
    # As production: with a healthy backend a stale page is served at most 10 s.
    set req.grace = 10s;
}

include "cache.vcl";
