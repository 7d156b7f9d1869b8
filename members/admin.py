"""Agency staff manage members, prefixes and users in the Django admin."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from members.models import APIKey, Member, Membership, Prefix, User, WidgetKey


class PrefixInline(admin.TabularInline):
    model = Prefix
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["member"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix_list", "created"]
    search_fields = ["name", "prefixes__value"]
    inlines = [PrefixInline, MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("prefixes")

    @admin.display(description="prefixes")
    def prefix_list(self, member):
        return ", ".join(p.value for p in member.prefixes.all())


@admin.register(Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ["value", "member", "created"]
    search_fields = ["value", "member__name"]
    autocomplete_fields = ["member"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(APIKey)
class APIKeyAdmin(admin.ModelAdmin):
    """Staff see keys and may revoke one (set `revoked`); keys are made on the member's own page,
    where the secret is shown once, so nothing here can show or set one."""

    list_display = ["name", "key_id", "member", "scopes", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "key_id", "member__name"]
    readonly_fields = ["member", "key_id", "secret_hash", "scopes", "created_by", "created", "last_used"]
    fields = ["name", "member", "key_id", "scopes", "created_by", "created", "last_used", "revoked"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WidgetKey)
class WidgetKeyAdmin(admin.ModelAdmin):
    """Staff see widget keys and their sites, and may revoke one; members make them on their Widget tab."""

    list_display = ["name", "key", "member", "created", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "key", "member__name"]
    readonly_fields = ["member", "key", "allowed_origins", "created_by", "created", "revoked_by"]
    fields = ["name", "member", "key", "allowed_origins", "created_by", "created", "revoked", "revoked_by"]

    def has_add_permission(self, request) -> bool:
        return False
