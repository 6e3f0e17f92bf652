/* The stand till's service worker: the till page, its product list and the
   site's assets are kept so the till opens and sells without a signal.
   Network first (fresh stock when online), the cache when the network fails. */
const CACHE = "{{ cache_name }}";
const KEPT = /^\/stan\/kasir\/\d+\/(data\.json)?$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

// The page names what to keep (itself, its data, its scripts and styles).
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(urls.map((url) =>
        fetch(url, { credentials: "same-origin" })
          .then((response) => response.ok ? cache.put(new URL(url, self.location).pathname, response) : null)
          .catch(() => null)
      ))
    )
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!KEPT.test(url.pathname) && !url.pathname.startsWith("/static/")) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
  );
});
