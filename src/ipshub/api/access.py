"""Who sees which API tokens: each person only their own (administrators revoke through deactivation)."""

from django.db.models import QuerySet
from django.http import Http404

from ipshub.api.models import ApiToken
from ipshub.tenancy.models import Person


def tokens_visible_to(person: Person) -> QuerySet[ApiToken]:
    if not person.is_authenticated or not person.is_active:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=person)


def get_token_for(person: Person, token_id: int) -> ApiToken:
    try:
        return tokens_visible_to(person).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
