"""Demo data: the "demo" store with a few hundred varied products, and a second store to show isolation.

Products are built deterministically (random.Random(seed)) from the hand-written lists below, so
`load_demo` can run any number of times: stores are found by slug, users by username, categories by
name and products by SKU. Missing rows are created; existing ones are left as the merchant edited them
(published descriptions survive a second `make demo`).

Lists are compact strings: "a|b|c" is a list of choices, "key=a|b; key2=c" a set of attributes, and an
attribute whose value is "" is left out (a type can so drop one its category gives).
"""

from __future__ import annotations

import os
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.models import BrandVoice, Category, Product
from ecomops.tenancy.models import Membership, Store
from ecomops.tenancy.services import add_member

ADMIN_URL = "http://127.0.0.1:8000/admin/"

# Each type: "name; materials; price range; size attribute=choices; further attribute=choices; ...".
# "$NAME" stands for one of the shared lists below.
SHARED = {
    "$CLOTHES": "XS|S|M|L|XL|XXL",
    "$SHOES": "EU 36|EU 37|EU 38|EU 39|EU 40|EU 41|EU 42|EU 43|EU 44|EU 45|EU 46",
    "$TEA": "Leaf & Kettle|Monsoon Tea Co|Camellia House",
}

CATEGORIES: dict[str, dict] = {
    "Apparel": dict(
        code="APP",
        brands="Fjellstad|Northpeak|Larkspur & Co|Tidewell|Marlow Row|Kestrel Lane",
        lines="Alpine|Harbour|Everyday|Coastline|Meadow|Summit|Field|Drift|Weekend|Nordic",
        colours="Black|Navy|Forest Green|Oatmeal|Charcoal|Rust|Sky Blue|Burgundy|Sand|White|Olive",
        extras="fit=Regular|Slim|Relaxed|Oversized; gender=Women|Men|Unisex; care=Machine wash 30 °C|Hand wash",
        types=[
            "Merino crew sweater; Merino wool|Wool blend; 59-129; size=$CLOTHES",
            "Organic cotton T-shirt; Organic cotton|Cotton jersey; 15-35; size=$CLOTHES; care=Machine wash 40 °C",
            "Rain jacket; Recycled polyester|Nylon ripstop; 79-189; size=$CLOTHES;"
            " waterproof_rating=10,000 mm|20,000 mm",
            "Fleece pullover; Recycled fleece|Polyester fleece; 39-89; size=$CLOTHES",
            "Chino trousers; Cotton twill|Stretch cotton; 49-99; size=$CLOTHES",
            "Linen shirt; Linen|Linen-cotton blend; 45-89; size=$CLOTHES",
            "Down vest; Nylon with duck down|Recycled polyester with down; 69-149; size=$CLOTHES; fill_power=600|700",
            "Hoodie; Cotton fleece|Organic cotton; 39-79; size=$CLOTHES",
            "Beanie; Merino wool|Lambswool|Recycled acrylic; 19-39; size=One size; fit=",
        ],
    ),
    "Footwear": dict(
        code="FTW",
        brands="Trailform|Bramble & Oak|Stride Nordic|Portland Walk|Velo Feet",
        lines="Ridge|City|Trek|Loft|Harbor|Canyon|Willow|Pace",
        colours="Black|Brown|Tan|Grey|White|Navy|Olive|Cognac",
        extras="sole=Rubber|EVA foam|Vibram rubber|Crepe rubber; closure=Laces; width=Regular|Wide",
        types=[
            "Chelsea boots; Full-grain leather|Suede; 99-179; size=$SHOES; closure=Elastic side panels",
            "Trail running shoes; Recycled mesh|Mesh and synthetic; 79-149; size=$SHOES; drop=4 mm|6 mm|8 mm",
            "Canvas sneakers; Organic canvas|Cotton canvas; 39-79; size=$SHOES",
            "Hiking boots; Nubuck leather|Suede and mesh; 109-199; size=$SHOES; waterproof=Yes|No",
            "Wool slippers; Felted wool|Boiled wool; 29-59; size=$SHOES; closure=Slip-on",
            "Loafers; Calf leather|Suede; 79-149; size=$SHOES; closure=Slip-on",
            "Sport sandals; Recycled webbing|Synthetic straps; 35-69; size=$SHOES; closure=Hook-and-loop|Buckle",
        ],
    ),
    "Outdoor gear": dict(
        code="OUT",
        brands="Northpeak|Ridgeline|Kestrel Outdoor|Fjordlight|Cairn & Co",
        lines="Summit|Valley|Trailhead|Basecamp|Glacier|Moor|Horizon|Pine",
        colours="Orange|Olive|Slate Grey|Red|Blue|Black|Yellow|Forest Green",
        extras="",
        types=[
            "Hiking backpack; Recycled nylon|Ripstop polyester; 69-169;"
            " capacity=20 litres|28 litres|35 litres|45 litres;"
            " weight=0.9 kg|1.2 kg|1.5 kg; rain_cover=Included|Not included",
            "Dome tent; Ripstop nylon|Polyester; 149-349; capacity=1 person|2 persons|3 persons;"
            " weight=1.6 kg|2.3 kg|3.1 kg; season=3-season|4-season",
            "Sleeping bag; Recycled polyester|Nylon with down; 69-229; size=Regular|Long;"
            " comfort_temperature=5 °C|0 °C|-5 °C; shape=Mummy|Rectangular",
            "Trekking poles; Aluminium|Carbon fibre; 39-119; length=105–135 cm|110–140 cm; grip=Cork|EVA foam",
            "Insulated water bottle; Stainless steel; 19-39; capacity=500 ml|750 ml|1 litre; keeps_cold=24 hours",
            "Camping stove; Stainless steel|Aluminium; 35-99; size=Compact|Foldable; fuel=Gas cartridge;"
            " output=2.6 kW|3 kW",
            "Headlamp; Aluminium|ABS plastic; 19-59; brightness=300 lumens|450 lumens|600 lumens;"
            " battery=Rechargeable, USB-C|3 x AAA; water_resistance=IPX4|IPX7",
        ],
    ),
    "Kitchen": dict(
        code="KIT",
        brands="Kuchenwerk|Copper & Thyme|Ostara|Saltbox|Maison Brun",
        lines="Classic|Atelier|Nordic|Provence|Studio|Heritage|Pro|Essentials",
        colours="Black|Cream|Sage Green|Cherry Red|Brushed Steel|Matte Grey|Ocean Blue|White",
        extras="dishwasher_safe=Yes|No",
        types=[
            "Cast iron casserole; Enamelled cast iron; 79-219; capacity=2.4 litres|3.8 litres|5.3 litres;"
            " induction=Yes; oven_safe=Up to 250 °C",
            "Non-stick frying pan; Aluminium with ceramic coating|Forged aluminium; 29-79; size=24 cm|28 cm|30 cm;"
            " induction=Yes|No",
            "Chef's knife; German stainless steel|Damascus steel; 49-159; size=16 cm blade|20 cm blade;"
            " handle=Olive wood|Pakkawood|Polypropylene; dishwasher_safe=No",
            "Electric kettle; Stainless steel|Glass; 35-89; capacity=1.2 litres|1.7 litres; wattage=2200 W|3000 W;"
            " dishwasher_safe=No",
            "French press; Borosilicate glass|Stainless steel; 19-49; capacity=350 ml|1 litre",
            "Chopping board; Oak|Bamboo|Walnut; 19-69; size=30 x 20 cm|40 x 28 cm; dishwasher_safe=No",
            "Stand mixer; Die-cast metal; 199-449; capacity=4.8 litres|5.5 litres; wattage=1000 W|1200 W;"
            " dishwasher_safe=No",
            "Mixing bowl set; Stoneware|Porcelain|Stainless steel; 25-59; size=3 pieces|4 pieces",
        ],
    ),
    "Home textiles": dict(
        code="TEX",
        brands="Linnea Home|Wool & Willow|Dune Textiles|Harbor Loom|Sovande",
        lines="Cloud|Nordic|Meadow|Coastal|Hygge|Atelier|Linen Lane|Riviera",
        colours="White|Sand|Sage|Terracotta|Dusty Pink|Charcoal|Indigo|Natural|Mustard",
        extras="pattern=Solid|Striped|Herringbone|Checked|Waffle; care=Machine wash 40 °C|Machine wash 60 °C|Dry clean",
        types=[
            "Duvet cover set; Washed linen|Cotton percale|Cotton sateen; 59-159;"
            " size=135 x 200 cm|155 x 220 cm|200 x 220 cm|240 x 220 cm; thread_count=200|300|400",
            "Throw blanket; Merino wool|Cotton waffle|Recycled wool; 39-119; size=130 x 170 cm|150 x 200 cm",
            "Bath towel; Organic cotton terry|Turkish cotton; 12-39; size=70 x 140 cm|100 x 150 cm;"
            " weight=500 g/m²|600 g/m²",
            "Cushion cover; Linen|Velvet|Cotton bouclé; 15-39; size=45 x 45 cm|50 x 50 cm; closure=Hidden zip|Envelope",
            "Tablecloth; Linen|Cotton; 29-79; size=140 x 180 cm|140 x 240 cm",
            "Curtain pair; Linen blend|Cotton velvet|Blackout polyester; 49-139; size=140 x 245 cm|140 x 260 cm;"
            " heading=Eyelet|Pencil pleat",
            "Bath mat; Cotton|Bamboo fibre; 15-35; size=50 x 80 cm|60 x 90 cm; pattern=Solid|Waffle",
        ],
    ),
    "Electronics accessories": dict(
        code="ELE",
        brands="Voltara|Lumio|Cablecraft|Nordvolt|Pulse Audio",
        lines="Go|Max|Mini|Pro|Air|Flex|One|Duo",
        colours="Black|White|Graphite|Silver|Navy|Sand|Mint",
        extras="warranty=1 year|2 years",
        types=[
            "USB-C charger; Recycled polycarbonate|Plastic; 19-69; wattage=20 W|35 W|65 W|100 W;"
            " ports=1 x USB-C|2 x USB-C|2 x USB-C, 1 x USB-A",
            "Braided charging cable; Braided nylon; 9-25; length=1 m|2 m|3 m;"
            " connector=USB-C to USB-C|USB-C to Lightning|USB-A to USB-C",
            "Power bank; Aluminium|Recycled plastic; 29-79; capacity=10,000 mAh|20,000 mAh; output=20 W|45 W",
            "Wireless earbuds; Plastic; 39-149; battery_life=24 hours|30 hours; connectivity=Bluetooth 5.3;"
            " noise_cancelling=Yes|No",
            "Laptop sleeve; Wool felt|Recycled polyester|Vegan leather; 25-59; size=13 inch|14 inch|16 inch",
            "Wireless charging pad; Aluminium and silicone|Fabric; 25-59; wattage=10 W|15 W",
            "Phone case; Silicone|Recycled TPU|Leather; 15-45;"
            " compatibility=iPhone 15|iPhone 15 Pro|Pixel 8|Galaxy S24",
            "Bluetooth speaker; Fabric and ABS; 39-129; wattage=5 W|10 W|20 W; water_resistance=IPX5|IPX7;"
            " battery_life=12 hours|20 hours",
        ],
    ),
    "Beauty": dict(
        code="BEA",
        material_key="packaging",
        brands="Lumen Botanics|Sel Marin|Verde Apothecary|Mira Skin|Nordlys",
        lines="Hydra|Calm|Glow|Pure|Velvet|Daily|Rose|Sea Salt",
        colours="",
        extras="skin_type=All skin types|Dry skin|Sensitive skin|Oily skin; scent=Lavender|Unscented|Citrus|Rose;"
        " vegan=Yes|No",
        types=[
            "Face serum; Glass dropper bottle; 19-49; volume=30 ml|50 ml;"
            " key_ingredient=Hyaluronic acid|Niacinamide|Vitamin C; scent=Unscented",
            "Day cream; Glass jar|Recycled plastic jar; 15-45; volume=50 ml;"
            " key_ingredient=Shea butter|Squalane|Ceramides",
            "Solid shampoo bar; Paper wrap; 8-14; weight=60 g|85 g; hair_type=All hair types|Curly hair; skin_type=",
            "Body lotion; Recycled plastic bottle|Aluminium bottle; 9-25; volume=200 ml|400 ml",
            "Lip balm; Tin|Paper tube; 4-9; weight=10 g|15 g; skin_type=",
            "Lipstick; Aluminium case; 12-29; weight=3.5 g; colour=Rosewood|Coral|Nude|Berry|Classic Red;"
            " finish=Matte|Satin; skin_type=",
            "Hand cream; Aluminium tube; 6-18; volume=50 ml|75 ml",
            "Bath salts; Glass jar|Paper pouch; 9-24; weight=250 g|500 g; key_ingredient=Magnesium|Sea salt",
        ],
    ),
    "Toys": dict(
        code="TOY",
        brands="Little Fjord|Woodhop|Brickfield|Pip & Pebble|Kite Toys",
        lines="Explorer|Rainbow|Junior|Forest|Ocean|Safari|Starter|Builder",
        colours="Multicolour|Natural|Red|Blue|Pastel|Yellow|Green",
        extras="certification=EN 71|EN 71, CE",
        types=[
            "Wooden train set; Beech wood|FSC-certified wood; 29-79; pieces=32 pieces|50 pieces; age_range=3+ years",
            "Building blocks set; Recycled plastic|Bio-based plastic; 19-89; pieces=120 pieces|250 pieces|500 pieces;"
            " age_range=4+ years|6+ years",
            "Plush bear; Organic cotton plush|Recycled polyester; 15-35; size=25 cm|35 cm|45 cm; age_range=0+ months",
            "Jigsaw puzzle; Recycled cardboard; 12-29; pieces=500 pieces|1000 pieces; age_range=12+ years;"
            " theme=Mountains|Ocean life|World map|Botanical",
            "Balance bike; Birch plywood|Aluminium; 59-129; size=12 inch wheels; age_range=2–5 years",
            "Stacking rings; Beech wood|Silicone; 12-25; pieces=6 pieces|8 pieces; age_range=6+ months",
            "Remote-control car; ABS plastic; 35-89; size=1:16 scale|1:20 scale; age_range=8+ years;"
            " battery=Rechargeable, USB-C",
        ],
    ),
    "Coffee & tea": dict(
        code="COF",
        line_attr="origin",  # the title names the origin: "Kaffebrenner Ethiopia Whole Bean Coffee"
        brands="Kaffebrenner|Two Rivers Roastery|Ostrand Coffee",  # tea types name their own brands
        lines="",
        colours="",
        extras="certification=Organic|Fairtrade|Organic, Fairtrade|Rainforest Alliance",
        types=[
            "Whole bean coffee; ; 7-24; weight=250 g|500 g|1 kg; origin=Ethiopia|Colombia|Brazil|Guatemala|Kenya|Peru;"
            " roast=Light|Medium|Dark; tasting_notes=Chocolate and hazelnut|Berries and citrus|Caramel and almond",
            "Ground coffee; ; 6-19; weight=250 g|500 g; origin=Colombia|Brazil|Honduras|Sumatra; roast=Medium|Dark;"
            " grind=Filter|Espresso|French press",
            "Espresso beans; ; 8-26; weight=500 g|1 kg; origin=Brazil|India|Uganda|Vietnam; roast=Medium-dark|Dark;"
            " tasting_notes=Dark chocolate|Roasted nuts|Molasses",
            "Loose-leaf green tea; ; 6-19; weight=100 g|250 g; brand=$TEA; origin=Japan|China|Korea; caffeine=Medium;"
            " steeping=80 °C, 2 minutes",
            "Loose-leaf black tea; ; 5-16; weight=100 g|250 g; brand=$TEA; origin=India|Sri Lanka|Kenya|China;"
            " caffeine=High; steeping=95 °C, 4 minutes",
            "Herbal tea bags; ; 4-9; quantity=20 bags|40 bags; brand=$TEA; origin=Germany|South Africa|Egypt;"
            " caffeine=Caffeine-free; blend=Chamomile and lemon balm|Rooibos and vanilla|Peppermint",
            "Matcha powder; ; 14-34; weight=30 g|100 g; brand=$TEA; origin=Japan; grade=Ceremonial|Culinary",
        ],
    ),
    "Pet supplies": dict(
        code="PET",
        brands="Pawsome|Tail & Trail|Whisker Works|Barkley|Nordic Paws",
        lines="Comfort|Adventure|Classic|Cosy|Active|Urban|Snug|Trail",
        colours="Grey|Navy|Red|Olive|Beige|Black|Teal|Mustard",
        extras="",
        types=[
            "Dog bed; Recycled polyester|Cotton canvas|Faux fur; 39-129; size=S|M|L|XL; animal=Dog;"
            " washable_cover=Yes|No",
            "Dog collar; Nylon webbing|Vegetable-tanned leather; 12-35; size=S|M|L; animal=Dog",
            "Dog leash; Nylon rope|Leather; 15-39; length=1.2 m|1.8 m; animal=Dog",
            "Cat scratching post; Sisal and plush; 25-79; size=60 cm|85 cm; animal=Cat",
            "Food bowl; Stainless steel|Ceramic; 9-29; capacity=400 ml|900 ml|1.5 litres; animal=Dog|Cat",
            "Dry dog food; ; 19-59; weight=2 kg|6 kg|12 kg; animal=Dog; colour=;"
            " flavour=Chicken and rice|Salmon and potato;"
            " life_stage=Puppy|Adult|Senior",
            "Cat treats; ; 3-8; weight=60 g|150 g; animal=Cat; colour=; flavour=Tuna|Chicken|Salmon",
            "Dog raincoat; Recycled nylon; 25-49; size=XS|S|M|L; animal=Dog",
        ],
    ),
}


