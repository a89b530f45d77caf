from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int) -> tuple[Page, str]:
    """The requested page of a list and the query string without `page`, for page links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
