"""Demo reviews: a few thousand, across the demo store's products, built deterministically.

Short and long, praise and complaints about the aspects each category cares about,
mixed three-star reviews, sarcasm, off-topic notes, a few whose stars contradict the
text, and one product whose battery complaints spike in the last ten days (an alert).
Idempotent: each demo review has a fixed `customer_ref` and is created once.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from ecomops.tenancy.models import Store
from insights.models import Review

ASPECTS_BY_CATEGORY = {
    "Apparel": ["fit", "size", "quality", "price", "delivery"],
    "Footwear": ["fit", "size", "quality", "price", "comfort"],
    "Outdoor gear": ["quality", "price", "design", "delivery", "packaging"],
    "Kitchen": ["quality", "price", "ease", "packaging", "delivery"],
    "Home textiles": ["quality", "size", "design", "price", "delivery"],
    "Electronics accessories": ["battery", "sound", "quality", "price", "service"],
    "Beauty": ["scent", "quality", "price", "packaging", "delivery"],
    "Toys": ["quality", "price", "ease", "packaging", "delivery"],
    "Coffee & tea": ["taste", "price", "packaging", "delivery", "service"],
    "Pet supplies": ["quality", "size", "price", "delivery", "service"],
}
GOOD = {
    "fit": ["The fit is perfect.", "Fits like a glove.", "It fits true to size and feels great."],
    "size": ["The size is exactly as described.", "Sizing was spot on.", "Nice size, not too big."],
    "quality": ["Excellent quality, really well made.", "Sturdy and durable.", "The quality is superb for daily use."],
    "price": ["Great value for the price.", "Worth every penny.", "Cheaper than in the shops and just as good."],
    "delivery": ["Delivery was fast.", "Arrived a day early.", "Shipping was quick and tracked."],
    "packaging": ["Lovely packaging, no plastic.", "Well packaged, nothing damaged.", "The box was neat and sturdy."],
    "battery": ["The battery lasts for days.", "Battery life is fantastic.", "Charging is quick."],
    "sound": ["The sound is crisp and clear.", "Great bass for the size.", "Sound quality is excellent."],
    "service": [
        "Customer service was helpful and kind.",
        "The seller answered within an hour.",
        "Support sorted my question out quickly.",
    ],
    "design": ["Beautiful design.", "Looks stylish and modern.", "The color is gorgeous."],
    "ease": ["Very easy to use.", "Setup took two minutes.", "Easy to clean."],
    "comfort": [
        "Comfortable from the first day.",
        "So comfortable I wear them all day.",
        "Comfortable even on long walks.",
    ],
    "scent": ["Love the scent.", "The smell is light and fresh.", "A lovely, subtle fragrance."],
    "taste": ["Tastes wonderful.", "Rich flavour, smooth and fresh.", "The taste is excellent."],
}
BAD = {
    "fit": ["The fit is awful.", "It does not fit at all, way too tight.", "Terrible fit around the shoulders."],
    "size": ["The size runs really small.", "Much smaller than the picture.", "Wrong size, had to send it back."],
    "quality": ["Poor quality, it broke after a week.", "Flimsy and cheaply made.", "The stitching came apart."],
    "price": ["Overpriced for what you get.", "Way too expensive.", "Not worth the money."],
    "delivery": ["Delivery was very late.", "Shipping took three weeks.", "It arrived a week after the promised date."],
    "packaging": [
        "The package arrived damaged.",
        "Terrible packaging, the box was crushed.",
        "Too much plastic packaging.",
    ],
    "battery": ["The battery dies within hours.", "Battery life is terrible.", "It stopped charging after a week."],
    "sound": ["The sound is tinny and distorted.", "Awful sound quality.", "The speaker crackles."],
    "service": ["Customer service never replied.", "The seller was rude.", "Support ignored my refund request."],
    "design": ["Ugly design.", "The color looks cheap in person.", "Looks nothing like the photos."],
    "ease": ["Difficult to use.", "The instructions are useless.", "A pain to clean."],
    "comfort": ["Uncomfortable after an hour.", "They hurt my feet.", "Very uncomfortable."],
    "scent": ["The smell is overpowering.", "Smells like chemicals.", "The scent is awful."],
    "taste": ["Tastes stale.", "Bitter and flat.", "The taste is disappointing."],
}
OPENERS_GOOD = ["Really happy with this.", "Love it!", "Exactly what I wanted.", "Highly recommend.", ""]
OPENERS_BAD = ["Very disappointed.", "Would not buy again.", "Avoid.", "Returned it.", ""]
MIXED = ["It's okay overall.", "Mixed feelings about this one.", "Not bad, not great.", "It does the job."]
SARCASTIC = [
    "Oh great, another one that falls apart in a week. Just what I needed.",
    "Wonderful, it broke before I even finished unpacking it. Ten out of ten for speed.",
    "Love paying premium prices for something this flimsy.",
]
OFF_TOPIC = [
    "Bought this as a gift, will ask how they like it.",
    "Ordered together with a few other things.",
    "My cat sat on the box all afternoon.",
    "Writing this on my lunch break.",
]
TITLES = {
    5: ["Love it", "Excellent", "Perfect"],
    4: ["Very good", "Happy", "Nice"],
    3: ["Okay", "Average", "Mixed"],
    2: ["Disappointing", "Not great"],
    1: ["Terrible", "Avoid", "Waste of money"],
}
STARS = [5, 4, 3, 2, 1]
STAR_WEIGHTS = [0.50, 0.20, 0.10, 0.07, 0.13]


def review_text(rng: random.Random, category: str, rating: int) -> tuple[str, str]:
    """(title, body) for a review of `rating` stars."""
    aspects = ASPECTS_BY_CATEGORY.get(category, ["quality", "price", "delivery"])
    roll = rng.random()
    if rating <= 2 and roll < 0.08:
        return rng.choice(TITLES[1]), rng.choice(SARCASTIC)
    if roll < 0.05:
        return "", rng.choice(OFF_TOPIC)
    picked = rng.sample(aspects, k=min(len(aspects), rng.choice([1, 1, 2, 2, 3])))
    if rating >= 4:
        parts = [rng.choice(OPENERS_GOOD)] + [rng.choice(GOOD[a]) for a in picked]
        if rating == 4 and rng.random() < 0.4:
            parts.append("Only downside: " + rng.choice(BAD[rng.choice(aspects)]).lower())
    elif rating == 3:
        good, bad = picked[0], rng.choice([a for a in aspects if a != picked[0]])
        parts = [rng.choice(MIXED), rng.choice(GOOD[good]), "But " + rng.choice(BAD[bad]).lower()]
    else:
        parts = [rng.choice(OPENERS_BAD)] + [rng.choice(BAD[a]) for a in picked]
    title = rng.choice(TITLES[rating]) if rng.random() < 0.7 else ""
    return title, " ".join(p for p in parts if p)


def build_reviews(store: Store, *, count: int, seed: int = 5) -> list[Review]:
    rng = random.Random(seed)
    products = list(Product.objects.for_store(store).select_related("category").order_by("pk"))
    if not products:
        return []
    now = timezone.now()
    rows = []
    for i in range(count):
        product = products[int(rng.paretovariate(1.2) * 7) % len(products)]  # a few products get most reviews
        rating = rng.choices(STARS, STAR_WEIGHTS)[0]
        title, body = review_text(rng, product.category.name if product.category else "", rating)
        if rng.random() < 0.01:  # clicked the wrong star
            rating = 6 - rating
        rows.append(
            Review(
                store=store,
                product=product,
                rating=rating,
                title=title,
                body=body,
                source=Review.Source.DEMO,
                customer_ref=f"demo-{i}",
                written_at=now - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 1440)),
            )
        )
    rows += _battery_spike(store, products, rng, now)
    return rows


def _battery_spike(store, products, rng, now) -> list[Review]:
    phones = [p for p in products if p.category and p.category.name == "Electronics accessories"]
    if not phones:
        return []
    product, rows = phones[0], []
    for i in range(60):  # a calm year, then ten bad days
        recent = i >= 48
        rating = rng.choice([1, 2]) if recent else rng.choice([4, 5, 5, 5])
        body = rng.choice(BAD["battery"]) + " " + rng.choice(OPENERS_BAD) if recent else rng.choice(GOOD["sound"])
        days = rng.uniform(0, 10) if recent else rng.uniform(20, 300)
        rows.append(
            Review(
                store=store,
                product=product,
                rating=rating,
                title="",
                body=body.strip(),
                source=Review.Source.DEMO,
                customer_ref=f"demo-spike-{i}",
                written_at=now - timedelta(days=days),
            )
        )
    return rows


@transaction.atomic
def load(*, store: Store, count: int = 3000) -> list[int]:
    """Create the missing demo reviews; returns the new reviews' ids."""
    existing = set(
        Review.objects.for_store(store).filter(source=Review.Source.DEMO).values_list("customer_ref", flat=True)
    )
    missing = [r for r in build_reviews(store, count=count) if r.customer_ref not in existing]
    return [r.pk for r in Review.objects.bulk_create(missing, batch_size=500)]
