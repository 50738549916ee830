"""factory_boy factories, one per model, store-aware: related rows share the store."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from catalog.models import BrandVoice, Category, Product, ProductCopy
from ecomops.jobs.models import Job
from ecomops.tenancy.models import Membership, Store


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True  # merchants use the admin
    password = factory.django.Password("correct horse battery staple")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")


def member(*, store: Store, username: str, role: str = "staff"):
    user = UserFactory(username=username)
    Membership.objects.update_or_create(user=user, store=store, defaults={"role": role})
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class BrandVoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandVoice

    store = factory.SubFactory(StoreFactory)
    tone = "warm and practical"
    audience = "hikers"
    words_to_avoid = factory.LazyFunction(lambda: ["cheap"])
    target_words = 50


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    title = factory.Sequence(lambda n: f"Trail Jacket {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    category = factory.SubFactory(CategoryFactory, store=factory.SelfAttribute("..store"))
    attributes = factory.LazyFunction(
        lambda: {"brand": "Northpeak", "colour": "Red", "material": "Recycled nylon", "size": "M"}
    )
    price = Decimal("89.90")
    currency = "EUR"
    stock = 12


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    store = factory.SubFactory(StoreFactory)
    kind = "catalog.generate_copy"
    total = 0


class ProductCopyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCopy

    product = factory.SubFactory(ProductFactory)
    store = factory.SelfAttribute("product.store")
    kind = "description"
    text = factory.LazyAttribute(lambda c: f"{c.product.title} in red recycled nylon, size M.")
    passed_checks = True
    model_version = "fake-generator"
    prompt_version = "copy-v1"


# -- insights ---------------------------------------------------------------------------

from insights.models import Alert, Review, ReviewAnalysis  # noqa: E402


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    store = factory.SubFactory(StoreFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..store"))
    rating = 5
    title = "Great jacket"
    body = "Love it, the fit is perfect."
    source = Review.Source.STOREFRONT


class ReviewAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAnalysis

    review = factory.SubFactory(ReviewFactory)
    store = factory.SelfAttribute("review.store")
    label = "positive"
    probability = 0.9
    score = 0.9
    aspects = factory.LazyFunction(list)
    model_version = "fake-sentiment"


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    store = factory.SubFactory(StoreFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..store"))
    kind = Alert.Kind.NEGATIVE_SPIKE
    message = "Negative reviews rising"


# -- support ----------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402

from support.models import Customer, KnowledgeArticle, Message, Order, ReplyDraft, Ticket  # noqa: E402


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    number = factory.Sequence(lambda n: f"A{1000 + n}")
    status = Order.Status.SHIPPED
    placed_at = factory.LazyFunction(timezone.now)
    carrier = "DHL"
    tracking_number = factory.Sequence(lambda n: f"JD0146000{n:05d}")
    total = Decimal("59.90")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    subject = "Where is my order?"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    store = factory.SelfAttribute("ticket.store")
    body = "My parcel has not arrived yet."


class KnowledgeArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeArticle

    store = factory.SubFactory(StoreFactory)
    title = "Shipping times"
    body = "Orders ship within 2 business days. Delivery in Germany takes 3-5 business days."


class ReplyDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyDraft

    ticket = factory.SubFactory(TicketFactory)
    store = factory.SelfAttribute("ticket.store")
    text = "Your order has shipped with DHL."
    model_version = "fake-generator"
    prompt_version = "reply-v1"
