"""New-store hook: a store starts with the default intent list, which its merchants edit."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from ecomops.tenancy.models import Store


@receiver(post_save, sender=Store, dispatch_uid="support.install_default_intents")
def install_default_intents_on_create(sender, instance: Store, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        from support.services import install_default_intents

        install_default_intents(store=instance)
