from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """20 per page (`por_pagina` up to 100), `pagina` as in the web's lists."""

    page_size = 20
    max_page_size = 100
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    invalid_page_message = "La página pedida no existe."
