# Placeholder: edgepages (issue 33, cacheable pages) replaces this file with
# what is cached, the cache key, Surrogate-Key/xkey tags and the PURGE ACL.
