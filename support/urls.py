"""Registers the support desk's viewsets on the shared /api/v1/ router."""

from ecomops.api import router
from support.api import (
    CustomerViewSet,
    KnowledgeArticleViewSet,
    OrderViewSet,
    ReplyDraftViewSet,
    SupportIntentViewSet,
    TicketViewSet,
)

router.register("customers", CustomerViewSet, basename="customer")
router.register("orders", OrderViewSet, basename="order")
router.register("support-intents", SupportIntentViewSet, basename="supportintent")
router.register("knowledge-articles", KnowledgeArticleViewSet, basename="knowledgearticle")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("reply-drafts", ReplyDraftViewSet, basename="replydraft")
