"""Thin views: each reads through an app's selectors and writes through its services, exactly
as the web page of the same thing does; serializers only shape the answer."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ayni.api import serializers
from ayni.api.errors import Conflict, TooManyRequests
from ayni.api.permissions import AreaScope
from ayni.boletas import events as boleta_events
from ayni.boletas import selectors as boletas
from ayni.boletas.forms import BoletaFilterForm, ServantSearchForm
from ayni.boletas.pdf import BoletaRenderer
from ayni.boletas.services import open_boleta_pdf
from ayni.core.audit import record
from ayni.delivery.selectors import with_delivery_dates
from ayni.documents import events as document_events
from ayni.documents.selectors import document_by_code
from ayni.documents.services import document_bytes
from ayni.documents.views import public_fields, within_limit
from ayni.legajo import events as legajo_events
from ayni.legajo import selectors as legajo
from ayni.legajo import services as legajo_services
from ayni.legajo.forms import TrayFilterForm
from ayni.organizations.scoping import has_role
from ayni.passport.scopes import BOLETAS, LEGAJO, PROFILE, STAFF

PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="El PDF.")}
DOWNLOAD = OpenApiParameter(
    "descargar", OpenApiTypes.BOOL, description="Presente: se descarga (attachment) y se "
    "registra como descarga; ausente: se abre (inline) y se registra como vista.",
)  # fmt: skip

ALREADY_DECIDED = OpenApiResponse(
    serializers.ErrorSerializer, description="La solicitud ya fue atendida, rechazada o anulada."
)


def _length_limits(field) -> dict:
    """A query parameter's schema with the lengths its web form enforces."""
    return {"type": "string", "minLength": field.min_length, "maxLength": field.max_length}


# --- who may call --------------------------------------------------------------------
class IsServant(BasePermission):
    """An account linked to a servant record (as `servant_required` on the web)."""

    def has_permission(self, request, view):
        if getattr(request.user, "servant_id", None) is None:
            raise NotFound("Su cuenta no está vinculada a un servidor.")
        return True


class IsEscalafonSpecialist(BasePermission):
    """Especialistas de escalafón, in the units their role covers (403 otherwise, as the web)."""

    def has_permission(self, request, view):
        if not has_role(request.user, legajo.ESCALAFON):
            raise PermissionDenied("Solo para especialistas de escalafón.")
        return True


class IsBoletasAdministrator(BasePermission):
    """Administradores de boletas (the web answers 404 to anybody else)."""

    def has_permission(self, request, view):
        if not has_role(request.user, boletas.ROLE):
            raise NotFound()
        return True


# The scope first: a token of the wrong area is refused (403) before any lookup.
SERVANT = [IsAuthenticated, AreaScope, IsServant]
SPECIALIST = [IsAuthenticated, AreaScope, IsEscalafonSpecialist]
BOLETAS_ADMIN = [IsAuthenticated, AreaScope, IsBoletasAdministrator]


