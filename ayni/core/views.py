from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ayni.core.menu import menu_for


@login_required
def home(request):
    cards = [item for item in menu_for(request.user) if item["card_text"]]
    return render(request, "core/home.html", {"cards": cards})
