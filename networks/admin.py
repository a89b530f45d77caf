from django.contrib import admin

from .models import PeerGroup, PeerGroupMembership


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    pass


@admin.register(PeerGroupMembership)
class PeerGroupMembershipAdmin(admin.ModelAdmin):
    pass