@dataclass(frozen=True)
class DemoStore:
    slug: str
    name: str
    username: str
    sku_prefix: str
    seed: int
    plan: str  # "category=number of products; ..."
    voice: dict | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {category: int(n) for category, n in _pairs(self.plan).items()}


DEMO = DemoStore(
    "demo",
    "Northwind Outfitters",
    "merchant",
    "NW",
    seed=2024,
    plan="Apparel=50; Footwear=35; Outdoor gear=40; Kitchen=40; Home textiles=30; Electronics accessories=40;"
    " Beauty=35; Toys=30; Coffee & tea=30; Pet supplies=30",
    voice={
        "tone": "warm, practical and honest",
        "audience": "people who buy well-made things for home and outdoors",
        "words_to_avoid": ["cheap", "revolutionary", "game-changer", "best-in-class", "luxurious"],
        "target_words": 55,
    },
)
HARBOR = DemoStore("harbor", "Harbor Home", "harbor", "HH", seed=7, plan="Home textiles=8; Kitchen=6")


def _choices(text: str) -> list[str]:
    return [x.strip() for x in SHARED.get(text.strip(), text).split("|")] if text.strip() else [""]


def _pairs(text: str) -> dict[str, str]:
    """Parses 'a=x|y; b=z' into {"a": "x|y", "b": "z"}."""
    return dict(part.strip().split("=", 1) for part in text.split(";") if part.strip())


