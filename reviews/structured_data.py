"""aggregateRating and review for a product's JSON-LD, from published reviews only."""

from reviews import selectors


def add_ratings(product, data: dict) -> None:
    # The stored figures (kept by reviews.services): no query for them.
    summary = {"avg": product.rating_avg, "count": product.rating_count}
    if not summary["count"]:
        return
    data["aggregateRating"] = {
        "@type": "AggregateRating",
        "ratingValue": f"{summary['avg']:.1f}",
        "reviewCount": summary["count"],
        "bestRating": 5,
        "worstRating": 1,
    }
    data["review"] = [
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": r.rating, "bestRating": 5},
            # Shoppers are not named publicly (personal data).
            "author": {"@type": "Person", "name": "Pembeli terverifikasi"},
            "datePublished": r.created_at.date().isoformat(),
            "reviewBody": r.text,
        }
        for r in selectors.published_for_product(product.pk, limit=5)
    ]