class FirstRenderer(BaseContentNegotiation):
    """PDF endpoints answer the PDF whatever `Accept` says; their errors stay JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _valid(form):
    """The web's own form checks the query; its Spanish messages become the error's fields."""
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form


def _pdf(document, filename: str, download: bool) -> HttpResponse:
    response = HttpResponse(document_bytes(document), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class PdfView(APIView):
    content_negotiation_class = FirstRenderer

    def boleta_pdf(self, request, boleta) -> HttpResponse:
        """Through `open_boleta_pdf`: issued if needed, each view or download recorded (and,
        for the servant's own, kept as a proof of delivery)."""
        download = "descargar" in request.query_params
        document = open_boleta_pdf(boleta, request.user, request, download=download, canal="api")
        return _pdf(document, BoletaRenderer().filename(boleta), download)


# --- the servant -----------------------------------------------------------------------
class Profile(APIView):
    required_scopes = [PROFILE]

    @extend_schema(responses=serializers.ProfileSerializer, summary="Mi cuenta y mi registro")
    def get(self, request):
        return Response(serializers.ProfileSerializer(request.user).data)


BOLETA_FILTERS = [
    OpenApiParameter("anio", OpenApiTypes.INT, description="Año del periodo."),
    OpenApiParameter("mes", OpenApiTypes.INT, description="Mes del periodo (1 a 12)."),
]


class MyBoletas(generics.ListAPIView):
    permission_classes = SERVANT
    required_scopes = [BOLETAS]
    serializer_class = serializers.BoletaSerializer

    def get_queryset(self):
        form = _valid(BoletaFilterForm(self.request.query_params))
        found = form.apply(boletas.own_boletas(self.request.user))
        return with_delivery_dates(boletas.with_document_flag(found)).order_by(
            "-period", "payroll_type", "-id"
        )

    @extend_schema(parameters=BOLETA_FILTERS, summary="Mis boletas (Mi boleta)")
    def get(self, request, *args, **kwargs):
        record(request.user, boleta_events.OWN_LISTED, request.user.servant, request,
               filtros=request.query_params.urlencode()[:200], canal="api")  # fmt: skip
        return super().get(request, *args, **kwargs)


@extend_schema_view(get=extend_schema(summary="Una de mis boletas, con sus conceptos"))
class MyBoleta(generics.RetrieveAPIView):
    permission_classes = SERVANT
    required_scopes = [BOLETAS]
    serializer_class = serializers.BoletaDetailSerializer

    def get_object(self):
        found = boletas.own_boletas(self.request.user).filter(pk=self.kwargs["pk"])
        return generics.get_object_or_404(
            with_delivery_dates(boletas.with_document_flag(found)).select_related("servant")
        )


class MyBoletaPdf(PdfView):
    permission_classes = SERVANT
    required_scopes = [BOLETAS]

    @extend_schema(parameters=[DOWNLOAD], responses=PDF, summary="El PDF de una de mis boletas")
    def get(self, request, pk):
        return self.boleta_pdf(request, boletas.own_boleta(request.user, pk))


class MyLegajo(APIView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]

    @extend_schema(responses=serializers.LegajoSerializer, summary="Mi legajo")
    def get(self, request):
        found = legajo.own_legajo(request.user)
        if found is None:
            raise NotFound("Todavía no tiene un legajo en la plataforma.")
        record(request.user, legajo_events.OWN_VIEWED, found, request, canal="api")
        return Response(serializers.LegajoSerializer(found).data)


@extend_schema_view(get=extend_schema(summary="Mis solicitudes de actualización"))
class MyRequests(generics.ListCreateAPIView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]
    serializer_class = serializers.ChangeRequestSerializer

    def get_queryset(self):
        return legajo.own_requests(self.request.user).order_by("-submitted_at", "-id")

    @extend_schema(
        request=serializers.SubmitSerializer,
        responses={201: serializers.ChangeRequestDetailSerializer},
        summary="Enviar el borrador de una sección como solicitud",
    )
    def post(self, request, *args, **kwargs):
        body = serializers.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = legajo.own_draft(request.user, body.validated_data["seccion"])
        if draft is None:
            raise NotFound(
                "No tiene un borrador en esa sección: prepárelo en «Actualizar mi legajo»."
            )
        submitted = legajo_services.submit(draft, body.validated_data["comentario"], request.user,
                                           request)  # fmt: skip
        data = serializers.ChangeRequestDetailSerializer(submitted).data
        return Response(data, status=status.HTTP_201_CREATED)


class MyRequest(APIView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]

    @extend_schema(responses=serializers.ChangeRequestDetailSerializer, summary="Una solicitud")
    def get(self, request, pk):
        change_request = legajo.own_request(request.user, pk)
        record(request.user, legajo_events.OWN_REQUEST_VIEWED, change_request, request,
               canal="api")  # fmt: skip
        return Response(serializers.ChangeRequestDetailSerializer(change_request).data)


class AnnulMyRequest(APIView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]

    @extend_schema(request=None, responses={200: serializers.ChangeRequestDetailSerializer,
                                            409: ALREADY_DECIDED},
                   summary="Anular una solicitud en trámite")  # fmt: skip
    def post(self, request, pk):
        change_request = legajo.own_request(request.user, pk)
        try:
            annulled = legajo_services.annul(change_request, request.user, request)
        except legajo_services.AlreadyDecided as error:
            raise Conflict(str(error)) from error
        return Response(serializers.ChangeRequestDetailSerializer(annulled).data)


@extend_schema_view(
    get=extend_schema(summary="Documentos emitidos sobre mí (hoja de vida, informes)")
)
class MyDocuments(generics.ListAPIView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]
    serializer_class = serializers.DocumentSerializer

    def get_queryset(self):
        return legajo.own_documents(self.request.user)


class MyDocumentPdf(PdfView):
    permission_classes = SERVANT
    required_scopes = [LEGAJO]

    @extend_schema(parameters=[DOWNLOAD], responses=PDF, summary="El PDF de un documento")
    def get(self, request, pk):
        document = legajo.document_for(request.user, pk, request)
        download = "descargar" in request.query_params
        return _pdf(document, document.file.name.rsplit("/", 1)[-1], download)


# --- escalafón ---------------------------------------------------------------------------
TRAY_FILTERS = [
    OpenApiParameter("estado", OpenApiTypes.STR, description="Por defecto: en solicitud."),
    OpenApiParameter("seccion", OpenApiTypes.STR),
    OpenApiParameter("desde", OpenApiTypes.DATE, description="Enviada desde (AAAA-MM-DD)."),
    OpenApiParameter("hasta", OpenApiTypes.DATE, description="Enviada hasta (AAAA-MM-DD)."),
    OpenApiParameter("documento", OpenApiTypes.STR, description="Documento del servidor."),
]


@extend_schema_view(get=extend_schema(parameters=TRAY_FILTERS, summary="Bandeja de escalafón"))
class Tray(generics.ListAPIView):
    permission_classes = SPECIALIST
    required_scopes = [STAFF]
    serializer_class = serializers.StaffChangeRequestSerializer

    def get_queryset(self):
        form = _valid(TrayFilterForm.for_tray(self.request.query_params))
        return legajo.read_tray(self.request.user, self.request, **form.filters())


class TrayRequest(APIView):
    permission_classes = SPECIALIST
    required_scopes = [STAFF]

    @extend_schema(responses=serializers.StaffChangeRequestSerializer,
                   summary="Revisar una solicitud de la unidad")  # fmt: skip
    def get(self, request, pk):
        change_request = legajo.review_request(request.user, pk, request)
        return Response(serializers.StaffChangeRequestSerializer(change_request).data)


class Decide(APIView):
    permission_classes = SPECIALIST
    required_scopes = [STAFF]

    @extend_schema(request=serializers.DecisionSerializer,
                   responses={200: serializers.StaffChangeRequestSerializer,
                              409: ALREADY_DECIDED},
                   summary="Atender o rechazar (con observación) una solicitud")  # fmt: skip
    def post(self, request, pk):
        change_request = legajo.staff_request(request.user, pk)
        body = serializers.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            decided = legajo_services.decide(
                change_request, request.user, body.validated_data["decision"] == "atender",
                body.validated_data["observacion"], request,
            )  # fmt: skip
        except legajo_services.AlreadyDecided as error:
            raise Conflict(str(error)) from error
        return Response(serializers.StaffChangeRequestSerializer(decided).data)


# --- administrador de boletas ---------------------------------------------------------------
SEARCH = OpenApiParameter(
    "q", _length_limits(ServantSearchForm.base_fields["q"]), required=True,
    description="Documento (o su comienzo), o apellidos y nombres.",
)  # fmt: skip


@extend_schema_view(get=extend_schema(parameters=[SEARCH], summary="Buscar servidores (boletas)"))
class StaffServants(generics.ListAPIView):
    permission_classes = BOLETAS_ADMIN
    required_scopes = [STAFF]
    serializer_class = serializers.ServantSerializer

    def get_queryset(self):
        form = _valid(ServantSearchForm(self.request.query_params))
        return (
            boletas.search_servants(self.request.user, form.cleaned_data["q"], self.request)
            .select_related("unit")
            .order_by("apellido_paterno", "apellido_materno", "nombres", "pk")
        )


@extend_schema_view(get=extend_schema(summary="Las boletas de un servidor que usted administra"))
class StaffServantBoletas(generics.ListAPIView):
    permission_classes = BOLETAS_ADMIN
    required_scopes = [STAFF]
    serializer_class = serializers.BoletaSerializer

    def get_queryset(self):
        servant = boletas.staff_servant(self.request.user, self.kwargs["pk"], self.request)
        found = boletas.staff_boletas(self.request.user).filter(servant=servant)
        return with_delivery_dates(boletas.with_document_flag(found)).order_by(
            "-period", "payroll_type", "-id"
        )


class StaffBoletaPdf(PdfView):
    permission_classes = BOLETAS_ADMIN
    required_scopes = [STAFF]

    @extend_schema(parameters=[DOWNLOAD], responses=PDF, summary="El PDF de una boleta")
    def get(self, request, pk):
        return self.boleta_pdf(request, boletas.staff_boleta(request.user, pk))


@extend_schema_view(get=extend_schema(summary="Historial de cargas de planilla"))
class Imports(generics.ListAPIView):
    permission_classes = BOLETAS_ADMIN
    required_scopes = [STAFF]
    serializer_class = serializers.ImportSerializer

    def get_queryset(self):
        return boletas.visible_imports(self.request.user).order_by("-created_at", "-id")


class Import(APIView):
    permission_classes = BOLETAS_ADMIN
    required_scopes = [STAFF]

    @extend_schema(responses=serializers.ImportDetailSerializer, summary="Estado de una carga")
    def get(self, request, pk):
        planilla_import = boletas.visible_import(request.user, pk)
        imported = planilla_import.state == planilla_import.State.IMPORTED
        progress = boletas.pdf_progress(planilla_import) if imported else None
        data = serializers.ImportDetailSerializer(
            planilla_import, context={"pdf_progress": progress}
        ).data
        return Response(data)


# --- public -------------------------------------------------------------------------------
class Verification(APIView):
    """Público, para otros sistemas del Estado: el resumen público (enmascarado) de un documento
    emitido y su estado, con el mismo límite por dirección que la página «Verificar»."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: serializers.VerificationSerializer,
                              429: OpenApiResponse(serializers.ErrorSerializer,
                                                   description="Demasiadas verificaciones desde "
                                                   "esta dirección: espere un minuto.")},
                   auth=[],
                   summary="Verificar un documento por su código")  # fmt: skip
    def get(self, request, code):
        if not within_limit(request, code):
            raise TooManyRequests()
        document = document_by_code(code)
        record(request.user, document_events.VERIFIED, document or code, request,
               resultado=document.state if document else "no_encontrada", canal="api")  # fmt: skip
        if document is None:
            raise NotFound("No hay ningún documento emitido con ese código.")
        title, fields = public_fields(document)
        context = {"title": title, "fields": fields}
        return Response(serializers.VerificationSerializer(document, context=context).data)
