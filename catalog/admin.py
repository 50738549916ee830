from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from catalog.models import BrandVoice, Category, CopyKind, Product, ProductCopy
from catalog.quality import problems
from catalog.services import approve_copies, publish_copies, reject_copies, request_copy
from ecomops.tenancy.admin import StoreScopedAdmin


class GenerateCopyForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=CopyKind.choices, initial=[CopyKind.DESCRIPTION], widget=forms.CheckboxSelectMultiple
    )


@admin.register(Category)
class CategoryAdmin(StoreScopedAdmin):
    list_display = ["name", "parent", "store"]
    list_filter = ["store"]
    search_fields = ["name"]


@admin.register(BrandVoice)
class BrandVoiceAdmin(StoreScopedAdmin):
    list_display = ["store", "tone", "audience", "target_words"]


class ProductCopyInline(admin.TabularInline):
    model = ProductCopy
    fields = ["kind", "status", "text", "passed_checks", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(StoreScopedAdmin):
    list_display = ["title", "sku", "category", "price", "currency", "stock", "is_published", "has_description"]
    list_filter = ["store", "category", "is_published"]
    search_fields = ["title", "sku", "description"]
    list_select_related = ["category"]
    actions = ["generate_copy"]
    inlines = [ProductCopyInline]
    fieldsets = [
        (None, {"fields": ["store", "title", "sku", "category", "price", "currency", "stock", "is_published"]}),
        ("Attributes", {"fields": ["attributes"]}),
        (
            "Copy",
            {"fields": ["description", "short_description", "seo_title", "seo_meta_description", "marketing_blurb"]},
        ),
    ]

    @admin.display(boolean=True, description="Description")
    def has_description(self, product: Product) -> bool:
        return bool(product.description.strip())

    @admin.action(description="Generate copy for selected products")
    def generate_copy(self, request, queryset):
        form = GenerateCopyForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Generate copy",
                "form": form,
                "products": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/catalog/product/generate_copy.html", context)
        stores = {p.store for p in queryset.select_related("store")}
        for store in sorted(stores, key=lambda s: s.pk):
            ids = list(queryset.filter(store=store).values_list("pk", flat=True))
            try:
                job = request_copy(user=request.user, store=store, product_ids=ids, kinds=form.cleaned_data["kinds"])
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            url = reverse("admin:jobs_job_change", args=[job.pk])
            self.message_user(
                request,
                format_html('Writing {} drafts for {} – <a href="{}">follow progress</a>', job.total, store, url),
            )
        return None


@admin.register(ProductCopy)
class ProductCopyAdmin(StoreScopedAdmin):
    list_display = ["product", "kind", "status", "checks", "draft", "current"]
    list_filter = ["status", "kind", "passed_checks", "store"]
    search_fields = ["product__title", "product__sku", "text"]
    list_select_related = ["product"]
    actions = ["approve", "reject", "publish"]
    fields = [
        "product", "kind", "status", "text", "current", "checks", "attempts", "model_version",
        "prompt_version", "job", "reviewed_by", "reviewed_at", "published_at",
    ]
    readonly_fields = [f for f in fields if f != "text"]

    class Media:
        css = {"all": ["catalog/admin.css"]}  # room for the texts a reviewer reads side by side

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ProductCopy.Status.DRAFT:
            return self.fields  # only drafts are edited; approved text is what was reviewed
        return self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Checks")
    def checks(self, copy: ProductCopy) -> str:
        failed = problems(copy.flags or {})
        if not failed:
            return format_html('<span style="color:#2e7d32">✔ all passed</span>')
        return format_html_join(
            "", '<div style="color:#b71c1c">⚠ {}: {}</div>', ((label, Truncator(d).chars(60)) for label, d in failed)
        )

    @admin.display(description="Draft")
    def draft(self, copy: ProductCopy) -> str:
        return Truncator(copy.text).chars(220)

    @admin.display(description="Current text")
    def current(self, copy: ProductCopy) -> str:
        return Truncator(copy.current_text).chars(220) or "—"

    @admin.action(description="Approve selected drafts")
    def approve(self, request, queryset):
        self.message_user(request, f"Approved {approve_copies(user=request.user, copies=queryset)} drafts.")

    @admin.action(description="Reject selected copies")
    def reject(self, request, queryset):
        self.message_user(request, f"Rejected {reject_copies(user=request.user, copies=queryset)} copies.")

    @admin.action(description="Publish selected approved copies to their products")
    def publish(self, request, queryset):
        selected = queryset.count()  # before publishing: a list filtered on status would lose them
        count = publish_copies(user=request.user, copies=queryset)
        skipped = selected - count
        note = f" ({skipped} not approved yet, left alone)" if skipped else ""
        self.message_user(request, f"Published {count} copies{note}.")
