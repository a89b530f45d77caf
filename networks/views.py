from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import PeerGroup


@require_GET
def my_groups(request):
    groups = PeerGroup.objects.filter(facilitator=request.user).select_related("cohort__program")
    return render(request, "networks/my_groups.html", {"groups": groups})