def _parse_type(line: str) -> tuple[str, str, int, int, str, dict[str, str]]:
    name, materials, prices, sizes, *extras = (part.strip() for part in line.split(";"))
    low, high = prices.split("-")
    size_key = sizes.split("=", 1)[0]
    return name, materials, int(low), int(high), size_key, _pairs(";".join([sizes, *extras]))


def _title_case(name: str) -> str:
    return " ".join(w if w in ("and", "with") else w[:1].upper() + w[1:] for w in name.split())


def _existing_description(attrs: dict[str, str]) -> str:
    """The terse copy a shop already has: facts only, so it passes the same checks as generated copy."""
    text = f"{attrs['type']} by {attrs['brand']}" + (f" in {attrs['colour'].lower()}." if "colour" in attrs else ".")
    details = [(k, v) for k, v in attrs.items() if k not in ("brand", "colour", "type")]
    return " ".join([text, *(f"{k.replace('_', ' ').capitalize()}: {v}." for k, v in details[:4])])


def build_products(spec: DemoStore) -> list[dict]:
    """The store's products as field dicts (plus "category"), the same on every run."""
    rng = random.Random(spec.seed)
    rows: list[dict] = []
    for category, count in spec.counts.items():
        cat = CATEGORIES[category]
        titles: set[str] = set()
        for n in range(1, count + 1):
            name, materials, low, high, size_key, type_attrs = _parse_type(rng.choice(cat["types"]))
            attrs = {
                "brand": rng.choice(_choices(cat["brands"])),
                "colour": rng.choice(_choices(cat["colours"])),
                cat.get("material_key", "material"): rng.choice(_choices(materials)),
                "type": name,
            }
            more = {
                size_key: "",
                **_pairs(cat["extras"]),
                **type_attrs,
            }  # the size or capacity comes right after the type
            attrs.update({k: rng.choice(_choices(v)) for k, v in more.items()})
            attrs = {k: v for k, v in attrs.items() if v}
            brand = attrs["brand"]  # a type may name its own brands (coffee roasters, tea merchants)
            line = attrs[cat["line_attr"]] if "line_attr" in cat else rng.choice(_choices(cat["lines"]))
            title = f"{brand} {line} {_title_case(name)}"
            if title in titles or (attrs.get("colour") and rng.random() < 0.3):
                title = f"{title}, {attrs.get('colour') or attrs[size_key]}"
            while title in titles:
                title = f"{title} ({attrs[size_key]})" if attrs[size_key] not in title else f"{title} II"
            titles.add(title)
            stock = 0 if rng.random() < 0.08 else min(250, int(rng.expovariate(1 / 40)) + 1)
            rows.append(
                {
                    "category": category,
                    "sku": f"{spec.sku_prefix}-{cat['code']}-{n:04d}",
                    "title": title,
                    "attributes": attrs,
                    "price": Decimal(f"{rng.randint(low, high)}.{rng.choice(['00', '50', '90', '95', '99'])}"),
                    "stock": stock,
                    "is_published": rng.random() > 0.04,
                    "description": _existing_description(attrs) if rng.random() < 0.15 else "",
                }
            )
    return rows


