"""New-product hook: connects product creation (admin, API, imports) to the copy writer."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from catalog.models import Product


@receiver(post_save, sender=Product, dispatch_uid="catalog.describe_new_product")
def describe_new_product_on_create(sender, instance: Product, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        from catalog.services import describe_new_product

        describe_new_product(product=instance)
