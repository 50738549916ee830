from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from catalog.admin import ProductAdmin
from catalog.models import Product
from ecomops.tenancy.admin import StoreScopedAdmin
from recommendations.models import CustomerPick, Interaction, RecommendationRules, RecommenderRun
from recommendations.services import (
    Recommendation,
    bought_together,
    customer_picks,
    customer_ref_of,
    request_training,
    similar_products,
)
from support.admin import CustomerAdmin
from support.models import Customer


def _product_list(recommendations: list[Recommendation], detail) -> str:
    if not recommendations:
        return "— (none yet: they appear after a successful recommender run)"
    items = (
        (reverse("admin:catalog_product_change", args=[r.product.pk]), r.product.title, detail(r))
        for r in recommendations
    )
    return format_html("<ol>{}</ol>", format_html_join("", '<li><a href="{}">{}</a> <small>{}</small></li>', items))


class ProductWithRecommendationsAdmin(ProductAdmin):
    """The catalog's product page, plus its similar and bought-together products (after the store's rules)."""

    readonly_fields = [*ProductAdmin.readonly_fields, "similar_products", "bought_together"]
    fieldsets = [*ProductAdmin.fieldsets, ("Recommendations", {"fields": ["similar_products", "bought_together"]})]

    @admin.display(description="Similar products")
    def similar_products(self, product: Product) -> str:
        found = similar_products(product=product, k=10) if product.pk else []
        return _product_list(found, lambda r: f"similarity {r.score:.2f}")

    @admin.display(description="Bought together")
    def bought_together(self, product: Product) -> str:
        found = bought_together(product=product, k=10) if product.pk else []
        return _product_list(found, lambda r: f"{r.score:.0%} of its orders, {r.support} orders")


admin.site.unregister(Product)
admin.site.register(Product, ProductWithRecommendationsAdmin)


class CustomerWithPicksAdmin(CustomerAdmin):
    """The support app's customer page, plus the customer's personal picks with their reasons."""

    readonly_fields = [*CustomerAdmin.readonly_fields, "personal_picks"]

    @admin.display(description="Personal picks")
    def personal_picks(self, customer: Customer) -> str:
        found = (
            customer_picks(store=customer.store, customer_ref=customer_ref_of(customer.pk), k=10) if customer.pk else []
        )
        return _product_list(found, lambda r: r.explanation)


admin.site.unregister(Customer)
admin.site.register(Customer, CustomerWithPicksAdmin)


@admin.register(RecommenderRun)
class RecommenderRunAdmin(StoreScopedAdmin):
    list_display = ["__str__", "store", "trigger", "state", "is_live", "created_at", "duration_s", "hit_rate",
                    "baseline_hit_rate", "ndcg"]  # fmt: skip
    list_filter = ["store", "state", "trigger", "is_live"]
    readonly_fields = [field.name for field in RecommenderRun._meta.fields] + ["metrics_table"]
    exclude = ["metrics"]
    actions = ["train_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="HR@10")
    def hit_rate(self, run: RecommenderRun) -> str:
        return _metric(run, "ranker", "hit_rate")

    @admin.display(description="HR@10 own+popular")
    def baseline_hit_rate(self, run: RecommenderRun) -> str:
        return _metric(run, "own_then_popular", "hit_rate")

    @admin.display(description="NDCG@10")
    def ndcg(self, run: RecommenderRun) -> str:
        return _metric(run, "ranker", "ndcg")

    @admin.display(description="Offline metrics (each customer's last order held out)")
    def metrics_table(self, run: RecommenderRun) -> str:
        from recommendations.metrics import MODEL_LABELS  # numpy/sklearn stay out of the web process

        if not run.metrics:
            return "— (too few returning customers to hold out, or the run has not finished)"
        rows = ((MODEL_LABELS.get(name, name), f"{m['hit_rate']:.3f}", f"{m['ndcg']:.3f}", f"{m['coverage']:.3f}")
                for name, m in run.metrics.items())  # fmt: skip
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><tr><th>model</th><th>HR@10</th><th>NDCG@10</th><th>coverage</th></tr>{}</table>",
                           body)  # fmt: skip

    @admin.action(description="Train again for the selected runs' stores")
    def train_again(self, request, queryset):
        stores = {run.store for run in queryset.select_related("store")}
        try:
            runs = [request_training(user=request.user, store=store) for store in stores]
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Queued {len(runs)} training run(s); they go live when they succeed.")


def _metric(run: RecommenderRun, model: str, name: str) -> str:
    value = (run.metrics or {}).get(model, {}).get(name)
    return "—" if value is None else f"{value:.3f}"


@admin.register(RecommendationRules)
class RecommendationRulesAdmin(StoreScopedAdmin):
    list_display = ["store", "exclude_out_of_stock", "exclude_unpublished", "boost_factor", "max_per_category"]
    filter_horizontal = ["boosted_categories", "buried_categories"]


@admin.register(CustomerPick)
class CustomerPickAdmin(StoreScopedAdmin):
    """A customer's picks with the reason; search by the customer's id."""

    list_display = ["customer_ref", "rank", "product", "explanation", "score", "store"]
    list_filter = ["store", "reason"]
    search_fields = ["customer_ref"]
    list_select_related = ["product", "because_of"]
    readonly_fields = ["run", "customer_ref", "product", "rank", "score", "reason", "because_of"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Why")
    def explanation(self, pick: CustomerPick) -> str:
        if pick.reason == CustomerPick.Reason.SIMILAR and pick.because_of:
            return f"because you bought {pick.because_of.title}"
        return pick.get_reason_display()


@admin.register(Interaction)
class InteractionAdmin(StoreScopedAdmin):
    list_display = ["occurred_at", "customer_ref", "kind", "product", "source", "store"]
    list_filter = ["store", "kind", "source"]
    search_fields = ["customer_ref"]
    list_select_related = ["product"]
    date_hierarchy = "occurred_at"
