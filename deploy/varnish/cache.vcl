# What the edge caches, its key, its tags and purges (docs/edge-cache.md).
# Included by default.vcl after its backends, probes, director and grace
# policy (deploy/varnish/default.vcl), and by the tests' own
# tests/edge/test.vcl: no backend, probe or vcl_init here. Varnish runs the
# subroutines of both files in order, default.vcl's first.
#
# The app decides what may be shared: public pages answer
# "Cache-Control: public, max-age=0, s-maxage=N, ..." with their page cache
# tags in Surrogate-Key (core/edge.py); everything else is private/no-store.
# This file only narrows what is asked for: the cookies of a cacheable
# request are dropped except the language, so no visitor's session reaches a
# page shared with others.

import std;
import xkey;

# Who may PURGE: the app nodes (core/edge_purge.py, EDGE_PURGE_URLS). On
# several machines, add the app nodes' addresses.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        # Hard purge: the old page is gone, also from grace, so the next
        # visitor gets the changed one (the app rebuilds it in ~50 ms).
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff (core/edge.py's kb_staff cookie) get pages built for them:
    # listing previews. So do requests with credentials.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)kb_staff=") {
        return (pass);
    }
    # Static files: the same for everyone, whatever the cookies.
    if (req.url ~ "^/static/") {
        unset req.http.Cookie;
        return (hash);
    }
    # The public pages (core/page_cache.py's @public_page views; the test
    # tests/edge/test_cache_vcl.py checks this list against the URLconf):
    # home, catalog and product pages, categories, the facility directory
    # and storefronts, exhibitions, impact. KB-CACHEABLE-URLS
    if (req.url ~ "^/(\?.*)?$" || req.url ~ "^/(produk|kategori|upt|pameran|dampak)/") {
        # The language is the one cookie a public page depends on
        # (core/language.py): it becomes part of the key, every other cookie
        # (session, cart, CSRF, analytics) is dropped.
        unset req.http.X-KB-Language;
        if (req.http.Cookie ~ "(^|;\s*)django_language=en(;|$)") {
            set req.http.X-KB-Language = "en";
        }
        if (req.http.X-KB-Language) {
            set req.http.Cookie = "django_language=" + req.http.X-KB-Language;
        } else {
            unset req.http.Cookie;
        }
        return (hash);
    }
    # Everything else (cart, checkout, Pesanan saya, tracking, admin, the
    # per-visitor /sesi.json): straight to the app with all its cookies.
    return (pass);
}

sub vcl_hash {
    # Host and URL are added by Varnish's built-in vcl_hash after this.
    if (req.http.X-KB-Language) {
        hash_data(req.http.X-KB-Language);
    }
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);  # passed: nothing to decide
    }
    # Only what the app says is public and not per visitor is kept; the rest
    # is hit-for-miss for a while (fetched for each request, not coalesced).
    if (beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)"
            || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
            || (beresp.http.Set-Cookie && !beresp.http.Surrogate-Key && bereq.url !~ "^/static/")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # A public page sets no cookie (core/edge.py); should one slip through,
    # it must not reach every visitor.
    unset beresp.http.Set-Cookie;
    # The page cache's tags are the edge's: a purge of any of them drops it.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # The key already holds the language (vcl_hash); the Cookie header left
    # is the language alone, so Vary: Cookie adds nothing but variants.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(^|,)\s*Cookie\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,\s*|\s*,$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # s-maxage is the TTL (Varnish reads it); stale-if-error: served up to 6 h
    # old while no node answers (default.vcl keeps req.grace short while one
    # does); keep: held a day longer for conditional fetches.
    if (beresp.grace < 6h) {
        set beresp.grace = 6h;
    }
    if (beresp.keep < 24h) {
        set beresp.keep = 24h;
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
