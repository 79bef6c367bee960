"""The register through the API: the same selectors as the pages, so the same need-to-know."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import selectors
from .models import AccessPurpose, Child, ChildIdentifier, Involvement


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildIdentifier
        fields = ["kind", "value", "created_at", "ended_at"]


class InvolvementSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    professional = serializers.CharField(source="professional.full_name", default=None)

    class Meta:
        model = Involvement
        fields = ["agency", "professional", "role", "started_on", "ended_on", "is_lead"]


class ChildSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "sex", "legal_status", "address_area"]


class ChildSerializer(serializers.ModelSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)
    involvements = InvolvementSerializer(many=True, read_only=True)

    class Meta:
        model = Child
        fields = [
            "id", "legal_first_name", "legal_middle_names", "legal_last_name", "preferred_name", "date_of_birth", "sex",
            "gender_identity", "ethnicity", "first_language", "disability", "learning_disability", "send_status",
            "religion", "address_area", "legal_status", "is_transition_case", "version", "identifiers", "involvements",
        ]


class ChildViewSet(viewsets.ViewSet):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, date of birth (dd/mm/yyyy) or identifier")],
        responses=ChildSummarySerializer(many=True),
    )
    def list(self, request):
        try:
            page_number = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            page_number = 1
        result = selectors.search_children(request.user, request.query_params.get("q", ""), page_number=page_number)
        return Response(
            {
                "count": result.total,
                "page": result.page.number,
                "pages": result.page.paginator.num_pages,
                "results": ChildSummarySerializer(result.page.object_list, many=True).data,
            }
        )

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)], responses=ChildSerializer)
    def retrieve(self, request, pk=None):
        child = selectors.access_child(request.user, pk, purpose=AccessPurpose.API, path=request.path)
        child = Child.objects.prefetch_related("identifiers", "involvements__agency", "involvements__professional").get(pk=child.pk)
        return Response(ChildSerializer(child).data)