@dataclass
class StoreSummary:
    store: Store
    username: str
    password_set: bool
    categories: int
    products: int
    products_created: int
    with_description: int
    out_of_stock: int
    unpublished: int


def _merchant(username: str, password: str, *, set_password: bool):
    """A merchant: staff (to use the admin) but never superuser, so the admin shows only their stores."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    user.is_staff, user.is_superuser, user.is_active = True, False, True
    password_set = created or set_password or not user.has_usable_password()
    if password_set:
        user.set_password(password)
    user.save()
    return user, password_set


def _load_store(spec: DemoStore, password: str, *, set_password: bool) -> StoreSummary:
    # auto_describe_new_products stays off on a new store; and bulk_create sends no post_save, so even a
    # store whose merchant turned the hook on gets no generation jobs from loading the demo.
    store, _ = Store.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "currency": "EUR", "auto_describe_new_products": False}
    )
    user, password_set = _merchant(spec.username, password, set_password=set_password)
    add_member(store=store, user=user, role=Membership.Role.OWNER)
    if spec.voice:
        BrandVoice.objects.get_or_create(store=store, defaults=spec.voice)
    categories = {name: Category.objects.get_or_create(store=store, name=name)[0] for name in spec.counts}
    existing = set(Product.objects.for_store(store).values_list("sku", flat=True))
    new = [
        Product(store=store, currency=store.currency, **{**row, "category": categories[row["category"]]})
        for row in build_products(spec)
        if row["sku"] not in existing
    ]
    Product.objects.bulk_create(new, batch_size=500)
    products = Product.objects.for_store(store)
    return StoreSummary(
        store=store,
        username=spec.username,
        password_set=password_set,
        categories=Category.objects.for_store(store).count(),
        products=products.count(),
        products_created=len(new),
        with_description=products.exclude(description="").count(),
        out_of_stock=products.filter(stock__lte=0).count(),
        unpublished=products.filter(is_published=False).count(),
    )


@transaction.atomic
def load(*, password: str | None = None, reset_password: bool = False) -> tuple[list[StoreSummary], str]:
    """Loads both stores; returns their summaries and the password given to the users whose password was set.

    The password is DEMO_PASSWORD when set (and then always applied), else a fresh random one that is
    applied only to new users or with reset_password: the hash is all that is kept, so it is shown once.
    """
    password = password or os.environ.get("DEMO_PASSWORD") or ""
    chosen = bool(password)
    password = password or secrets.token_urlsafe(9)
    summaries = [_load_store(spec, password, set_password=chosen or reset_password) for spec in (DEMO, HARBOR)]
    return summaries, password


def report(summaries: list[StoreSummary], password: str) -> list[str]:
    lines = ["Demo data loaded.", f"  Admin:  {ADMIN_URL}"]
    for s in summaries:
        shown = password if s.password_set else "(unchanged; set DEMO_PASSWORD or use --reset-password)"
        lines.append(f"  Login:  {s.username} / {shown}   (owner of {s.store.name}, store slug '{s.store.slug}')")
    for s in summaries:
        lines.append(
            f"  {s.store.name}: {s.categories} categories, {s.products} products ({s.products_created} new, "
            f"{s.with_description} with a description, {s.out_of_stock} out of stock, {s.unpublished} unpublished)"
        )
    return lines
