from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int, count: int | None = None) -> tuple[Page, str]:
    """The requested page of a list and the query string without `page`, for page links.
    `count`: the list's length when the caller knows it already (saves counting it again)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not computed
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
